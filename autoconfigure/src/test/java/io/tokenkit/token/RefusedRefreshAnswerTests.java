package io.tokenkit.token;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.tokenkit.aozora.GmoAozoraTokenClient;
import io.tokenkit.aozora.GmoAozoraTokenException;
import io.tokenkit.aozora.GmoAozoraTokenSource;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.saasus.SaasusApiException;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusRequestSigner;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.saasus.SaasusTokenSource;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.RotatingRefreshServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * A refresh answer that the server sent after rotating the refresh token, but that
 * TokenKit refuses ({@code expires_in: 0}, a JWT {@code exp} in the past without
 * {@code expires_in}, no access token beside the new refresh token): the refusal carries
 * the new refresh token, the store keeps it, the callers get the typed error, and the
 * next attempt after the cool-down refreshes with it at a server that accepts each
 * refresh token once. For the OAuth 2.0, GMO Aozora and SaaSus sources, in memory and on
 * a real {@code redis-server}.
 */
class RefusedRefreshAnswerTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey KEY = TokenKey.of("users", "user-1");

	private final Clock clock = Clock.systemUTC();

	private final List<AutoCloseable> closing = new ArrayList<>();

	private LettuceConnectionFactory connectionFactory;

	private ReactiveStringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.redis = new ReactiveStringRedisTemplate(this.connectionFactory);
		this.redis.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
	}

	@AfterEach
	void close() throws Exception {
		for (int i = this.closing.size() - 1; i >= 0; i--) {
			this.closing.get(i).close();
		}
		this.connectionFactory.destroy();
	}

	static Stream<Arguments> refusals() {
		List<Arguments> cases = new ArrayList<>();
		for (String store : List.of("in-memory", "redis")) {
			for (String source : List.of("oauth2", "gmo-aozora")) {
				cases.add(Arguments.of(source, store, "expires_in 0",
						(Function<String, String>) (rt) -> "{\"access_token\":\"at-refused\",\"token_type\":\"Bearer\","
								+ "\"expires_in\":0,\"refresh_token\":\"" + rt + "\"}"));
				cases.add(Arguments.of(source, store, "JWT exp passed, no expires_in",
						(Function<String, String>) (rt) -> "{\"access_token\":\"" + jwtExpiredAMinuteAgo()
								+ "\",\"refresh_token\":\"" + rt + "\"}"));
				cases.add(Arguments.of(source, store, "no access_token",
						(Function<String, String>) (rt) -> "{\"token_type\":\"Bearer\",\"refresh_token\":\"" + rt
								+ "\"}"));
			}
			cases.add(Arguments.of("saasus", store, "JWT exp passed",
					(Function<String, String>) (rt) -> "{\"id_token\":\"id-refused\",\"access_token\":\""
							+ jwtExpiredAMinuteAgo() + "\",\"refresh_token\":\"" + rt + "\"}"));
			cases.add(Arguments.of("saasus", store, "no access_token",
					(Function<String, String>) (rt) -> "{\"refresh_token\":\"" + rt + "\"}"));
		}
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}, {1}: {2}")
	@MethodSource("refusals")
	void refreshWhenRefusedAnswerCarriesRotatedRefreshTokenThenStoredAndNextRefreshAfterCoolDownUsesIt(String source,
			String store, String refusal, Function<String, String> refusedAnswer) throws Exception {
		RotatingRefreshServer server = "saasus".equals(source) ? RotatingRefreshServer.saasus()
				: RotatingRefreshServer.oauth2();
		this.closing.add(server);
		TokenManager manager = manager(source(source, server), store(store));
		Instant now = this.clock.instant();
		manager
			.save(KEY,
					AccessToken.withValue("at-0")
						.issuedAt(now.minusSeconds(120))
						.expiresAt(now.minusSeconds(60))
						.refreshToken("rt-0")
						.build())
			.block(Duration.ofSeconds(5));
		server.refuseNext(refusedAnswer);

		Throwable refused = catchThrowable(() -> manager.getToken(KEY).block(Duration.ofSeconds(10)));

		assertThat(refused).isInstanceOf(typeOf(source));
		assertThat(server.live()).as("the server rotated").isEqualTo("rt-1");
		AccessToken held = manager.getHeldToken(KEY).block(Duration.ofSeconds(5));
		assertThat(held.getRefreshToken()).as("the rotated refresh token is stored").isEqualTo("rt-1");
		assertThat(held.isExpired(this.clock.millis())).isTrue();
		assertThat(manager.getCachedToken(KEY)).isNull();
		assertThat(refused.getMessage()).doesNotContain("rt-1");
		assertThat(refused.toString()).doesNotContain("rt-1");
		assertThat(held.toString()).doesNotContain("rt-1");
		assertThat(TokenApiException.rotatedRefreshTokenOf(refused)).as("carried no more once stored").isNull();

		AccessToken next = await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(50))
			.ignoreExceptionsInstanceOf(TokenCoolDownException.class)
			.until(() -> manager.getToken(KEY).block(Duration.ofSeconds(5)), Objects::nonNull);

		assertThat(next.getTokenValue()).isEqualTo("at-2");
		assertThat(next.getRefreshToken()).isEqualTo("rt-2");
		assertThat(server.presented()).containsExactly("rt-0", "rt-1");
		assertThat(server.deadRefreshTokens()).isZero();
		if ("redis".equals(store)) {
			// another instance reads the rotated chain from Redis
			TokenManager other = manager(source(source, server), store(store));
			assertThat(other.getToken(KEY).block(Duration.ofSeconds(5)).getTokenValue()).isEqualTo("at-2");
		}
	}

	private TokenManager manager(TokenSource source, TokenStore store) {
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("users", source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5),
				new CoolDownPolicy(Duration.ofMillis(200), Duration.ofSeconds(1)));
		this.closing.add(manager);
		return manager;
	}

	private TokenStore store(String store) {
		if ("in-memory".equals(store)) {
			return new InMemoryTokenStore(this.clock);
		}
		RedisTokenStore redisStore = new RedisTokenStore(this.redis, "refused:", this.clock);
		this.closing.add(redisStore);
		return redisStore;
	}

	private TokenSource source(String source, RotatingRefreshServer server) {
		return switch (source) {
			case "oauth2" -> new RefreshTokenTokenSource(new OAuth2TokenClient(WebClient.create(),
					URI.create(server.url("/token")), "users-app", "users-secret", ClientAuthenticationMethod.BASIC,
					"users", "oauth2", TokenRequestObserver.NOOP), List.of(), null, this.clock);
			case "gmo-aozora" -> new GmoAozoraTokenSource(new GmoAozoraTokenClient(WebClient.create(),
					URI.create(server.url("/token")), "aozora-app", "aozora-secret-0123456789abcdefghij",
					ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP)
				.forRegistration("users"), this.clock);
			default -> new SaasusTokenSource(
					new SaasusClient(WebClient.builder(), URI.create(server.url("/v1/auth")),
							new SaasusRequestSigner("saas-1", "ak-1", "sk-1", this.clock), TokenRequestObserver.NOOP),
					new SaasusTokenConverter(this.clock));
		};
	}

	private static Class<? extends Throwable> typeOf(String source) {
		return switch (source) {
			case "oauth2" -> OAuth2TokenException.class;
			case "gmo-aozora" -> GmoAozoraTokenException.class;
			default -> SaasusApiException.class;
		};
	}

	private static String jwtExpiredAMinuteAgo() {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		long exp = Instant.now().minusSeconds(60).getEpochSecond();
		return "eyJhbGciOiJub25lIn0."
				+ encoder.encodeToString(("{\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8)) + ".";
	}

}
