package io.tokenkit.autoconfigure;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.propagation.NoIncomingTokenException;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenExchangeCompositeAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Authorization Server, started in the test, issues a user's token (the subject
 * token, carrying {@code may_act} for the gateway) and exchanges it (RFC 8693); a servlet
 * gateway configured only by properties, a resource server of that authorization server,
 * calls the server's resource with the incoming request's token exchanged, exchanged with
 * an actor token, or forwarded as it is; without an incoming token nothing is sent.
 */
class TokenExchangeIntegrationTests {

	private static final AtomicInteger resourceCalls = new AtomicInteger();

	private static ConfigurableApplicationContext authorizationServer;

	private static ConfigurableApplicationContext gateway;

	private static String baseUrl;

	private static String gatewayUrl;

	@BeforeAll
	static void start() {
		String client = "spring.security.oauth2.authorizationserver.client.";
		authorizationServer = new SpringApplicationBuilder(
				AuthorizationServerIntegrationTests.AuthorizationServerApplication.class, ExchangeServer.class)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off",
					client + "user.registration.client-id", "user-app", client + "user.registration.client-secret",
					"{noop}user-secret", client + "user.registration.client-authentication-methods",
					"client_secret_basic", client + "user.registration.authorization-grant-types", "client_credentials",
					client + "user.registration.scopes", "orders.read,delegate"))
			.properties(Map.of(client + "gateway.registration.client-id", "gateway",
					client + "gateway.registration.client-secret", "{noop}gateway-secret",
					client + "gateway.registration.client-authentication-methods", "client_secret_basic",
					client + "gateway.registration.authorization-grant-types",
					"client_credentials,urn:ietf:params:oauth:grant-type:token-exchange",
					client + "gateway.registration.scopes", "orders.read"))
			.run();
		baseUrl = "http://localhost" + ":"
				+ ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
		String registration = "tokenkit.registrations.";
		gateway = new SpringApplicationBuilder(GatewayApplication.class).web(WebApplicationType.SERVLET)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off",
					"spring.security.oauth2.resourceserver.jwt.jwk-set-uri", baseUrl + "/oauth2/jwks",
					registration + "orders.grant-type", "token-exchange", registration + "orders.token-uri",
					baseUrl + "/oauth2/token", registration + "orders.client-id", "gateway",
					registration + "orders.client-secret", "gateway-secret", registration + "orders.scopes",
					"orders.read", registration + "orders.token-exchange.subject-token-type", "jwt"))
			.properties(Map.of(registration + "acting.grant-type", "urn:ietf:params:oauth:grant-type:token-exchange",
					registration + "acting.token-uri", baseUrl + "/oauth2/token", registration + "acting.client-id",
					"gateway", registration + "acting.client-secret", "gateway-secret", registration + "acting.scopes",
					"orders.read", registration + "acting.token-exchange.actor-token-registration", "self",
					registration + "self.grant-type", "client_credentials", registration + "self.token-uri",
					baseUrl + "/oauth2/token", registration + "self.client-id", "gateway",
					registration + "self.client-secret", "gateway-secret"))
			.properties(Map.of("tokenkit.clients.orders.base-url", baseUrl + "/api",
					"tokenkit.clients.orders.registration", "orders", "tokenkit.clients.orders.propagation", "exchange",
					"tokenkit.clients.acting.base-url", baseUrl + "/api", "tokenkit.clients.acting.registration",
					"acting", "tokenkit.clients.forward.base-url", baseUrl + "/api",
					"tokenkit.clients.forward.propagation", "forward"))
			.run();
		gatewayUrl = "http://localhost:" + ((WebServerApplicationContext) gateway).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		gateway.close();
		authorizationServer.close();
	}

	@BeforeEach
	void reset() {
		resourceCalls.set(0);
	}

	private static String userToken() {
		return userToken("orders.read");
	}

	/**
	 * Return a user's token; with scope {@code delegate}, it names the gateway in
	 * {@code may_act}, and Spring Authorization Server exchanges it only with the
	 * gateway's actor token.
	 */
	private static String userToken(String scope) {
		Map<?, ?> answer = RestClient.create(baseUrl)
			.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth("user-app", "user-secret"))
			.contentType(org.springframework.http.MediaType.APPLICATION_FORM_URLENCODED)
			.body("grant_type=client_credentials&scope=" + scope)
			.retrieve()
			.body(Map.class);
		return (String) answer.get("access_token");
	}

	private static String callGateway(String path, String token) {
		return RestClient.create(gatewayUrl)
			.get()
			.uri(path)
			.headers((headers) -> headers.setBearerAuth(token))
			.retrieve()
			.body(String.class);
	}

	@Test
	void restClientWhenIncomingTokenThenResourceGetsExchangedTokenOfSameSubject() {
		String user = userToken();
		String answer = callGateway("/call/orders", user);
		// the subject of the user's token, in a token the resource server accepts, not
		// the user's token itself
		assertThat(answer).startsWith("sub=user-app act=none token=")
			.doesNotEndWith("token=" + SubjectTokens.fingerprint(user));
		assertThat(resourceCalls).hasValue(1);
	}

	@Test
	void restClientWhenSameIncomingTokenTwiceThenOneExchange() {
		String user = userToken();
		String first = callGateway("/call/orders", user);
		String second = callGateway("/call/orders", user);
		assertThat(second).isEqualTo(first);
		String other = callGateway("/call/orders", userToken());
		assertThat(other).startsWith("sub=user-app").isNotEqualTo(first);
	}

	@Test
	void webClientInServletRequestWhenIncomingTokenThenExchanged() {
		String user = userToken();
		assertThat(callGateway("/call-web/orders", user)).startsWith("sub=user-app act=none token=")
			.doesNotEndWith("token=" + SubjectTokens.fingerprint(user));
	}

	@Test
	void exchangeWhenActorTokenConfiguredThenExchangedTokenNamesActor() {
		assertThat(callGateway("/call/acting", userToken("orders.read delegate")))
			.startsWith("sub=user-app act=gateway token=");
	}

	@Test
	void forwardWhenIncomingTokenThenResourceGetsItUnchanged() {
		String user = userToken();
		assertThat(callGateway("/call/forward", user))
			.isEqualTo("sub=user-app act=none token=" + SubjectTokens.fingerprint(user));
		assertThat(callGateway("/call-web/forward", user))
			.isEqualTo("sub=user-app act=none token=" + SubjectTokens.fingerprint(user));
	}

	@Test
	void callWhenNoIncomingTokenThenTypedErrorAndNothingSent() {
		for (String name : new String[] { "orders", "forward" }) {
			RestClient rest = gateway.getBean(name + "RestClient", RestClient.class);
			assertThatExceptionOfType(NoIncomingTokenException.class)
				.isThrownBy(() -> rest.get().uri("/act").retrieve().body(String.class))
				.satisfies((ex) -> assertThat(ex.getName()).isEqualTo(name));
			WebClient web = gateway.getBean(name + "WebClient", WebClient.class);
			assertThatExceptionOfType(NoIncomingTokenException.class)
				.isThrownBy(() -> web.get().uri("/act").retrieve().bodyToMono(String.class).block());
		}
		assertThat(resourceCalls).hasValue(0);
		assertThat(gateway.getBean(TokenManager.class).getRegistrationStatus("orders").toString())
			.doesNotContain("FAIL");
	}

	/**
	 * What the authorization server adds for token exchange: {@code may_act} naming the
	 * gateway in the user's tokens, {@code act} naming the actor in exchanged tokens, and
	 * a resource that shows which token reached it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ExchangeServer {

		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> exchangeClaims() {
			return (context) -> {
				if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
					return;
				}
				if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())
						&& context.getAuthorizedScopes().contains("delegate")) {
					// the server compares may_act with the actor token's stored claims,
					// whose
					// iss is a URL
					URL issuer = toUrl(context.getAuthorizationServerContext().getIssuer());
					context.getClaims().claim("may_act", Map.of("iss", issuer, "sub", "gateway"));
				}
				if (context.getPrincipal() instanceof OAuth2TokenExchangeCompositeAuthenticationToken composite) {
					context.getClaims().claim("act", Map.of("sub", composite.getActors().get(0).getSubject()));
				}
			};
		}

		private static URL toUrl(String issuer) {
			try {
				return URI.create(issuer).toURL();
			}
			catch (MalformedURLException ex) {
				throw new IllegalStateException(ex);
			}
		}

		/**
		 * Spring Authorization Server exchanges only tokens whose authorization records a
		 * principal, as a user's login does; a client_credentials token records none, so
		 * this one stands for the user's login and records its client as the principal.
		 */
		@Bean
		OAuth2AuthorizationService authorizationService() {
			InMemoryOAuth2AuthorizationService delegate = new InMemoryOAuth2AuthorizationService();
			return new OAuth2AuthorizationService() {

				@Override
				public void save(OAuth2Authorization authorization) {
					String principal = Principal.class.getName();
					delegate.save((authorization.getAttribute(principal) != null) ? authorization
							: OAuth2Authorization.from(authorization)
								.attribute(principal,
										UsernamePasswordAuthenticationToken
											.authenticated(authorization.getPrincipalName(), null, List.of()))
								.build());
				}

				@Override
				public void remove(OAuth2Authorization authorization) {
					delegate.remove(authorization);
				}

				@Override
				public OAuth2Authorization findById(String id) {
					return delegate.findById(id);
				}

				@Override
				public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
					return delegate.findByToken(token, tokenType);
				}

			};
		}

		@Bean
		ActController actController() {
			return new ActController();
		}

	}

	@RestController
	static class ActController {

		@GetMapping("/api/act")
		String act(@AuthenticationPrincipal Jwt jwt) {
			resourceCalls.incrementAndGet();
			Map<String, Object> act = jwt.getClaimAsMap("act");
			return "sub=" + jwt.getSubject() + " act=" + ((act != null) ? act.get("sub") : "none") + " token="
					+ SubjectTokens.fingerprint(jwt.getTokenValue());
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	static class GatewayApplication {

		@Bean
		GatewayController gatewayController(BeanFactory beanFactory) {
			return new GatewayController(beanFactory);
		}

	}

	@RestController
	static class GatewayController {

		private final BeanFactory beanFactory;

		GatewayController(BeanFactory beanFactory) {
			this.beanFactory = beanFactory;
		}

		@GetMapping("/call/{client}")
		String call(@PathVariable String client) {
			return this.beanFactory.getBean(client + "RestClient", RestClient.class)
				.get()
				.uri("/act")
				.retrieve()
				.body(String.class);
		}

		@GetMapping("/call-web/{client}")
		String callWeb(@PathVariable String client) {
			return this.beanFactory.getBean(client + "WebClient", WebClient.class)
				.get()
				.uri("/act")
				.retrieve()
				.bodyToMono(String.class)
				.block();
		}

	}

}
