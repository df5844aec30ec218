package io.tokenkit.autoconfigure.restclient;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.restclient.BearerTokenInterceptors;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class TokenKitRestClientAutoConfigurationTests {

	private static final String WARNING = "calls http://api.example.com over plain http";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
				TokenKitAutoConfiguration.class, TokenKitRestClientAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
				"tokenkit.registrations.orders.token=static-token",
				"tokenkit.registrations.orders.header-name=x-access-token",
				"tokenkit.registrations.orders.header-format={token}", "tokenkit.clients.orders.registration=orders");

	@Test
	void autoConfigurationWhenClientWithoutTypeThenWebClientAndRestClient() {
		this.contextRunner.withPropertyValues("tokenkit.clients.orders.base-url=https://api.example.com")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(BearerTokenInterceptors.class)
				.hasBean("ordersWebClient")
				.hasBean("ordersRestClient")
				.hasSingleBean(WebClient.class)
				.hasSingleBean(RestClient.class));
	}

	@Test
	void autoConfigurationWhenTypeRestClientThenOnlyRestClient() {
		this.contextRunner
			.withPropertyValues("tokenkit.clients.orders.base-url=https://api.example.com",
					"tokenkit.clients.orders.type=rest-client")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("ordersRestClient")
				.doesNotHaveBean("ordersWebClient")
				.doesNotHaveBean(WebClient.class));
	}

	@Test
	void autoConfigurationWhenTypeWebClientThenOnlyWebClient() {
		this.contextRunner
			.withPropertyValues("tokenkit.clients.orders.base-url=https://api.example.com",
					"tokenkit.clients.orders.type=web-client")
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("ordersWebClient")
				.doesNotHaveBean("ordersRestClient")
				.doesNotHaveBean(RestClient.class));
	}

	@Test
	void autoConfigurationWhenUserDefinesRestClientWithSameNameThenTheirsWins() {
		this.contextRunner.withPropertyValues("tokenkit.clients.orders.base-url=https://api.example.com")
			.withUserConfiguration(UserRestClient.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RestClient.class);
				assertThat(context.getBean("ordersRestClient")).isSameAs(UserRestClient.CLIENT);
			});
	}

	@Test
	void autoConfigurationWhenRestClientNotOnClassPathThenOnlyWebClient() {
		this.contextRunner.withPropertyValues("tokenkit.clients.orders.base-url=https://api.example.com")
			.withClassLoader(new FilteredClassLoader(RestClient.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("ordersWebClient")
				.doesNotHaveBean("ordersRestClient")
				.doesNotHaveBean(BearerTokenInterceptors.class));
	}

	@Test
	void autoConfigurationWhenNoRestClientBuilderThenOnlyWebClientUnlessTypeAsksForRestClient() {
		ApplicationContextRunner withoutBuilder = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
					TokenKitRestClientAutoConfiguration.class))
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=static-token", "tokenkit.clients.orders.registration=orders",
					"tokenkit.clients.orders.base-url=https://api.example.com");
		withoutBuilder.run((context) -> assertThat(context).hasNotFailed()
			.hasBean("ordersWebClient")
			.hasSingleBean(BearerTokenInterceptors.class)
			.doesNotHaveBean("ordersRestClient"));
		withoutBuilder.withPropertyValues("tokenkit.clients.orders.type=rest-client")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidTokenKitPropertyException.class)
				.hasMessageContaining("tokenkit.clients.orders.type")
				.hasMessageContaining("RestClient.Builder"));
	}

	@Test
	void autoConfigurationWhenQualifiedRestClientInjectedThenCallsApiWithTheToken() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().body("ok").build());
			server.start();
			this.contextRunner.withPropertyValues("tokenkit.clients.orders.base-url=" + server.url("/api"))
				.withUserConfiguration(InjectsQualifiedRestClient.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					RestClient client = context.getBean(InjectsQualifiedRestClient.class).client;
					assertThat(client.get().uri("/items").retrieve().body(String.class)).isEqualTo("ok");
					RecordedRequest request = server.takeRequest();
					assertThat(request.getTarget()).isEqualTo("/api/items");
					assertThat(request.getHeaders().get("x-access-token")).isEqualTo("static-token");
				});
		}
	}

	@Test
	void autoConfigurationWhenRestClientRedirectedThenAnswerReachesCallerAndTokenStays() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
			server.start();
			this.contextRunner
				.withPropertyValues("tokenkit.clients.orders.base-url=" + server.url("/api"),
						"tokenkit.clients.orders.type=rest-client")
				.run((context) -> {
					RestClient client = context.getBean("ordersRestClient", RestClient.class);
					int status = client.get().uri("/items").exchange((req, res) -> res.getStatusCode().value());
					assertThat(status).isEqualTo(302);
					assertThat(server.getRequestCount()).isEqualTo(1);
				});
		}
	}

	@Test
	void autoConfigurationWhenRestClientOverPlainHttpToAnotherHostThenOneWarning(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("tokenkit.clients.orders.base-url=http://api.example.com/v1",
					"tokenkit.clients.orders.type=rest-client")
			.run((context) -> {
				context.getBean("ordersRestClient");
				assertThat(output.getAll()).containsOnlyOnce(WARNING);
			});
	}

	@Test
	void autoConfigurationWhenBothClientsOverPlainHttpToAnotherHostThenStillOneWarning(CapturedOutput output) {
		this.contextRunner.withPropertyValues("tokenkit.clients.orders.base-url=http://api.example.com/v1")
			.run((context) -> {
				context.getBean("ordersRestClient");
				context.getBean("ordersWebClient");
				assertThat(output.getAll()).containsOnlyOnce(WARNING);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectsQualifiedRestClient {

		final RestClient client;

		InjectsQualifiedRestClient(@Qualifier("orders") RestClient client) {
			this.client = client;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserRestClient {

		static final RestClient CLIENT = RestClient.create();

		@Bean
		RestClient ordersRestClient() {
			return CLIENT;
		}

	}

}
