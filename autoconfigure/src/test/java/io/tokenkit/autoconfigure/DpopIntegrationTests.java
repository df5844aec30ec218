package io.tokenkit.autoconfigure;

import java.net.URI;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP against Spring Authorization Server 7.1, started in the test, which binds the
 * tokens of requests with a DPoP proof ({@code token_type: DPoP}, {@code cnf.jkt}), and
 * its servlet resource server, whose {@code oauth2ResourceServer().jwt()} verifies proofs
 * with Spring Security's {@code DPoPAuthenticationProvider}: client credentials and
 * refresh tokens, a bound token accepted with a valid proof and refused with a proof for
 * another URL or of another key, proofs dated by a clock 30 s ahead, and three instances
 * on Redis sharing one configured key.
 */
class DpopIntegrationTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final String SHARED_KEY = sharedKey();

	private static ConfigurableApplicationContext authorizationServer;

	private static String baseUrl;

	@BeforeAll
	static void startAuthorizationServer() {
		String client = "spring.security.oauth2.authorizationserver.client.dpop.registration.";
		authorizationServer = new SpringApplicationBuilder(
				AuthorizationServerIntegrationTests.AuthorizationServerApplication.class, AuthorizationStore.class)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off", client + "client-id", "dpop-app",
					client + "client-secret", "{noop}dpop-secret", client + "client-authentication-methods",
					"client_secret_basic", client + "authorization-grant-types", "client_credentials,refresh_token",
					client + "scopes", "orders.read"))
			.run();
		int port = ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
		baseUrl = "http://localhost:" + port;
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	private ApplicationContextRunner tokenKit(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(AuthorizationServerIntegrationTests.OrdersCaller.class)
			.withPropertyValues("tokenkit.registrations.orders.token-uri=" + baseUrl + "/oauth2/token",
					"tokenkit.registrations.orders.client-id=dpop-app",
					"tokenkit.registrations.orders.client-secret=dpop-secret",
					"tokenkit.registrations.orders.scopes=orders.read", "tokenkit.registrations.orders.dpop=true",
					"tokenkit.clients.orders.base-url=" + baseUrl + "/api",
					"tokenkit.clients.orders.registration=orders")
			.withPropertyValues(properties);
	}

	@Test
	void clientCredentialsWhenDpopThenBoundTokenAcceptedWithProofAndRefusedWithProofForOtherUrlOrKey() {
		tokenKit("tokenkit.registrations.orders.grant-type=client_credentials").run((context) -> {
			assertThat(whoAmI(context)).isEqualTo("hello dpop-app [orders.read]");
			AccessToken token = boundToken(context);
			TokenAuthorizer authorizer = context.getBean(TokenManager.class).getRegistration("orders").authorizer();
			URI hello = URI.create(baseUrl + "/api/hello");
			URI other = URI.create(baseUrl + "/api/other");
			// a proof for the URL it goes to passes (an unmapped path is then 404) ...
			assertThat(send(other, headers(authorizer, token, other))).isEqualTo(404);
			assertThat(send(hello, headers(authorizer, token, hello))).isEqualTo(200);
			// ... one replayed to another URL, or signed with another key, is refused
			assertThat(send(other, headers(authorizer, token, hello))).isEqualTo(401);
			TokenAuthorizer otherKey = DpopProofs.withGeneratedKey(Clock.systemUTC()).authorizer();
			assertThat(send(hello, headers(otherKey, token, hello))).isEqualTo(401);
			// and the bound token without a proof, as a bearer token, is refused too
			HttpHeaders bearer = new HttpHeaders();
			bearer.setBearerAuth(token.getTokenValue());
			assertThat(send(hello, bearer)).isEqualTo(401);
		});
	}

	@Test
	void refreshTokenWhenDpopThenRedeemedWithProofAndBoundTokenAccepted() {
		String refreshToken = "rt-" + UUID.randomUUID();
		saveAuthorization("alice", refreshToken);
		tokenKit("tokenkit.registrations.orders.grant-type=refresh_token",
				"tokenkit.registrations.orders.refresh-token=" + refreshToken)
			.run((context) -> {
				assertThat(whoAmI(context)).isEqualTo("hello alice [orders.read]");
				boundToken(context);
			});
	}

	@Test
	void proofsWhenApplicationClockRunsAheadThenServersStillAcceptThem() {
		// the proofs' iat follows the Clock bean, 30 s ahead of the servers' clock:
		// within the skew Spring Security allows
		tokenKit("tokenkit.registrations.orders.grant-type=client_credentials")
			.withBean(Clock.class, () -> Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)))
			.run((context) -> assertThat(whoAmI(context)).isEqualTo("hello dpop-app [orders.read]"));
	}

	@Test
	void threeInstancesOnRedisWhenSharingOneKeyThenEachSendsTheOneSharedBoundToken() {
		ApplicationContextRunner instance = redis(
				tokenKit("tokenkit.registrations.orders.grant-type=client_credentials",
						"tokenkit.registrations.orders.client-key.file=" + SHARED_KEY));
		List<String> tokens = new ArrayList<>();
		instance.run((first) -> instance.run((second) -> instance.run((third) -> {
			for (AssertableApplicationContext context : List.of(first, second, third)) {
				assertThat(whoAmI(context)).isEqualTo("hello dpop-app [orders.read]");
				tokens.add(boundToken(context).getTokenValue());
			}
		})));
		assertThat(tokens).hasSize(3);
		assertThat(Set.copyOf(tokens)).hasSize(1);
	}

	@Test
	void redisStoreWhenDpopWithoutConfiguredKeyThenStartUpStopsNamingDpop() {
		redis(tokenKit("tokenkit.registrations.orders.grant-type=client_credentials")).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("tokenkit.registrations.orders.dpop")
				.hasMessageContaining("client-key");
		});
	}

	@Test
	void redisStoreWhenDpopOnStaticTokenThenStartsWithoutKeyAsStaticTokenGetsNoProof() {
		redis(tokenKit("tokenkit.registrations.orders.grant-type=static",
				"tokenkit.registrations.orders.token=static-token"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TokenManager.class).getRegistration("orders").authorizer().readsAnswers())
					.isFalse();
			});
	}

	private static ApplicationContextRunner redis(ApplicationContextRunner runner) {
		return runner
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DataRedisReactiveAutoConfiguration.class, TokenKitRedisAutoConfiguration.class))
			.withPropertyValues("spring.data.redis.port=" + redisServer.port(), "tokenkit.store.type=redis",
					"tokenkit.store.redis.key-prefix=dpop-" + UUID.randomUUID() + ":");
	}

	private static String whoAmI(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(AuthorizationServerIntegrationTests.OrdersCaller.class).whoAmI();
	}

	/**
	 * The token held, checked to be bound to the registration's key: type DPoP, and the
	 * token's cnf.jkt is the thumbprint it records.
	 */
	private static AccessToken boundToken(AssertableApplicationContext context) throws Exception {
		AccessToken token = context.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders"));
		assertThat(token.getTokenType()).isEqualTo("DPoP");
		assertThat(token.getKeyThumbprint()).isNotNull();
		Map<String, Object> cnf = SignedJWT.parse(token.getTokenValue()).getJWTClaimsSet().getJSONObjectClaim("cnf");
		assertThat(cnf).containsEntry("jkt", token.getKeyThumbprint());
		return token;
	}

	private static HttpHeaders headers(TokenAuthorizer authorizer, AccessToken token, URI uri) {
		HttpHeaders headers = new HttpHeaders();
		authorizer.authorize(token, HttpMethod.GET, uri, headers);
		return headers;
	}

	private static int send(URI uri, HttpHeaders headers) {
		return WebClient.create()
			.get()
			.uri(uri)
			.headers((h) -> h.putAll(headers))
			.exchangeToMono((response) -> response.releaseBody().then(Mono.just(response.statusCode().value())))
			.block(Duration.ofSeconds(20));
	}

	/**
	 * Put an authorization with a refresh token into the server, as its authorization
	 * code flow would have.
	 */
	private static void saveAuthorization(String user, String refreshToken) {
		RegisteredClient client = authorizationServer.getBean(RegisteredClientRepository.class)
			.findByClientId("dpop-app");
		Instant now = Instant.now();
		authorizationServer.getBean(OAuth2AuthorizationService.class)
			.save(OAuth2Authorization.withRegisteredClient(client)
				.principalName(user)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizedScopes(Set.of("orders.read"))
				.refreshToken(new OAuth2RefreshToken(refreshToken, now, now.plus(Duration.ofHours(1))))
				.attribute(Principal.class.getName(),
						new UsernamePasswordAuthenticationToken(user, null, AuthorityUtils.NO_AUTHORITIES))
				.build());
	}

	private static String sharedKey() {
		try {
			ECKey key = new ECKeyGenerator(Curve.P_256).generate();
			return key.toJSONString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class AuthorizationStore {

		@Bean
		OAuth2AuthorizationService authorizationService() {
			return new InMemoryOAuth2AuthorizationService();
		}

	}

}
