package io.tokenkit.autoconfigure;

import java.io.IOException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.TokenKey;
import io.tokenkit.autoconfigure.ClientAuthenticationIntegrationTests.OrdersCaller;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationGrantAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContext;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2AccessTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2RefreshTokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.filter.OncePerRequestFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JWT-bearer grant (RFC 7523 §2.1) against Spring Authorization Server, started in
 * the test, which has no such grant of its own: the test registers a converter and a
 * provider that verify the assertion with the client's registered JWK set, check its
 * claims, refuse a {@code jti} seen before (a replay cache, RFC 7523 §3 item 7) and issue
 * a token. A registration configured only by properties, with grant-type
 * {@code jwt-bearer} and a client key (which also signs its {@code private_key_jwt}
 * client assertions), gets a token the server's resource server accepts; when the token
 * endpoint fails the first request with a {@code 503} after taking note of its assertion,
 * the retry sends a fresh assertion and gets the token.
 */
class JwtBearerIntegrationTests {

	private static final String CLIENT_ID = "bearer-app";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final TestKeystores keys = new TestKeystores();

	private static final MockWebServer jwks = new MockWebServer();

	/** The {@code jti} of every JWT-bearer assertion the server has seen. */
	private static final Set<String> seenJtis = ConcurrentHashMap.newKeySet();

	/** The JWT-bearer assertions that reached the token endpoint, in order. */
	private static final List<String> assertions = new CopyOnWriteArrayList<>();

	/** Whether the next JWT-bearer token request fails with a 503. */
	private static final AtomicBoolean failNext = new AtomicBoolean();

	private static ConfigurableApplicationContext authorizationServer;

	private static String baseUrl;

	private static String keyFile;

