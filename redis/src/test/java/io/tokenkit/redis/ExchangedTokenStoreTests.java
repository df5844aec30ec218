package io.tokenkit.redis;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;

import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.testsupport.ExchangeRegistration.answering;
import static io.tokenkit.testsupport.ExchangeRegistration.jwt;
import static io.tokenkit.testsupport.ExchangeRegistration.manager;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A token exchanged for a JWT subject token and cut to its {@code exp} is served until
 * then without a refresh ahead, from the in-memory store and from Redis, where another
 * instance that reads it back keeps it from refresh-ahead too.
 */
class ExchangedTokenStoreTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private final MutableClock clock = MutableClock.at("2026-12-07T22:00:00Z");

	/** What a test opened, closed after it, last first. */
	private final Deque<Runnable> opened = new ArrayDeque<>();

	@AfterEach
	void close() {
		this.opened.forEach(Runnable::run);
	}

	/**
	 * The stores of two instances: two Redis stores on one Redis, or one in-memory store
	 * shared by both.
	 */
	private TokenStore[] stores(String kind) {
		if (kind.equals("in-memory")) {
			InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
			return new TokenStore[] { store, store };
		}
		LocalRedisTemplate local = LocalRedisTemplate.flushed(redisServer);
		this.opened.push(local::close);
		RedisTokenStore one = new RedisTokenStore(local.template(), "test:", this.clock);
		this.opened.push(one::close);
		RedisTokenStore other = new RedisTokenStore(local.template(), "test:", this.clock);
		this.opened.push(other::close);
		return new TokenStore[] { one, other };
	}

	@ParameterizedTest
	@ValueSource(strings = { "in-memory", "redis" })
	void exchangeWhenCutToSubjectExpiryThenServedUntilItWithoutRefreshAheadAndReadBackSo(String kind) {
		TokenStore[] stores = stores(kind);
		SubjectTokens subjectTokens = new SubjectTokens(this.clock);
		AtomicInteger calls = new AtomicInteger();
		AtomicInteger refreshesAhead = new AtomicInteger();
		TokenEventListener listener = new TokenEventListener() {

			@Override
			public void refreshAhead(String registrationId) {
				refreshesAhead.incrementAndGet();
			}

		};
		WebClient web = answering(HttpStatus.OK,
				"{\"access_token\":\"exchanged\",\"token_type\":\"Bearer\",\"expires_in\":3600}", calls);
		Instant start = this.clock.instant();
		Instant exp = start.plusSeconds(60);
		TokenKey key = new TokenKey("ex", subjectTokens.hold(jwt(exp.getEpochSecond())));
		TokenManager manager = manager(subjectTokens, stores[0], this.clock, web, listener);
		for (long t = 0; t < 60_000; t += 250) {
			this.clock.set(start.plusMillis(t));
			assertThat(manager.getToken(key).block().getTokenValue()).isEqualTo("exchanged");
		}
		assertThat(calls).hasValue(1);
		assertThat(refreshesAhead).hasValue(0);
		AccessToken stored = stores[1].load(key).block();
		assertThat(stored.getIssuedAt()).isEqualTo(start);
		assertThat(stored.getExpiresAt()).isEqualTo(exp);
		assertThat(stored.isRefreshedAhead()).isFalse();
		// another instance, in the token's last millisecond: served, not refreshed ahead
		this.clock.set(exp.minusMillis(1));
		TokenManager otherInstance = manager(subjectTokens, stores[1], this.clock, web, listener);
		for (int i = 0; i < 2; i++) {
			assertThat(otherInstance.getToken(key).block().getTokenValue()).isEqualTo("exchanged");
		}
		assertThat(calls).hasValue(1);
		assertThat(refreshesAhead).hasValue(0);
	}

}
