package io.tokenkit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generations of the Redis store during a rolling upgrade: instances of the previous
 * release write a generation with Lua's {@code tostring} (14 significant digits), against
 * a real {@code redis-server}.
 */
class RedisGenerationsTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	/** The previous release's raise of a generation: {@code tostring(g + 1)}. */
	private static final RedisScript<String> PREVIOUS_RELEASE_WRITE = RedisScript.of("""
			local g = tonumber(redis.call('HGET', KEYS[1], 'g') or '0') + 1
			redis.call('HSET', KEYS[1], 't', ARGV[1], 'g', tostring(g))
			return tostring(g)""", String.class);

	private static final TokenKey KEY = TokenKey.of("orders");

	/** The Redis key of {@link #KEY}. */
	private static final String REDIS_KEY = "test:{orders}:-";

	/** The name of {@link #KEY} in the previous release. */
	private static final String OLD_KEY = "test:orders";

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
	void loadAndAcquireWhenTheGenerationIsInExponentFormThenTheTokenIsStillRead() {
		AccessToken stored = token("at-1");
		// written by the previous release, under its key name: moved with its generation
		this.redis.opsForHash().putAll("test:orders", Map.of("t", TokenCodec.encode(stored), "g", "1.77e+15")).block();
		RedisTokenStore store = store();
		assertThat(store.load(KEY).block()).isEqualTo(stored);
		AtomicReference<AccessToken> given = new AtomicReference<>();
		AccessToken next = token("at-2");
		AccessToken acquired = store().acquire(KEY, (newest) -> {
			given.set(newest);
			return Mono.just(next);
		}).block(Duration.ofSeconds(5));
		assertThat(given.get()).isEqualTo(stored);
		assertThat(acquired).isEqualTo(next);
		assertThat(generation()).as("written as integer text above the old one").matches("[0-9]+");
		assertThat(Long.parseLong(generation())).isGreaterThan(1_770_000_000_000_000L);
		assertThat(store().load(KEY).block()).isEqualTo(next);
	}

	@Test
	void loadWhenTheGenerationCannotBeReadThenTheKeyCountsAsAbsentAndTheNextWriteWins() {
		this.redis.opsForHash()
			.putAll(REDIS_KEY, Map.of("t", TokenCodec.encode(token("at-1")), "g", "not-a-number"))
			.block();
		RedisTokenStore store = store();
		assertThat(store.load(KEY).blockOptional()).isEmpty();
		AccessToken next = token("at-2");
		AtomicReference<AccessToken> given = new AtomicReference<>(next);
		assertThat(store.acquire(KEY, (newest) -> {
			given.set(newest);
			return Mono.just(next);
		}).block(Duration.ofSeconds(5))).isEqualTo(next);
		assertThat(given.get()).isNull();
		assertThat(store().load(KEY).block()).isEqualTo(next);
	}

	@Test
	void writeOfThePreviousReleaseToTheOldNameAfterAMoveThenTheNewKeyIsKeptAndAMoveAgainRaisesTheGeneration() {
		AccessToken first = token("at-old-1");
		this.redis.execute(PREVIOUS_RELEASE_WRITE, List.of(OLD_KEY), List.of(TokenCodec.encode(first))).blockFirst();
		assertThat(store().load(KEY).block()).isEqualTo(first);
		long moved = Long.parseLong(generation());
		assertThat(moved).as("Redis's time in milliseconds")
			.isBetween(System.currentTimeMillis() - 60_000, System.currentTimeMillis() + 60_000);
		// an instance of the previous release writes its own name after the move
		AccessToken second = token("at-old-2");
		String raised = this.redis.execute(PREVIOUS_RELEASE_WRITE, List.of(OLD_KEY), List.of(TokenCodec.encode(second)))
			.blockFirst();
		assertThat(raised).as("the old name starts again").isEqualTo("1");
		assertThat(store().load(KEY).block()).as("the new key is kept").isEqualTo(first);
		assertThat(Long.parseLong(generation())).isEqualTo(moved);
		// the new key vanishes (expired, evicted): the old name's entry is moved again
		this.redis.delete(REDIS_KEY).block();
		while (this.redis.execute((connection) -> connection.serverCommands().time()).blockFirst() <= moved) {
			Thread.onSpinWait();
		}
		assertThat(store().load(KEY).block()).isEqualTo(second);
		assertThat(Long.parseLong(generation())).as("never a generation of the key's earlier life")
			.isGreaterThan(moved);
	}

	private String generation() {
		return (String) this.redis.opsForHash().get(REDIS_KEY, "g").block();
	}

	private RedisTokenStore store() {
		return new RedisTokenStore(this.redis, "test:", this.clock);
	}

	private AccessToken token(String value) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofMinutes(5)))
			.scopes(Set.of("a"))
			.refreshToken("rt-" + value)
			.build();
	}

}
