package io.tokenkit.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.autoconfigure.service.TokenKitHttpServiceGroupAutoConfiguration;
import io.tokenkit.registration.InvalidTokenKitPropertyException;

import org.springframework.aot.test.generate.TestGenerationContext;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.test.tools.CompileWithForkedClassLoader;
import org.springframework.core.test.tools.TestCompiler;
import org.springframework.javapoet.ClassName;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring AOT processing of an application with {@code tokenkit.clients} entries: the
 * generated code compiles and, run as an AOT-processed application does, gives the same
 * qualified client beans, which read their base URL when the application starts.
 */
@CompileWithForkedClassLoader
class TokenKitClientsAotTests {

	private static final List<String> REGISTRATION = List.of("tokenkit.registrations.orders.grant-type=static",
			"tokenkit.registrations.orders.token=static-token",
			"tokenkit.registrations.orders.header-name=x-access-token",
			"tokenkit.registrations.orders.header-format={token}");

	@Test
	void aotProcessingWhenClientsConfiguredThenGeneratedContextCallsApisWithTheToken() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			for (int i = 0; i < 4; i++) {
				server.enqueue(new MockResponse.Builder().body("ok").build());
			}
			server.start();
			String runtimeUrl = server.url("/api").toString();
			processAheadOfTimeAndRun(clients("https://build-time.example.com"), clients(runtimeUrl), (context) -> {
				assertThat(context.getBeanNamesForType(WebClient.class)).containsExactlyInAnyOrder("ordersWebClient",
						"reportsWebClient");
				assertThat(context.getBeanNamesForType(RestClient.class)).containsExactlyInAnyOrder("ordersRestClient",
						"billingRestClient");
				QualifiedClients clients = context.getBean(QualifiedClients.class);
				assertThat(clients.orders().get().uri("/orders").retrieve().bodyToMono(String.class).block())
					.isEqualTo("ok");
				assertThat(clients.ordersRest().get().uri("/orders-rest").retrieve().body(String.class))
					.isEqualTo("ok");
				assertThat(clients.billing().get().uri("/billing").retrieve().body(String.class)).isEqualTo("ok");
				assertThat(clients.reports().get().uri("/reports").retrieve().bodyToMono(String.class).block())
					.isEqualTo("ok");
			});
			for (String target : List.of("/api/orders", "/api/orders-rest", "/api/billing", "/api/reports")) {
				RecordedRequest request = server.takeRequest();
				assertThat(request.getTarget()).isEqualTo(target);
				assertThat(request.getHeaders().get("x-access-token")).isEqualTo("static-token");
			}
		}
	}

	@Test
	void aotProcessingWhenClientNotConfiguredAtRunTimeThenFailureNamesTheClient() {
		List<String> withoutReports = clients("https://api.example.com").stream()
			.filter((property) -> !property.startsWith("tokenkit.clients.reports."))
			.toList();
		assertThatExceptionOfType(BeanCreationException.class).isThrownBy(
				() -> processAheadOfTimeAndRun(clients("https://api.example.com"), withoutReports, (context) -> {
				}))
			.havingRootCause()
			.isInstanceOf(InvalidTokenKitPropertyException.class)
			.withMessageContaining("tokenkit.clients.reports")
			.withMessageContaining("processed ahead of time");
	}

	private static List<String> clients(String baseUrl) {
		return List.of("tokenkit.clients.orders.registration=orders", "tokenkit.clients.orders.base-url=" + baseUrl,
				"tokenkit.clients.billing.registration=orders", "tokenkit.clients.billing.type=rest-client",
				"tokenkit.clients.billing.base-url=" + baseUrl, "tokenkit.clients.reports.registration=orders",
				"tokenkit.clients.reports.type=web-client", "tokenkit.clients.reports.base-url=" + baseUrl);
	}

	@SuppressWarnings("unchecked")
	private static void processAheadOfTimeAndRun(List<String> buildTimeProperties, List<String> runtimeProperties,
			Consumer<GenericApplicationContext> assertions) {
		TestGenerationContext generationContext = new TestGenerationContext();
		ClassName className;
		try (AnnotationConfigApplicationContext buildTime = new AnnotationConfigApplicationContext()) {
			TestPropertyValues.of(REGISTRATION).and(buildTimeProperties).applyTo(buildTime);
			buildTime.register(ClientsApplication.class);
			className = new ApplicationContextAotGenerator().processAheadOfTime(buildTime, generationContext);
		}
		generationContext.writeGeneratedContent();
		TestCompiler.forSystem().with(generationContext).compile((compiled) -> {
			try (GenericApplicationContext runtime = new GenericApplicationContext()) {
				TestPropertyValues.of(REGISTRATION).and(runtimeProperties).applyTo(runtime);
				compiled.getInstance(ApplicationContextInitializer.class, className.toString()).initialize(runtime);
				runtime.refresh();
				assertions.accept(runtime);
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
			RestClientAutoConfiguration.class, WebClientAutoConfiguration.class,
			TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class,
			TokenKitRestClientAutoConfiguration.class, TokenKitHttpServiceGroupAutoConfiguration.class })
	static class ClientsApplication {

		@Bean
		QualifiedClients qualifiedClients(@Qualifier("orders") WebClient orders,
				@Qualifier("orders") RestClient ordersRest, @Qualifier("billing") RestClient billing,
				@Qualifier("reports") WebClient reports) {
			return new QualifiedClients(orders, ordersRest, billing, reports);
		}

	}

	record QualifiedClients(WebClient orders, RestClient ordersRest, RestClient billing, WebClient reports) {

	}

}
