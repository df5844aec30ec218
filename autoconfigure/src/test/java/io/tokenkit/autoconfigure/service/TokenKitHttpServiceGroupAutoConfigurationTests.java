package io.tokenkit.autoconfigure.service;

import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitFailureAnalyzer;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.token.TokenKitRegistration;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.service.HttpServiceClientPropertiesAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.service.HttpServiceClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.service.ReactiveHttpServiceClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.HttpServiceGroup;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceProxyRegistry;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;

class TokenKitHttpServiceGroupAutoConfigurationTests {

	private static final String REST = "tokenKitRestClientHttpServiceGroupConfigurer";

	private static final String WEB = "tokenKitWebClientHttpServiceGroupConfigurer";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HttpClientAutoConfiguration.class,
				ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, HttpServiceClientPropertiesAutoConfiguration.class,
				HttpServiceClientAutoConfiguration.class, ReactiveHttpServiceClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class,
				TokenKitRestClientAutoConfiguration.class, TokenKitHttpServiceGroupAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
				"tokenkit.registrations.orders.token=orders-token", "tokenkit.registrations.billing.grant-type=static",
				"tokenkit.registrations.billing.token=billing-token");

	private MockWebServer server;

	@BeforeEach
	void startServer() throws Exception {
		this.server = new MockWebServer();
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void autoConfigurationWhenServiceGroupApiPresentThenBothConfigurers() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(RestClientHttpServiceGroupConfigurer.class)
			.hasBean(REST)
			.hasBean(WEB));
	}

	@Test
	void autoConfigurationWhenNoRestClientGroupApiThenOnlyWebClientConfigurer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(RestClientHttpServiceGroupConfigurer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(REST).hasBean(WEB));
	}

	@Test
	void autoConfigurationWhenNoWebClientGroupApiThenOnlyRestClientConfigurer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(WebClientHttpServiceGroupConfigurer.class))
			.run((context) -> assertThat(context).hasNotFailed().hasBean(REST).doesNotHaveBean(WEB));
	}

	@Test
	void autoConfigurationWhenNoServiceGroupApiThenNoConfigurer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HttpServiceGroupConfigurer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(REST).doesNotHaveBean(WEB));
	}

	@Test
	void autoConfigurationWhenUserDefinesConfigurersWithSameNamesThenTheirsWin() {
		this.contextRunner.withUserConfiguration(UserConfigurers.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(REST)
				.isSameAs(context.getBean(UserConfigurers.class).rest));
	}

	@Test
	void restClientGroupWhenPropertyThenGroupTokenUnlessAnnotated() {
		enqueue(4);
		withOrdersGroups().withPropertyValues("tokenkit.service-groups.orders.registration=orders").run((context) -> {
			assertThat(context).hasNotFailed();
			HttpServiceProxyRegistry registry = context.getBean(HttpServiceProxyRegistry.class);
			OrdersApi orders = registry.getClient("orders", OrdersApi.class);
			BillingApi billing = registry.getClient("orders", BillingApi.class);
			orders.orders();
			orders.invoices();
			billing.invoices();
			billing.orders();
			assertThat(authorizations(4)).containsExactly("Bearer orders-token", "Bearer billing-token",
					"Bearer billing-token", "Bearer orders-token");
		});
	}

	@Test
	void restClientGroupWhenNoRegistrationThenUntouched() {
		enqueue(2);
		withOrdersGroups().run((context) -> {
			assertThat(context).hasNotFailed();
			HttpServiceProxyRegistry registry = context.getBean(HttpServiceProxyRegistry.class);
			// without the property, only the annotated method of OrdersApi has a token
			registry.getClient("orders", OrdersApi.class).orders();
			registry.getClient("public", PublicApi.class).status();
			assertThat(authorizations(2)).containsExactly(null, null);
		});
	}

	@Test
	void restClientGroupWhenBootRedirectsDontFollowThenTokenNeverFollowsRedirect() {
		this.server.enqueue(new MockResponse.Builder().code(302).addHeader("Location", "/elsewhere").build());
		withOrdersGroups()
			.withPropertyValues("tokenkit.service-groups.orders.registration=orders",
					"spring.http.serviceclient.orders.redirects=dont-follow")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(HttpServiceProxyRegistry.class).getClient("orders", OrdersApi.class).orders();
				assertThat(authorizations(1)).containsExactly("Bearer orders-token");
				assertThat(this.server.getRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void webClientGroupWhenPropertyThenGroupTokenUnlessAnnotated() {
		enqueue(2);
		this.contextRunner.withUserConfiguration(ReactiveGroup.class)
			.withPropertyValues("spring.http.serviceclient.reactive.base-url=" + this.server.url("/"),
					"tokenkit.service-groups.reactive.registration=orders")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				OrdersApi orders = context.getBean(HttpServiceProxyRegistry.class)
					.getClient("reactive", OrdersApi.class);
				orders.orders();
				orders.invoices();
				assertThat(authorizations(2)).containsExactly("Bearer orders-token", "Bearer billing-token");
			});
	}

	@Test
	void propertyWhenUnknownRegistrationThenFailureAnalysisNamesPropertyAndKnownRegistrations() {
		withOrdersGroups().withPropertyValues("tokenkit.service-groups.orders.registration=shipping").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.service-groups.orders.registration")
				.contains("shipping")
				.contains("[orders, billing]");
		});
	}

	@Test
	void annotationWhenUnknownRegistrationThenFailureAnalysisNamesInterfaceAndKnownRegistrations() {
		assertThat(startupFailure(UnknownGroup.class, "unknown").getDescription())
			.contains("annotation '@TokenKitRegistration on ")
			.contains(UnknownApi.class.getName())
			.contains("shipping")
			.contains("[orders, billing]");
	}

	@Test
	void annotationWhenScopesOnARegistrationThatCannotServeThemThenFailureAnalysisNamesMethodAndRegistration() {
		assertThat(startupFailure(ScopedGroup.class, "scoped").getDescription()).contains("@TokenKitRegistration on ")
			.contains(ScopedApi.class.getName() + ".orders()")
			.contains("registration 'orders' cannot serve per-call scopes");
	}

	/** The failure analysis of a start-up with this group configuration. */
	private FailureAnalysis startupFailure(Class<?> configuration, String group) {
		AtomicReference<FailureAnalysis> analysis = new AtomicReference<>();
		this.contextRunner.withUserConfiguration(configuration)
			.withPropertyValues("spring.http.serviceclient." + group + ".base-url=" + this.server.url("/"))
			.run((context) -> analysis.set(analyze(context)));
		return analysis.get();
	}

	private ApplicationContextRunner withOrdersGroups() {
		return this.contextRunner.withUserConfiguration(OrdersGroups.class)
			.withPropertyValues("spring.http.serviceclient.orders.base-url=" + this.server.url("/"),
					"spring.http.serviceclient.public.base-url=" + this.server.url("/"));
	}

	private void enqueue(int count) {
		for (int i = 0; i < count; i++) {
			this.server.enqueue(new MockResponse.Builder().body("ok").build());
		}
	}

	private String[] authorizations(int count) throws InterruptedException {
		String[] authorizations = new String[count];
		for (int i = 0; i < count; i++) {
			RecordedRequest request = this.server.takeRequest();
			authorizations[i] = request.getHeaders().get("Authorization");
		}
		return authorizations;
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	interface OrdersApi {

		@GetExchange("/orders")
		String orders();

		@TokenKitRegistration("billing")
		@GetExchange("/invoices")
		String invoices();

	}

	@TokenKitRegistration("billing")
	interface BillingApi {

		@GetExchange("/invoices")
		String invoices();

		@TokenKitRegistration("orders")
		@GetExchange("/orders")
		String orders();

	}

	interface PublicApi {

		@GetExchange("/status")
		String status();

	}

	@TokenKitRegistration("shipping")
	interface UnknownApi {

		@GetExchange("/parcels")
		String parcels();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "orders", types = { OrdersApi.class, BillingApi.class })
	@ImportHttpServices(group = "public", types = PublicApi.class)
	static class OrdersGroups {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "reactive", types = OrdersApi.class,
			clientType = HttpServiceGroup.ClientType.WEB_CLIENT)
	static class ReactiveGroup {

	}

	interface ScopedApi {

		@TokenKitRegistration(value = "orders", scopes = "orders.read")
		@GetExchange("/orders")
		String orders();

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "scoped", types = ScopedApi.class)
	static class ScopedGroup {

	}

	@Configuration(proxyBeanMethods = false)
	@ImportHttpServices(group = "unknown", types = UnknownApi.class)
	static class UnknownGroup {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConfigurers {

		final RestClientHttpServiceGroupConfigurer rest = (groups) -> {
		};

		@Bean
		RestClientHttpServiceGroupConfigurer tokenKitRestClientHttpServiceGroupConfigurer() {
			return this.rest;
		}

	}

}
