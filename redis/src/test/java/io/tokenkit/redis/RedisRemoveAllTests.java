package io.tokenkit.redis;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;

import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.RemovedToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenParameters;

import org.springframework.data.redis.core.ReactiveSetOperations;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link RedisTokenStore#removeAll}: each key taken in one script with its listing, each
 * token answered once across instances, stale listings dropped.
 */
class RedisRemoveAllTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey A = TokenKey.of("orders").withParameters(TokenParameters.scopes("a"));

	private static final TokenKey B = TokenKey.of("orders").withParameters(TokenParameters.scopes("b"));

	private static final String SET = "test:{orders}:parameters";

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private LocalRedisTemplate local;

	private ReactiveStringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.local = LocalRedisTemplate.flushed(redisServer);
		this.redis = this.local.template();
	}

	@AfterEach
	void disconnect() {
		this.local.close();
	}

	@Test
	void removeAllOnTwoInstancesAtOnceThenEachTokenAnsweredOnce() {
		RedisTokenStore one = new RedisTokenStore(this.redis, "test:", this.clock);
		RedisTokenStore other = new RedisTokenStore(this.redis, "test:", this.clock);
		TokenKey defaults = TokenKey.of("orders");
		one.save(defaults, token("at-0", Duration.ofMinutes(10))).block();
		one.save(A, token("at-a", Duration.ofMinutes(10))).block();
		other.save(B, token("at-b", Duration.ofMinutes(10))).block();
		List<RemovedToken> removed = Flux
			.merge(one.removeAll("orders", null), other.removeAll("orders", null), one.removeAll("orders", null))
			.collectList()
			.block();
		assertThat(removed).extracting((each) -> each.token().getTokenValue())
			.containsExactlyInAnyOrder("at-0", "at-a", "at-b");
		// a segment an instance never named is answered under the subject's default key
		assertThat(removed).extracting(RemovedToken::key)
			.allMatch((key) -> key.registrationId().equals("orders") && key.subject() == null);
		for (TokenKey key : List.of(defaults, A, B)) {
			assertThat(this.redis.opsForHash().get(one.redisKey(key), "t").block()).as(key.toString()).isNull();
		}
		assertThat(this.redis.opsForSet().members(SET).collectList().block()).isEmpty();
		one.close();
		other.close();
	}

	@Test
	void segmentOfAKeyThatExpiredOnItsOwnIsUnlistedNotWrittenBack() {
		RedisTokenStore store = new RedisTokenStore(this.redis, "test:", this.clock);
		String a = store.redisKey(A);
		store.save(A, token("at-a", Duration.ofMillis(150))).block();
		store.save(B, token("at-b", Duration.ofMinutes(10))).block();
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.redis.hasKey(a).block());
		List<RemovedToken> removed = store.removeAll("orders", null).collectList().block();
		assertThat(removed).extracting((each) -> each.token().getTokenValue()).containsExactly("at-b");
		assertThat(this.redis.hasKey(a).block()).as("removeAll does not write a key that had expired").isFalse();
		assertThat(this.redis.opsForSet().members(SET).collectList().block()).isEmpty();
		store.close();
	}

	@Test
	void tokenWrittenWhileRemoveAllRunsIsTakenOrStaysListed() {
		RedisTokenStore other = new RedisTokenStore(this.redis, "test:", this.clock);
		AtomicBoolean once = new AtomicBoolean();
		ReactiveStringRedisTemplate hooked = new ReactiveStringRedisTemplate(this.redis.getConnectionFactory()) {
			@Override
			@SuppressWarnings("unchecked")
			public ReactiveSetOperations<String, String> opsForSet() {
				ReactiveSetOperations<String, String> delegate = super.opsForSet();
				return (ReactiveSetOperations<String, String>) Proxy.newProxyInstance(getClass().getClassLoader(),
						new Class<?>[] { ReactiveSetOperations.class }, (proxy, method, args) -> {
							Object result;
							try {
								result = method.invoke(delegate, args);
							}
							catch (InvocationTargetException ex) {
								throw ex.getCause();
							}
							if (method.getName().equals("members") && once.compareAndSet(false, true)) {
								// another instance writes A and B after the set was read
								return ((Flux<String>) result).collectList()
									.flatMapMany((members) -> other.save(A, token("at-a2", Duration.ofMinutes(10)))
										.then(other.save(B, token("at-b", Duration.ofMinutes(10))))
										.thenMany(Flux.fromIterable(members)));
							}
							return result;
						});
			}
		};
		RedisTokenStore store = new RedisTokenStore(hooked, "test:", this.clock);
		store.save(A, token("at-a1", Duration.ofMinutes(10))).block();
		List<RemovedToken> removed = store.removeAll("orders", null).collectList().block();
		assertThat(once).isTrue();
		// A was listed when the set was read: its newest token is taken and answered
		assertThat(removed).extracting((each) -> each.token().getTokenValue()).containsExactly("at-a2");
		assertThat(this.redis.opsForHash().get(store.redisKey(A), "t").block()).isNull();
		// B was listed after: it stays listed for the next call, which takes it
		assertThat(store.removeAll("orders", null).collectList().block())
			.extracting((each) -> each.token().getTokenValue())
			.containsExactly("at-b");
		assertThat(this.redis.opsForHash().get(store.redisKey(B), "t").block()).isNull();
		store.close();
		other.close();
	}

	private AccessToken token(String value, Duration lifetime) {
		Instant now = this.clock.instant();
		return AccessToken.withValue(value).issuedAt(now).expiresAt(now.plus(lifetime)).scopes(Set.of()).build();
	}

}
