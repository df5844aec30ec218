package io.tokenkit.autoconfigure.propagation;

import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TokenKitWebFluxPropagationAutoConfiguration}: a WebFlux application
 * without Spring Security forwards the incoming token once a client propagates it, and
 * the filter is registered only where TokenKit reads the incoming token.
 */
class TokenKitWebFluxPropagationAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(HttpClientAutoConfiguration.class,
			ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
			TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class,
			TokenKitWebFluxPropagationAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS);

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void webFluxWithoutSpringSecurityWhenClientForwardsThenIncomingTokenSentDownstream() throws Exception {
		this.server.enqueue(new MockResponse.Builder().body("profile of alice").build());
		this.contextRunner
			.withConfiguration(
					AutoConfigurations.of(HttpHandlerAutoConfiguration.class, WebFluxAutoConfiguration.class))
			.withUserConfiguration(ProfileController.class)
			.withPropertyValues("tokenkit.clients.profile.base-url=" + this.server.url("/"),
					"tokenkit.clients.profile.propagation=forward")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WebTestClient.bindToApplicationContext(context)
					.build()
					.get()
					.uri("/me")
					.header(HttpHeaders.AUTHORIZATION, "Bearer incoming-token")
					.exchange()
					.expectStatus()
					.isOk()
					.expectBody(String.class)
					.isEqualTo("profile of alice");
				RecordedRequest forwarded = this.server.takeRequest(5, TimeUnit.SECONDS);
				assertThat(forwarded.getHeaders().get(HttpHeaders.AUTHORIZATION)).isEqualTo("Bearer incoming-token");
				assertThat(context).hasSingleBean(ServerWebExchangeContextFilter.class);
			});
	}

	@Test
	void filterWhenTokenExchangeRegistrationThenRegistered() {
		this.contextRunner
			.withPropertyValues(
					"tokenkit.registrations.orders.grant-type=urn:ietf:params:oauth:grant-type:token-exchange",
					"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.orders.client-id=gateway",
					"tokenkit.registrations.orders.client-secret=gateway-secret")
			.run((context) -> assertThat(context).hasSingleBean(ServerWebExchangeContextFilter.class));
	}

	@Test
	void filterWhenTokenExchangeRegistrationSpelledWithUnderscoreThenRegistered() {
		// the spelling the registration's token source factory serves too
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=token_exchange",
					"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.orders.client-id=gateway",
					"tokenkit.registrations.orders.client-secret=gateway-secret")
			.run((context) -> assertThat(context).hasSingleBean(ServerWebExchangeContextFilter.class));
	}

	@Test
	void filterWhenNothingReadsIncomingTokenThenNotRegistered() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=orders-secret",
					"tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registration=orders")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ServerWebExchangeContextFilter.class));
	}

	@Test
	void filterWhenServletApplicationThenNotRegistered() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues("tokenkit.clients.profile.base-url=https://profile.example.com",
					"tokenkit.clients.profile.propagation=forward")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ServerWebExchangeContextFilter.class));
	}

	@Test
	void filterWhenApplicationHasItsOwnThenKept() {
		this.contextRunner.withBean("appExchangeFilter", ServerWebExchangeContextFilter.class)
			.withPropertyValues("tokenkit.clients.profile.base-url=https://profile.example.com",
					"tokenkit.clients.profile.propagation=forward")
			.run((context) -> assertThat(context).hasSingleBean(ServerWebExchangeContextFilter.class)
				.hasBean("appExchangeFilter"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ProfileController {

		@Bean
		Profile profile(@Qualifier("profile") WebClient profileClient) {
			return new Profile(profileClient);
		}

	}

	@RestController
	static class Profile {

		private final WebClient client;

		Profile(WebClient client) {
			this.client = client;
		}

		@GetMapping("/me")
		Mono<String> me() {
			return this.client.get().uri("/profile").retrieve().bodyToMono(String.class);
		}

	}

}
