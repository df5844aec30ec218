package io.tokenkit.test;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link AutoConfigureMockTokenServer @AutoConfigureMockTokenServer} on a tiny
 * Spring context, without TokenKit: the servers are beans, the properties point at them,
 * they are reset after each test method and closed with the context.
 */
@SpringJUnitConfig(AutoConfigureMockTokenServerTests.Empty.class)
@AutoConfigureMockTokenServer(registrations = "listed", clients = "orders")
@TestPropertySource(properties = { "tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
		"tokenkit.registrations[billing].tokenUri=https://auth.example.com/billing",
		"tokenkit.registrations.users.issuer-uri=https://auth.example.com/realms/users",
		"tokenkit.registrations.orders.client-id=orders-app" })
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoConfigureMockTokenServerTests {

	@Autowired
	private MockTokenServer tokenServer;

	@Autowired
	private MockResourceServer resourceServer;

	@Autowired
	private Environment environment;

	@Test
	@Order(1)
	void propertiesWhenInEnvironmentOrListedThenPointedAtServers() {
		assertThat(this.environment.getProperty("tokenkit.registrations.orders.token-uri"))
			.isEqualTo(this.tokenServer.tokenUri("orders"));
		assertThat(this.environment.getProperty("tokenkit.registrations.billing.token-uri"))
			.isEqualTo(this.tokenServer.tokenUri("billing"));
		assertThat(this.environment.getProperty("tokenkit.registrations.users.issuer-uri"))
			.isEqualTo(this.tokenServer.issuerUri("users"));
		assertThat(this.environment.getProperty("tokenkit.registrations.listed.token-uri"))
			.isEqualTo(this.tokenServer.tokenUri("listed"));
		assertThat(this.environment.getProperty("tokenkit.clients.orders.base-url"))
			.isEqualTo(this.resourceServer.baseUrl());
		assertThat(this.environment.getProperty("tokenkit.registrations.orders.client-id")).isEqualTo("orders-app");
		assertThat(this.environment.containsProperty("tokenkit.registrations.users.token-uri")).isFalse();
	}

	@Test
	@Order(2)
	void serversWhenCalledThenRecordCalls() {
		String token = Http
			.accessToken(Http.token(this.tokenServer.tokenUri("orders"), "grant_type=client_credentials"));
		Http.bearer(this.resourceServer.baseUrl() + "/orders", token);
		this.tokenServer.registration("orders").failNext(1, 500, "{}");
		TokenKitAssertions.assertThat(this.tokenServer).receivedTokenCalls("orders", 1);
		TokenKitAssertions.assertThat(this.resourceServer).receivedRequests(1);
	}

	@Test
	@Order(3)
	void nextTestMethodThenServersResetAndTokensStillAccepted() {
		TokenKitAssertions.assertThat(this.tokenServer).receivedTokenCalls("orders", 0);
		TokenKitAssertions.assertThat(this.resourceServer).receivedRequests(0);
		assertThat(Http.token(this.tokenServer.tokenUri("orders"), "grant_type=client_credentials").statusCode())
			.as("the script of the previous method is gone")
			.isEqualTo(200);
	}

	@Test
	@Order(4)
	void contextWhenClosedThenServersClosed() {
		ContextCustomizer customizer = new MockTokenServerContextCustomizerFactory()
			.createContextCustomizer(AutoConfigureMockTokenServerTests.class, List.of());
		assertThat(customizer).isEqualTo(new MockTokenServerContextCustomizerFactory()
			.createContextCustomizer(AutoConfigureMockTokenServerTests.class, List.of()));
		assertThat(new MockTokenServerContextCustomizerFactory().createContextCustomizer(Empty.class, List.of()))
			.isNull();
		String tokenUri;
		String resourceUrl;
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			customizer.customizeContext(context, null);
			context.refresh();
			tokenUri = context.getBean(MockTokenServer.class).tokenUri("orders");
			resourceUrl = context.getBean(MockResourceServer.class).baseUrl();
			assertThat(Http.token(tokenUri, "grant_type=client_credentials").statusCode()).isEqualTo(200);
		}
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> Http.token(tokenUri, "grant_type=client_credentials"));
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> Http.get(resourceUrl + "/orders"));
	}

	@Test
	@Order(5)
	void propertiesWhenEnvironmentVariablesOrBracketedIdsThenBoundToServers() {
		ContextCustomizer customizer = new MockTokenServerContextCustomizerFactory()
			.createContextCustomizer(AutoConfigureMockTokenServerTests.class, List.of());
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			MutablePropertySources sources = context.getEnvironment().getPropertySources();
			sources.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
							Map.of("TOKENKIT_REGISTRATIONS_ORDERS_TOKENURI", "https://auth.example.com/orders",
									"TOKENKIT_REGISTRATIONS_USERS_ISSUER_URI", "https://auth.example.com/users")));
			sources.addLast(new MapPropertySource("test", Map.of("tokenkit.registrations[my.api].token-uri",
					"https://auth.example.com/my-api", "tokenkit.registrations[my.api].client-id", "my-app")));
			customizer.customizeContext(context, null);
			context.refresh();
			MockTokenServer tokenServer = context.getBean(MockTokenServer.class);
			Map<String, BoundRegistration> registrations = Binder.get(context.getEnvironment())
				.bind("tokenkit.registrations", Bindable.mapOf(String.class, BoundRegistration.class))
				.get();
			assertThat(registrations).containsOnlyKeys("orders", "users", "my.api", "listed");
			assertThat(registrations.get("orders").tokenUri()).isEqualTo(tokenServer.tokenUri("orders"));
			assertThat(registrations.get("users").issuerUri()).isEqualTo(tokenServer.issuerUri("users"));
			assertThat(registrations.get("my.api").tokenUri()).isEqualTo(tokenServer.tokenUri("my.api"));
			assertThat(registrations.get("my.api").clientId()).isEqualTo("my-app");
		}
	}

	/** A registration's endpoint properties as Spring Boot binds them. */
	record BoundRegistration(String tokenUri, String issuerUri, String clientId) {

	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
