package io.tokenkit.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.test.MockTokenServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three instances on one real {@code redis-server} while it is frozen (SIGSTOP) or
 * stopped: valid tokens keep serving, tokens are still acquired within the Redis timeout,
 * a refresh token is not redeemed blind, and the instances converge on one token once
 * Redis is back.
 */
class RedisFaultTests {

	/**
	 * The mock token server's registration whose endpoint serves both TokenKit
	 * registrations.
	 */
	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey APP = TokenKey.of("orders");

	private static final TokenKey ALICE = TokenKey.of("users", "alice");

	static final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private MockTokenServer tokenServer;

	@BeforeEach
	void start() throws Exception {
		this.tokenServer = MockTokenServer.start();
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(300));
		clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		for (int i = 0; i < 3; i++) {
			this.instances.add(instance());
		}
		this.instances.get(0)
			.getBean(ReactiveStringRedisTemplate.class)
			.execute((connection) -> connection.serverCommands().flushAll())
			.blockLast();
		// each instance's first Redis call opens its connection, which can take longer
		// than the short timeout here
		for (ConfigurableApplicationContext instance : this.instances) {
			instance.getBean(ReactiveStringRedisTemplate.class).execute((connection) -> connection.ping()).blockLast();
		}
	}

	@AfterEach
	void stop() throws Exception {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.tokenServer.close();
	}

	@Test
	void redisFrozenThenValidTokensServeExpiredOnesAreAcquiredAndInstancesConvergeOnceItThaws() throws Exception {
		AccessToken first = manager(0).getToken(APP).block();
		assertThat(manager(1).getToken(APP).block()).isEqualTo(first);
		assertThat(manager(2).getToken(APP).block()).isEqualTo(first);
		manager(0).save(ALICE, userToken(grant())).block();
		assertThat(manager(1).getToken(ALICE).block()).isNotNull();
		redisServer.freeze();
		try {
			for (int i = 0; i < 3; i++) {
				assertThat(manager(i).getToken(APP).block(Duration.ofMillis(500))).as("valid token keeps serving")
					.isEqualTo(first);
			}
			clock.advance(Duration.ofSeconds(301));
			AccessToken acquired = manager(1).getToken(APP).block(Duration.ofSeconds(3));
			assertThat(acquired).isNotEqualTo(first);
			// no instance redeems the user's refresh token blind: one rotated now could
			// not be written back for the others
			for (int i = 0; i < 3; i++) {
				TokenManager manager = manager(i);
				assertThatExceptionOfType(TokenAcquisitionException.class)
					.isThrownBy(() -> manager.getToken(ALICE).block(Duration.ofSeconds(3)))
					.withMessageContaining("Redis");
			}
			assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isZero();
			assertThat(this.instances.get(1).getBean(MeterRegistry.class).find("tokenkit.store.errors").counters())
				.isNotEmpty();
		}
		finally {
			redisServer.thaw();
		}
		// a save once Redis is back reaches the instance that acquired without it (saved
		// again until that instance's bypass is over and it reads Redis again)
		AccessToken saved = AccessToken.withValue("at-saved")
			.issuedAt(clock.instant())
			.expiresAt(clock.instant().plusSeconds(300))
			.build();
		await().atMost(Duration.ofSeconds(15)).ignoreExceptions().until(() -> {
			manager(0).save(APP, saved).block(Duration.ofSeconds(3));
			return saved.equals(manager(1).getToken(APP).block(Duration.ofSeconds(3)));
		});
		convergeAfterRecovery();
		// nothing was lost: the user's token is refreshed once, from the refresh token in
		// Redis
		AccessToken refreshed = manager(2).getToken(ALICE).block(Duration.ofSeconds(5));
		assertThat(this.tokenServer.subjectOf(refreshed.getTokenValue())).as("refreshed in alice's grant")
			.isEqualTo("alice");
		assertThat(manager(1).getToken(ALICE).block(Duration.ofSeconds(5))).isEqualTo(refreshed);
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(1);
		assertThat(this.tokenServer.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isZero();
	}

	@Test
	void redisStoppedThenTokensAreStillAcquiredAndInstancesConvergeOnceItIsBack() throws Exception {
		AccessToken first = manager(0).getToken(APP).block();
		assertThat(manager(2).getToken(APP).block()).isEqualTo(first);
		redisServer.stop();
		try {
			assertThat(manager(2).getToken(APP).block(Duration.ofMillis(500))).isEqualTo(first);
			clock.advance(Duration.ofSeconds(301));
			assertThat(manager(2).getToken(APP).block(Duration.ofSeconds(3))).isNotEqualTo(first);
		}
		finally {
			redisServer.start();
		}
		convergeAfterRecovery();
	}

	private void convergeAfterRecovery() {
		// past the bypass (one lease time) and past every token's
		// expiry
		await().pollDelay(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(15)).until(() -> {
			clock.advance(Duration.ofSeconds(301));
			int before = this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials");
			List<AccessToken> tokens = List.of(manager(0).getToken(APP).block(Duration.ofSeconds(5)),
					manager(1).getToken(APP).block(Duration.ofSeconds(5)),
					manager(2).getToken(APP).block(Duration.ofSeconds(5)));
			return tokens.stream().distinct().count() == 1
					&& this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials") == before + 1;
		});
	}

	private AccessToken userToken(String refreshToken) {
		return AccessToken.withValue("at-first")
			.issuedAt(clock.instant())
			.expiresAt(clock.instant().plusSeconds(300))
			.refreshToken(refreshToken)
			.build();
	}

	private TokenManager manager(int index) {
		return this.instances.get(index).getBean(TokenManager.class);
	}

	private ConfigurableApplicationContext instance() {
		return TokenKitInstances.start(redisServer.port(), this.tokenServer.tokenUri(TOKEN_ENDPOINT), clock,
				"tokenkit.store.redis.timeout=300ms", "tokenkit.store.redis.lease-time=1s");
	}

	/**
	 * Start a grant for alice, as an authorization-code exchange would, and return its
	 * refresh token.
	 */
	private String grant() {
		return this.tokenServer.registration(TOKEN_ENDPOINT).issueRefreshToken("alice").refreshToken();
	}

}
