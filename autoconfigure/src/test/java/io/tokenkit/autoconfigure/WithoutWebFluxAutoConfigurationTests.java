package io.tokenkit.autoconfigure;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.authlete.AuthleteAutoConfiguration;
import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;
import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.autoconfigure.security.TokenKitSpringSecurityAutoConfiguration;
import io.tokenkit.autoconfigure.service.TokenKitHttpServiceGroupAutoConfiguration;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of TokenKit's auto-configurations on a class path without WebFlux (the
 * autoconfigure module with its {@code spring-webflux} left out, beside Boot's
 * {@code RestClient}): every one of them backs off, the application starts with Boot's
 * {@code RestClient} as it was, and the condition report names {@code WebClient} as the
 * reason. With WebFlux but without Boot's WebClient support, TokenKit works for what
 * needs no {@code WebClient.Builder} and says what to add for what does.
 */
class WithoutWebFluxAutoConfigurationTests {

	private static final List<Class<?>> TOKENKIT = List.of(TokenKitObservationAutoConfiguration.class,
			TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class,
			TokenKitRestClientAutoConfiguration.class, TokenKitHttpServiceGroupAutoConfiguration.class,
			AuthleteAutoConfiguration.class, GmoAozoraAutoConfiguration.class, SaasusAutoConfiguration.class,
			TokenKitSpringSecurityAutoConfiguration.class);

	/**
	 * Every part of TokenKit configured, so that any part that did not back off shows.
	 */
	private static final String[] CONFIGURED = { "tokenkit.registrations.orders.grant-type=client_credentials",
			"tokenkit.registrations.orders.token-uri=https://auth.example.com/oauth2/token",
			"tokenkit.registrations.orders.client-id=orders-app",
			"tokenkit.registrations.orders.client-secret=orders-secret",
			"tokenkit.clients.orders.base-url=https://orders.example.com",
			"tokenkit.clients.orders.registration=orders", "tokenkit.service-groups.orders.registration=orders",
			"tokenkit.store.type=redis", "tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=api-key-1",
			"tokenkit.saasus.secret-key=secret-1", "tokenkit.gmo-aozora.client-id=bank-app",
			"tokenkit.gmo-aozora.client-secret=bank-secret-of-34-characters!!",
			"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
			"tokenkit.gmo-aozora.state-salt=state-salt-of-32-characters-long!",
			"tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=authlete-token",
			"tokenkit.spring-security-registrations=true" };

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(HttpClientAutoConfiguration.class, ImperativeHttpClientAutoConfiguration.class,
						ReactiveHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
						HttpServiceClientAutoConfiguration.class, WebClientAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(TOKENKIT.toArray(Class<?>[]::new)))
		.withBean(ObservationRegistry.class, ObservationRegistry::create)
		.withBean(MeterRegistry.class, SimpleMeterRegistry::new);

	static Stream<Arguments> withoutWebFlux() {
		return Stream.of(Arguments.of("without WebClient", new FilteredClassLoader(WebClient.class)),
				Arguments.of("without spring-webflux", new FilteredClassLoader("org.springframework.web.reactive")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("withoutWebFlux")
	void autoConfigurationWhenNoWebFluxThenTokenKitBacksOffAndRestClientStays(String name,
			FilteredClassLoader classLoader) {
		this.contextRunner.withClassLoader(classLoader).withPropertyValues(CONFIGURED).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(RestClient.Builder.class)
				.doesNotHaveBean(TokenKitProperties.class)
				.doesNotHaveBean(TokenManager.class)
				.doesNotHaveBean(TokenStore.class)
				.doesNotHaveBean(TokenRequestObserver.class)
				.doesNotHaveBean(TokenEventListener.class)
				.doesNotHaveBean(BearerTokenFilters.class)
				.doesNotHaveBean(BearerTokenInterceptors.class)
				.doesNotHaveBean(RestClientHttpServiceGroupConfigurer.class)
				.doesNotHaveBean("ordersRestClient")
				.doesNotHaveBean(SaasusClient.class)
				.doesNotHaveBean(GmoAozoraClient.class)
				.doesNotHaveBean(AuthleteClient.class);
		});
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("withoutWebFlux")
	void autoConfigurationWhenNoWebFluxThenConditionReportNamesWebClient(String name, FilteredClassLoader classLoader) {
		this.contextRunner.withClassLoader(classLoader).withPropertyValues(CONFIGURED).run((context) -> {
			ConditionEvaluationReport report = ConditionEvaluationReport.get(context.getBeanFactory());
			for (Class<?> autoConfiguration : TOKENKIT) {
				ConditionAndOutcomes outcomes = report.getConditionAndOutcomesBySource()
					.get(autoConfiguration.getName());
				assertThat(outcomes).as(autoConfiguration.getSimpleName()).isNotNull();
				assertThat(outcomes.isFullMatch()).as(autoConfiguration.getSimpleName()).isFalse();
				assertThat(outcomes).as(autoConfiguration.getSimpleName())
					.anySatisfy((outcome) -> assertThat(outcome.getOutcome().getMessage())
						.contains("did not find required class")
						.contains("org.springframework.web.reactive.function.client.WebClient"));
			}
		});
	}

	@Test
	void autoConfigurationWhenNoBootWebClientThenRestClientOfStaticRegistrationWorks() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(200).body("[]").build());
			server.start();
			withoutBootWebClient()
				.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
						"tokenkit.registrations.orders.token=static-token", "tokenkit.clients.orders.type=rest-client",
						"tokenkit.clients.orders.base-url=" + server.url("/api"),
						"tokenkit.clients.orders.registration=orders")
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.hasSingleBean(TokenManager.class)
						.doesNotHaveBean(WebClient.Builder.class)
						.doesNotHaveBean("ordersWebClient");
					RestClient orders = context.getBean("ordersRestClient", RestClient.class);
					assertThat(orders.get().uri("/orders").retrieve().body(String.class)).isEqualTo("[]");
					RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
					assertThat(request).isNotNull();
					assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer static-token");
				});
		}
	}

	@Test
	void autoConfigurationWhenNoBootWebClientAndTokenEndpointThenFailsNamingWhatToAdd() {
		withoutBootWebClient().withPropertyValues(CONFIGURED[0], CONFIGURED[1], CONFIGURED[2], CONFIGURED[3])
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidTokenKitPropertyException.class)
				.hasMessageContaining("tokenkit.registrations")
				.hasMessageContaining("WebClient.Builder")
				.hasMessageContaining("spring-boot-starter-webclient"));
	}

	/**
	 * The autoconfigure module beside Boot's {@code RestClient} alone: WebFlux (a
	 * dependency of the module) without Boot's WebClient support.
	 */
	private ApplicationContextRunner withoutBootWebClient() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class))
			.withConfiguration(AutoConfigurations.of(TokenKitObservationAutoConfiguration.class,
					TokenKitAutoConfiguration.class, TokenKitRestClientAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.webclient"));
	}

}
