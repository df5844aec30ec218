package io.tokenkit.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.AuthorizationServerIntegrationTests.AuthorizationServerApplication;
import io.tokenkit.autoconfigure.AuthorizationServerIntegrationTests.RestOrdersCaller;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.security.oauth2.client.annotation.ClientRegistrationId;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Servlet applications configured only by properties, whose registration lives under
 * {@code spring.security.oauth2.client.*}, call a JWT-protected resource of a real Spring
 * Authorization Server (started as in {@link AuthorizationServerIntegrationTests})
 * through TokenKit: its {@link RestClient} bean with
 * {@code tokenkit.registrations.<id>.from-spring-security}, and an {@code @HttpExchange}
 * interface annotated with Spring Security's {@code @ClientRegistrationId} with
 * {@code tokenkit.spring-security-registrations}, the one property that moves an
 * application from Spring Security's interceptor to TokenKit's.
 */
class SpringSecurityRegistrationsIntegrationTests {

	private static ConfigurableApplicationContext authorizationServer;

	private static String baseUrl;

	@BeforeAll
	static void startAuthorizationServer() {
		authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class).properties(Map.of(
				"server.port", "0", "spring.main.banner-mode", "off",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-id", "orders-app",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-secret",
				"{noop}orders-secret",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-authentication-methods",
				"client_secret_basic,client_secret_post",
				"spring.security.oauth2.authorizationserver.client.orders.registration.authorization-grant-types",
				"client_credentials", "spring.security.oauth2.authorizationserver.client.orders.registration.scopes",
				"orders.read"))
			.run();
		baseUrl = "http://localhost:" + ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	/**
	 * Spring Security's registration {@code orders}, as an application using Spring
	 * Security's OAuth 2.0 client configures it.
	 */
	private static Map<String, Object> springSecurityRegistration(String clientAuthenticationMethod) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("server.port", "0");
		properties.put("spring.main.banner-mode", "off");
		properties.put("spring.security.oauth2.client.registration.orders.provider", "shop");
		properties.put("spring.security.oauth2.client.registration.orders.client-id", "orders-app");
		properties.put("spring.security.oauth2.client.registration.orders.client-secret", "orders-secret");
		properties.put("spring.security.oauth2.client.registration.orders.client-authentication-method",
				clientAuthenticationMethod);
		properties.put("spring.security.oauth2.client.registration.orders.authorization-grant-type",
				"client_credentials");
		properties.put("spring.security.oauth2.client.registration.orders.scope", "orders.read");
		properties.put("spring.security.oauth2.client.provider.shop.token-uri", baseUrl + "/oauth2/token");
		return properties;
	}

	@Test
	void restClientWhenFromSpringSecurityThenCallsProtectedResourceWithItsRegistration() {
		Map<String, Object> properties = springSecurityRegistration("client_secret_basic");
		properties.put("tokenkit.registrations.orders.from-spring-security", "true");
		properties.put("tokenkit.clients.orders.base-url", baseUrl + "/api");
		properties.put("tokenkit.clients.orders.registration", "orders");
		try (ConfigurableApplicationContext servlet = new SpringApplicationBuilder(RestClientApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.run()) {
			assertThat(servlet.getBean("ordersRestClient")).isInstanceOf(RestClient.class);
			assertThat(servlet.getBean(RestOrdersCaller.class).whoAmI()).isEqualTo("hello orders-app [orders.read]");
			assertThat(servlet.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders")).getScopes())
				.containsExactly("orders.read");
		}
	}

	@Test
	void serviceGroupWhenClientRegistrationIdAndSpringSecurityRegistrationsThenCallsProtectedResource() {
		Map<String, Object> properties = springSecurityRegistration("client_secret_post");
		properties.put("spring.http.serviceclient.orders.base-url", baseUrl + "/api");
		properties.put("tokenkit.spring-security-registrations", "true");
		try (ConfigurableApplicationContext servlet = new SpringApplicationBuilder(ServiceGroupApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.run()) {
			assertThat(servlet.getBean(OrdersApi.class).hello()).isEqualTo("hello orders-app [orders.read]");
			assertThat(servlet.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders"))).isNotNull();
		}
	}

	@Test
	void serviceGroupWhenClientRegistrationIdWithoutSwitchThenLeftToSpringSecurity() {
		Map<String, Object> properties = springSecurityRegistration("client_secret_post");
		properties.put("spring.http.serviceclient.orders.base-url", baseUrl + "/api");
		try (ConfigurableApplicationContext servlet = new SpringApplicationBuilder(ServiceGroupApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(properties)
			.run()) {
			// no Spring Security configurer either: the request goes without a token
			assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class)
				.isThrownBy(servlet.getBean(OrdersApi.class)::hello);
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@Import(RestOrdersCaller.class)
	static class RestClientApplication {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@ImportHttpServices(group = "orders", types = OrdersApi.class)
	static class ServiceGroupApplication {

	}

	@ClientRegistrationId("orders")
	interface OrdersApi {

		@GetExchange("/hello")
		String hello();

	}

}
