package io.tokenkit.redis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;
import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenStore;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Redis store against a real {@code redis-server} on loopback.
 */
class RedisTokenStoreTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

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
	void disconnect() {
		this.connectionFactory.destroy();
	}

	private RedisTokenStore store() {
		return new RedisTokenStore(this.redis, "test:", this.clock);
	}

	private AccessToken token(String value, Duration lifetime) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(lifetime))
			.scopes(Set.of("a"))
			.refreshToken("rt-" + value)
			.idToken("id-" + value)
			.build();
	}

	@Test
	void saveWhenAnotherInstanceLoadsThenGetsEveryField() {
		AccessToken saved = token("at-1", Duration.ofMinutes(5));
		store().save(TokenKey.of("orders"), saved).block();
		RedisTokenStore other = store();
		assertThat(other.get(TokenKey.of("orders"))).as("no I/O in get").isNull();
		AccessToken loaded = other.load(TokenKey.of("orders")).block();
		assertThat(loaded).isEqualTo(saved);
		assertThat(loaded.getScopes()).containsExactly("a");
		assertThat(loaded.getRefreshToken()).isEqualTo("rt-at-1");
		assertThat(loaded.getIdToken()).isEqualTo("id-at-1");
		assertThat(other.get(TokenKey.of("orders"))).isEqualTo(saved);
	}

	@Test
	void saveWhenTokenHasNoRefreshTokenThenRedisExpiresTheKeyWithTheToken() {
		AccessToken token = AccessToken.withValue("at-1")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofMinutes(5)))
			.build();
		store().save(TokenKey.of("orders"), token).block();
		Duration ttl = this.redis.getExpire("test:{orders}:-").block();
		assertThat(ttl).isBetween(Duration.ofMinutes(4), Duration.ofMinutes(5));
	}

	@Test
	void saveWhenTokenHasRefreshTokenThenRedisKeepsItAsLongAsTheRefreshTokenLives() {
		store().save(TokenKey.of("orders"), token("at-1", Duration.ofMinutes(5))).block();
		Duration ttl = this.redis.getExpire("test:{orders}:-").block();
		assertThat(ttl).isBetween(Duration.ofDays(30).minusMinutes(1), Duration.ofDays(30));
	}

	@Test
	void saveWhenTheServerSaidHowLongTheRefreshTokenLivesThenRedisKeepsItThatLong() {
		AccessToken token = token("at-1", Duration.ofMinutes(5)).mutate()
			.refreshTokenExpiresAt(this.clock.instant().plus(Duration.ofHours(2)))
			.build();
		store().save(TokenKey.of("orders"), token).block();
		assertThat(this.redis.getExpire("test:{orders}:-").block()).isBetween(Duration.ofHours(2).minusMinutes(1),
				Duration.ofHours(2));
		assertThat(store().load(TokenKey.of("orders")).block().getRefreshTokenExpiresAt())
			.isEqualTo(this.clock.instant().plus(Duration.ofHours(2)));
	}

	@Test
	void saveWhenPerUserThenSubjectIsNotInTheKey() {
		store().save(TokenKey.of("bank", "customer-42"), token("at-1", Duration.ofMinutes(5))).block();
		List<String> keys = this.redis.keys("*").collectList().block();
		assertThat(keys).singleElement()
			.satisfies((key) -> assertThat(key).startsWith("test:{bank:").doesNotContain("customer-42"));
	}

	@Test
	void replaceWhenAnotherInstanceStoredMeanwhileThenKeepsTheirToken() {
		TokenKey key = TokenKey.of("orders");
		RedisTokenStore a = store();
		RedisTokenStore b = store();
		AccessToken old = token("old", Duration.ofMinutes(5));
		a.save(key, old).block();
		b.load(key).block();
		AccessToken fresh = token("fresh", Duration.ofMinutes(5));
		a.save(key, fresh).block();
		assertThat(b.replace(key, old, old.expired()).block()).isFalse();
		assertThat(b.get(key)).as("stale local copy dropped").isNull();
		assertThat(b.load(key).block()).isEqualTo(fresh);
		assertThat(a.replace(key, fresh, null).block()).isTrue();
		assertThat(b.load(key).block()).isNull();
	}

	@Test
	void managersOnTwoInstancesWhenOneAcquiredThenOtherUsesItWithoutTokenCall() {
		CountingTokenSource sourceA = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		CountingTokenSource sourceB = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager a = manager(sourceA);
		TokenManager b = manager(sourceB);
		AccessToken acquired = a.getToken(TokenKey.of("orders")).block();
		assertThat(b.getToken(TokenKey.of("orders")).block()).isEqualTo(acquired);
		assertThat(sourceA.calls()).isEqualTo(1);
		assertThat(sourceB.calls()).isZero();
		// instance B's token is rejected after A refreshed: B picks up A's token instead
		// of refreshing
		AccessToken refreshed = a.reacquire(TokenKey.of("orders"), acquired).block();
		assertThat(b.reacquire(TokenKey.of("orders"), acquired).block()).isEqualTo(refreshed);
		assertThat(sourceB.calls()).isZero();
	}

	@Test
	void refreshAheadWhenAnotherInstanceRefreshedAlreadyThenUsesItsTokenInsteadOfRedeemingTheRefreshTokenAgain() {
		CountingTokenSource sourceA = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		CountingTokenSource sourceB = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager a = manager(sourceA);
		TokenManager b = manager(sourceB);
		TokenKey key = TokenKey.of("orders");
		AccessToken first = a.getToken(key).block();
		assertThat(b.getToken(key).block()).isEqualTo(first);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(10));
		assertThat(a.getCachedToken(key)).isEqualTo(first);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> sourceA.refreshes() == 1 && !first.equals(this.redisCopy(key)));
		AccessToken refreshedByA = this.redisCopy(key);
		// B drops its copy when A's write is announced, and reads A's token
		await().atMost(Duration.ofSeconds(5)).until(() -> refreshedByA.equals(b.getToken(key).block()));
		assertThat(sourceB.calls()).isZero();
	}

	@Test
	void storeWhenRedisUnreachableThenManagerStillAcquiresWithLocalCopy() throws Exception {
		int closedPort;
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		LettuceConnectionFactory down = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", closedPort));
		down.afterPropertiesSet();
		down.start();
		try {
			CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
			TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)),
					new RedisTokenStore(new ReactiveStringRedisTemplate(down), "test:", this.clock), this.clock,
					TokenEventListener.NONE, Duration.ofSeconds(10));
			AccessToken token = manager.getToken(TokenKey.of("orders")).block(Duration.ofSeconds(15));
			assertThat(token.getTokenValue()).isEqualTo("token-1");
			assertThat(manager.getCachedToken(TokenKey.of("orders"))).isEqualTo(token);
			assertThat(source.calls()).isEqualTo(1);
		}
		finally {
			down.destroy();
		}
	}

	@Test
	void refreshOnAnotherInstanceWhenTokenStillValidThenRefreshesFromTheTokenInRedis() {
		CountingTokenSource sourceA = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		CountingTokenSource sourceB = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager a = manager(sourceA);
		TokenManager b = manager(sourceB);
		TokenKey key = TokenKey.of("orders", "alice");
		AccessToken saved = token("at-1", Duration.ofMinutes(5));
		a.save(key, saved).block();
		assertThat(b.getHeldToken(key).block()).as("loaded from Redis").isEqualTo(saved);
		AccessToken refreshed = b.refresh(key).block();
		assertThat(refreshed).isNotEqualTo(saved);
		assertThat(sourceB.refreshes()).isEqualTo(1);
		assertThat(this.redisCopy(key)).isEqualTo(refreshed);
		assertThat(sourceA.calls()).isZero();
	}

	@Test
	void forEachTokenThenVisitsOnlyThisInstancesCopies() {
		RedisTokenStore a = store();
		RedisTokenStore b = store();
		a.save(TokenKey.of("orders", "alice"), token("at-1", Duration.ofMinutes(5))).block();
		b.save(TokenKey.of("orders", "bob"), token("at-2", Duration.ofMinutes(5))).block();
		List<String> visited = new ArrayList<>();
		a.forEachToken((key, token) -> visited.add(token.getTokenValue()));
		assertThat(visited).containsExactly("at-1");
	}

	@Test
	void saveManyUsersWhenLocalCopiesAreBoundedThenAtMostTheMaximumIsHeldAndAnEvictedTokenIsReadAgainFromRedis() {
		RedisTokenStore store = new RedisTokenStore(this.redis, "test:", this.clock,
				RedisTokenStoreSettings.defaults()
					.withSubjectKey(
							"subject-key-0123456789abcdef0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8))
					.withMaxLocalCopies(50));
		AccessToken application = token("at-app", Duration.ofMinutes(5));
		store.save(TokenKey.of("orders"), application).block();
		for (int i = 0; i < 500; i++) {
			store.save(TokenKey.of("users", "user-" + i), token("at-" + i, Duration.ofMinutes(5))).block();
			assertThat(store.localCopies()).isLessThanOrEqualTo(50);
		}
		assertThat(store.get(TokenKey.of("orders"))).as("application copies are never evicted").isEqualTo(application);
		assertThat(store.namedKeys()).isLessThanOrEqualTo(100);
		TokenKey evicted = TokenKey.of("users", "user-0");
		assertThat(store.get(evicted)).isNull();
		assertThat(store.load(evicted).block().getTokenValue()).isEqualTo("at-0");
		assertThat(store.get(evicted).getTokenValue()).isEqualTo("at-0");
		assertThat(store.toString()).contains("maxLocalCopies=50");
	}

	private AccessToken redisCopy(TokenKey key) {
		return store().load(key).block();
	}

	@Test
	void autoConfigurationWhenStoreTypeRedisThenRedisTokenStore() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
					DataRedisReactiveAutoConfiguration.class, WebClientAutoConfiguration.class,
					TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withPropertyValues("tokenkit.store.type=redis", "spring.data.redis.port=" + redisServer.port())
			.run((context) -> assertThat(context).getBean(TokenStore.class).isInstanceOf(RedisTokenStore.class));
	}

	private TokenManager manager(CountingTokenSource source) {
		return new TokenManager(List.of(TokenRegistration.of("orders", source)), store(), this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
	}

}
