package io.tokenkit.autoconfigure;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKitRegistration;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.registry.ImportHttpServices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Authorization Server, started in the test as a real OAuth 2.0 server, issues the
 * {@code client_credentials} token; a {@link WebClient} built only from
 * {@code tokenkit.*} properties calls a resource it protects, and so does the
 * {@link RestClient} bean of a servlet application configured only by properties, and the
 * {@code @HttpExchange} interfaces of its HTTP service groups.
 */
class AuthorizationServerIntegrationTests {

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
		int port = ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
		baseUrl = "http://localhost:" + port;
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	private ApplicationContextRunner tokenKit(String clientAuthentication) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(OrdersCaller.class)
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=" + baseUrl + "/oauth2/token",
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=orders-secret",
					"tokenkit.registrations.orders.client-authentication=" + clientAuthentication,
					"tokenkit.registrations.orders.scopes=orders.read",
					"tokenkit.clients.orders.base-url=" + baseUrl + "/api",
					"tokenkit.clients.orders.registration=orders");
	}

	@Test
	void webClientFromPropertiesWhenBasicThenCallsProtectedResourceWithClientCredentialsToken() {
		tokenKit("basic").run((context) -> {
			assertThat(context).hasNotFailed();
			String answer = context.getBean(OrdersCaller.class).whoAmI();
			assertThat(answer).isEqualTo("hello orders-app [orders.read]");
			assertThat(context.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders")).getScopes())
				.containsExactly("orders.read");
		});
	}

	@Test
	void webClientFromPropertiesWhenPostThenCallsProtectedResource() {
		tokenKit("post").run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
			.isEqualTo("hello orders-app [orders.read]"));
	}

	@Test
	void restClientFromPropertiesInServletApplicationThenCallsProtectedResource() {
		try (ConfigurableApplicationContext servlet = new SpringApplicationBuilder(ServletApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off",
					"tokenkit.registrations.orders.grant-type", "client_credentials",
					"tokenkit.registrations.orders.token-uri", baseUrl + "/oauth2/token",
					"tokenkit.registrations.orders.client-id", "orders-app",
					"tokenkit.registrations.orders.client-secret", "orders-secret",
					"tokenkit.registrations.orders.scopes", "orders.read", "tokenkit.clients.orders.base-url",
					baseUrl + "/api", "tokenkit.clients.orders.registration", "orders"))
			.run()) {
			assertThat(servlet.getBean("ordersRestClient")).isInstanceOf(RestClient.class);
			assertThat(servlet.getBean(RestOrdersCaller.class).whoAmI()).isEqualTo("hello orders-app [orders.read]");
			assertThat(servlet.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders"))).isNotNull();
		}
	}

	@Test
	void serviceGroupWhenBoundByPropertyThenCallsProtectedResource() {
		try (ConfigurableApplicationContext servlet = serviceGroupApplication(
				"tokenkit.service-groups.orders.registration=orders")) {
			assertThat(servlet.getBean(OrdersApi.class).hello()).isEqualTo("hello orders-app [orders.read]");
			assertThat(servlet.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders"))).isNotNull();
		}
	}

	@Test
	void serviceGroupWhenBoundByAnnotationThenCallsProtectedResourceFromAnnotatedMethodOnly() {
		try (ConfigurableApplicationContext servlet = serviceGroupApplication()) {
			AnnotatedOrdersApi annotated = servlet.getBean(AnnotatedOrdersApi.class);
			assertThat(annotated.hello()).isEqualTo("hello orders-app [orders.read]");
			assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class).isThrownBy(annotated::anonymous);
			// no property: the group of the interface without annotations is untouched
			assertThatExceptionOfType(HttpClientErrorException.Unauthorized.class)
				.isThrownBy(servlet.getBean(OrdersApi.class)::hello);
		}
	}

	private static ConfigurableApplicationContext serviceGroupApplication(String... properties) {
		return new SpringApplicationBuilder(ServiceGroupApplication.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off",
					"tokenkit.registrations.orders.grant-type", "client_credentials",
					"tokenkit.registrations.orders.token-uri", baseUrl + "/oauth2/token",
					"tokenkit.registrations.orders.client-id", "orders-app",
					"tokenkit.registrations.orders.client-secret", "orders-secret",
					"tokenkit.registrations.orders.scopes", "orders.read", "spring.http.serviceclient.orders.base-url",
					baseUrl + "/api", "spring.http.serviceclient.annotated.base-url", baseUrl + "/api"))
			.properties(properties)
			.run();
	}

	@Test
	void webClientWhenNoTokenThenResourceRejectsRequest() {
		assertThat(WebClient.create(baseUrl + "/api")
			.get()
			.uri("/hello")
			.exchangeToMono((response) -> reactor.core.publisher.Mono.just(response.statusCode().value()))
			.block()).isEqualTo(401);
	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersCaller {

		private final WebClient orders;

		OrdersCaller(@Qualifier("orders") WebClient orders) {
			this.orders = orders;
		}

		String whoAmI() {
			return this.orders.get().uri("/hello").retrieve().bodyToMono(String.class).block();
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@Import(RestOrdersCaller.class)
	static class ServletApplication {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@ImportHttpServices(group = "orders", types = OrdersApi.class)
	@ImportHttpServices(group = "annotated", types = AnnotatedOrdersApi.class)
	static class ServiceGroupApplication {

	}

	interface OrdersApi {

		@GetExchange("/hello")
		String hello();

	}

	interface AnnotatedOrdersApi {

		@TokenKitRegistration("orders")
		@GetExchange("/hello")
		String hello();

		@GetExchange("/hello")
		String anonymous();

	}

	static class RestOrdersCaller {

		private final RestClient orders;

		RestOrdersCaller(@Qualifier("orders") RestClient orders) {
			this.orders = orders;
		}

		String whoAmI() {
			return this.orders.get().uri("/hello").retrieve().body(String.class);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AuthorizationServerApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.oauth2AuthorizationServer(Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				// bearer tokens, and DPoP-bound tokens with their proofs
				// (DpopIntegrationTests)
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults())
					.dPoP(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello(@AuthenticationPrincipal Jwt jwt) {
			return "hello " + jwt.getSubject() + " " + jwt.getClaimAsStringList("scope");
		}

	}

}