	@BeforeAll
	static void start() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair key = generator.generateKeyPair();
		keyFile = keys
			.write("bearer.pem",
					"-----BEGIN PRIVATE KEY-----\n"
							+ Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
							+ "\n-----END PRIVATE KEY-----\n")
			.toString();
		String jwkSet = new JWKSet(
				new ECKey.Builder(Curve.P_256, (ECPublicKey) key.getPublic()).keyID("bearer-1").build())
			.toString();
		jwks.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body(jwkSet)
					.build();
			}
		});
		jwks.start();
		authorizationServer = new SpringApplicationBuilder(JwtBearerServer.class)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off"))
			.run();
		baseUrl = "http://localhost:" + ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
	}

	@AfterAll
	static void stop() {
		authorizationServer.close();
		jwks.close();
	}

	@BeforeEach
	void reset() {
		assertions.clear();
		failNext.set(false);
	}

	private ApplicationContextRunner tokenKit() {
		String registration = "tokenkit.registrations.orders.";
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(OrdersCaller.class)
			.withPropertyValues(registration + "grant-type=jwt-bearer",
					registration + "token-uri=" + baseUrl + "/oauth2/token", registration + "client-id=" + CLIENT_ID,
					registration + "client-authentication=private_key_jwt", registration + "client-key.file=" + keyFile,
					registration + "client-key.key-id=bearer-1", registration + "scopes=orders.read",
					"tokenkit.token-calls.retry-backoff=20ms", "tokenkit.clients.orders.base-url=" + baseUrl + "/api",
					"tokenkit.clients.orders.registration=orders");
	}

	@Test
	void jwtBearerWithClientKeyThenResourceServerAcceptsToken() {
		tokenKit().run((context) -> {
			assertThat(context.getBean(OrdersCaller.class).whoAmI()).isEqualTo("hello bearer-app [orders.read]");
			assertThat(context.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders"))).isNotNull();
		});
		assertThat(assertions).hasSize(1);
		JsonNode claims = claims(assertions.get(0));
		assertThat(claims.get("iss").asString()).isEqualTo(CLIENT_ID);
		assertThat(claims.get("sub").asString()).isEqualTo(CLIENT_ID);
		assertThat(claims.get("aud").asString()).isEqualTo(baseUrl + "/oauth2/token");
	}

	@Test
	void jwtBearerWhenFirstRequestFailsWith503ThenRetrySendsFreshAssertionAndGetsToken() {
		failNext.set(true);
		tokenKit().run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
			.isEqualTo("hello bearer-app [orders.read]"));
		// the first assertion was noted by the server before it failed; the retry's
		// is another, which the server took
		assertThat(assertions).hasSize(2);
		assertThat(assertions.get(1)).isNotEqualTo(assertions.get(0));
		String first = claims(assertions.get(0)).get("jti").asString();
		String retried = claims(assertions.get(1)).get("jti").asString();
		assertThat(retried).isNotEqualTo(first);
		assertThat(seenJtis).contains(first, retried);
	}

	private static JsonNode claims(String jwt) {
		return json.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
	}

	/**
	 * Spring Authorization Server with the JWT-bearer grant of this test, and a resource
	 * of its own.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class JwtBearerServer {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http, OAuth2TokenGenerator<OAuth2Token> tokens)
				throws Exception {
			http.oauth2AuthorizationServer((server) -> server
				.tokenEndpoint((endpoint) -> endpoint.accessTokenRequestConverter(new JwtBearerConverter())
					.authenticationProvider(new JwtBearerProvider(tokens))))
				.addFilterBefore(new FailFirstJwtBearer(), SecurityContextHolderFilter.class)
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		/**
		 * The token generator of every grant: this test's provider needs one, and Spring
		 * Authorization Server uses this bean for its own grants too.
		 */
		@Bean
		OAuth2TokenGenerator<OAuth2Token> tokenGenerator(JWKSource<SecurityContext> jwkSource) {
			return new DelegatingOAuth2TokenGenerator(new JwtGenerator(new NimbusJwtEncoder(jwkSource)),
					new OAuth2AccessTokenGenerator(), new OAuth2RefreshTokenGenerator());
		}

		@Bean
		RegisteredClientRepository registeredClientRepository() {
			return new InMemoryRegisteredClientRepository(RegisteredClient.withId(CLIENT_ID)
				.clientId(CLIENT_ID)
				.clientAuthenticationMethod(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
				.authorizationGrantType(AuthorizationGrantType.JWT_BEARER)
				.scope("orders.read")
				.clientSettings(ClientSettings.builder()
					.jwkSetUrl(jwks.url("/bearer-app").toString())
					.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES256)
					.build())
				.build());
		}

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

	}

	/**
	 * Reads a JWT-bearer token request: the client, authenticated before, the
	 * {@code assertion} and the {@code scope}.
	 */
	static final class JwtBearerConverter implements AuthenticationConverter {

		@Override
		public @Nullable Authentication convert(HttpServletRequest request) {
			if (!AuthorizationGrantType.JWT_BEARER.getValue().equals(request.getParameter("grant_type"))) {
				return null;
			}
			String assertion = request.getParameter("assertion");
			if (assertion == null || assertion.isBlank()) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_REQUEST);
			}
			String scope = request.getParameter("scope");
			Set<String> scopes = (scope != null) ? new LinkedHashSet<>(Arrays.asList(scope.split(" "))) : Set.of();
			return new JwtBearerGrant(SecurityContextHolder.getContext().getAuthentication(), assertion, scopes);
		}

	}

	/**
	 * A JWT-bearer token request.
	 */
	static final class JwtBearerGrant extends OAuth2AuthorizationGrantAuthenticationToken {

		private final String assertion;

		private final Set<String> scopes;

		JwtBearerGrant(Authentication client, String assertion, Set<String> scopes) {
			super(AuthorizationGrantType.JWT_BEARER, client, Map.of());
			this.assertion = assertion;
			this.scopes = scopes;
		}

	}

	/**
	 * Verifies an assertion with the client's registered JWK set and checks its claims:
	 * {@code iss} and {@code sub} the client (it asserts itself), {@code aud} the issuer
	 * or the token endpoint, {@code exp} and {@code nbf} (the decoder's checks), and a
	 * {@code jti} never seen before; then issues an access token whose subject is the
	 * assertion's.
	 */
	static final class JwtBearerProvider implements AuthenticationProvider {

		private final OAuth2TokenGenerator<OAuth2Token> tokens;

		JwtBearerProvider(OAuth2TokenGenerator<OAuth2Token> tokens) {
			this.tokens = tokens;
		}

		@Override
		public Authentication authenticate(Authentication authentication) {
			JwtBearerGrant grant = (JwtBearerGrant) authentication;
			if (!(grant.getPrincipal() instanceof OAuth2ClientAuthenticationToken client) || !client.isAuthenticated()
					|| client.getRegisteredClient() == null) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
			}
			RegisteredClient registered = client.getRegisteredClient();
			if (!registered.getAuthorizationGrantTypes().contains(AuthorizationGrantType.JWT_BEARER)) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT);
			}
			Jwt jwt;
			try {
				jwt = NimbusJwtDecoder.withJwkSetUri(registered.getClientSettings().getJwkSetUrl())
					.jwsAlgorithm(SignatureAlgorithm.ES256)
					.build()
					.decode(grant.assertion);
			}
			catch (JwtException ex) {
				throw invalidGrant("assertion not verified: " + ex.getMessage());
			}
			AuthorizationServerContext server = AuthorizationServerContextHolder.getContext();
			String issuer = server.getIssuer();
			if (!registered.getClientId().equals(jwt.getClaimAsString("iss"))
					|| !registered.getClientId().equals(jwt.getSubject())) {
				throw invalidGrant("assertion not issued by the client for itself");
			}
			if (jwt.getAudience() == null || (!jwt.getAudience().contains(issuer) && !jwt.getAudience()
				.contains(issuer + server.getAuthorizationServerSettings().getTokenEndpoint()))) {
				throw invalidGrant("assertion not meant for this server");
			}
			if (jwt.getId() == null || !seenJtis.add(jwt.getId())) {
				throw invalidGrant("assertion replayed");
			}
			if (!registered.getScopes().containsAll(grant.scopes)) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_SCOPE);
			}
			Set<String> scopes = grant.scopes.isEmpty() ? registered.getScopes() : grant.scopes;
			OAuth2Token token = this.tokens.generate(DefaultOAuth2TokenContext.builder()
				.registeredClient(registered)
				.principal(UsernamePasswordAuthenticationToken.authenticated(jwt.getSubject(), null, List.of()))
				.authorizationServerContext(server)
				.authorizedScopes(scopes)
				.tokenType(OAuth2TokenType.ACCESS_TOKEN)
				.authorizationGrantType(AuthorizationGrantType.JWT_BEARER)
				.authorizationGrant(grant)
				.build());
			OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
					token.getTokenValue(), token.getIssuedAt(), token.getExpiresAt(), scopes);
			return new OAuth2AccessTokenAuthenticationToken(registered, client, accessToken);
		}

		private static OAuth2AuthenticationException invalidGrant(String description) {
			return new OAuth2AuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT, description, null));
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return JwtBearerGrant.class.isAssignableFrom(authentication);
		}

	}

	/**
	 * Keeps every JWT-bearer assertion that reaches the token endpoint, and, when asked
	 * to, fails the next such request with a {@code 503} after noting its {@code jti} in
	 * the replay cache: as a server that took the request and failed after it.
	 */
	static final class FailFirstJwtBearer extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			String assertion = request.getParameter("assertion");
			if (!"/oauth2/token".equals(request.getRequestURI())
					|| !AuthorizationGrantType.JWT_BEARER.getValue().equals(request.getParameter("grant_type"))
					|| assertion == null) {
				chain.doFilter(request, response);
				return;
			}
			assertions.add(assertion);
			if (failNext.compareAndSet(true, false)) {
				seenJtis.add(claims(assertion).get("jti").asString());
				response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
				return;
			}
			chain.doFilter(request, response);
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
