package io.tokenkit.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.TokenKitException;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The Redis one-time-value store against a real {@code redis-server} on loopback, each
 * store on its own connection as two instances of an application would be.
 */
class RedisOneTimeValueStoreTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

	private final List<LettuceConnectionFactory> connectionFactories = new ArrayList<>();

	private final List<String> failedOperations = new CopyOnWriteArrayList<>();

	private ReactiveStringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.redis = template();
		this.redis.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
	}

	@AfterEach
	void disconnect() {
		this.connectionFactories.forEach(LettuceConnectionFactory::destroy);
	}

	private ReactiveStringRedisTemplate template() {
		LettuceConnectionFactory connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", redisServer.port()));
		connectionFactory.afterPropertiesSet();
		connectionFactory.start();
		this.connectionFactories.add(connectionFactory);
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(connectionFactory);
		// the first call opens the connection, which can take longer than a short timeout
		template.execute((connection) -> connection.ping()).blockLast();
		return template;
	}

	private RedisOneTimeValueStore store() {
		return new RedisOneTimeValueStore(template(), "test:", Duration.ofSeconds(2), this.failedOperations::add);
	}

	@Test
	void consumeWhenPutThenTrueOnceOnly() {
		RedisOneTimeValueStore store = store();
		store.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(store.consume("ns", "v-1").block()).isTrue();
		assertThat(store.consume("ns", "v-1").block()).isFalse();
	}

	@Test
	void consumeWhenNeverPutThenFalse() {
		RedisOneTimeValueStore store = store();
		store.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(store.consume("ns", "v-2").block()).isFalse();
		assertThat(store.consume("other", "v-1").block()).isFalse();
		assertThat(store.consume("ns", "").block()).isFalse();
		assertThat(store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void consumeWhenPutByAnotherInstanceThenTrueOnceAcrossBoth() {
		RedisOneTimeValueStore a = store();
		RedisOneTimeValueStore b = store();
		a.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(b.consume("ns", "v-1").block()).isTrue();
		assertThat(a.consume("ns", "v-1").block()).isFalse();
		assertThat(b.consume("ns", "v-1").block()).isFalse();
	}

	@Test
	void consumeWhenTimeToLivePassedThenFalse() {
		RedisOneTimeValueStore store = store();
		store.put("ns", "v-1", Duration.ofMillis(150)).block();
		store.put("ns", "v-2", TEN_MINUTES).block();
		// Redis expires the value by its own clock: wait until only the long-lived one is
		// left
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.redis.keys("*one-time:ns:*").collectList().block().size() == 1);
		assertThat(store.consume("ns", "v-1").block()).isFalse();
		assertThat(store.consume("ns", "v-2").block()).isTrue();
	}

	@Test
	void putWhenValueAlreadyPendingThenItKeepsItsFirstTimeToLive() {
		RedisOneTimeValueStore store = store();
		store.put("ns", "v-1", Duration.ofSeconds(30)).block();
		store.put("ns", "v-1", TEN_MINUTES).block();
		Duration ttl = this.redis.getExpire(store.redisKey("ns", "v-1")).block();
		assertThat(ttl).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(30));
		assertThat(store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void putThenOneKeyUnderThePrefixWithTheValueHashedAndTheTimeToLiveInMilliseconds() {
		RedisOneTimeValueStore store = store();
		store.put("gmo-aozora-nonce", "2f1c7a8e-nonce-value", Duration.ofMillis(90_500)).block();
		List<String> keys = this.redis.keys("*").collectList().block();
		// hex SHA-256 of "2f1c7a8e-nonce-value", computed outside the project
		assertThat(keys).containsExactly(
				"test:one-time:gmo-aozora-nonce:7677a51d30c45e105cdfb02e214a161e3b48c4cce4f8e180e487b154df5cbcbe");
		assertThat(store.redisKey("gmo-aozora-nonce", "2f1c7a8e-nonce-value")).isEqualTo(keys.get(0));
		assertThat(this.redis.opsForValue().get(keys.get(0)).block()).isEqualTo("1");
		Long pttl = this.redis
			.execute((connection) -> connection.keyCommands()
				.pTtl(ByteBuffer.wrap(keys.get(0).getBytes(StandardCharsets.UTF_8))))
			.blockFirst();
		assertThat(pttl).isBetween(85_000L, 90_500L);
	}

	@Test
	void takeWhenKeptByAnotherInstanceThenValueOnceAcrossBothAndKeyHashed() {
		RedisOneTimeValueStore a = store();
		RedisOneTimeValueStore b = store();
		a.keep("ns", "state-1", "verifier-1", TEN_MINUTES).block();
		assertThat(this.redis.keys("*").collectList().block()).containsExactly(a.redisKey("ns", "state-1"))
			.noneMatch((key) -> key.contains("state-1"));
		assertThat(b.take("ns", "state-2").block()).isNull();
		assertThat(b.take("ns", "state-1").block()).isEqualTo("verifier-1");
		assertThat(a.take("ns", "state-1").block()).isNull();
		assertThat(this.failedOperations).isEmpty();
	}

	@Test
	void takeWhen50ConcurrentTakersOnTwoInstancesThenExactlyOneGetsTheValue() {
		RedisOneTimeValueStore a = store();
		RedisOneTimeValueStore b = store();
		a.keep("ns", "state-1", "verifier-1", TEN_MINUTES).block();
		List<String> taken = Flux.range(0, 50)
			.flatMap((i) -> Mono.defer(() -> ((i % 2 == 0) ? a : b).take("ns", "state-1"))
				.subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(taken).containsExactly("verifier-1");
	}

	@Test
	void consumeWhen50ConcurrentConsumersOnTwoInstancesThenExactlyOneTrue() {
		RedisOneTimeValueStore a = store();
		RedisOneTimeValueStore b = store();
		for (int round = 0; round < 20; round++) {
			String value = "v-" + round;
			((round % 2 == 0) ? a : b).put("ns", value, TEN_MINUTES).block();
			List<Boolean> answers = Flux.range(0, 50)
				.flatMap((i) -> Mono.defer(() -> ((i % 2 == 0) ? a : b).consume("ns", value))
					.subscribeOn(Schedulers.parallel()))
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(answers).as("round %d", round).hasSize(50).containsOnlyOnce(true);
		}
		assertThat(this.failedOperations).isEmpty();
	}

	@Test
	void consumeWhenRedisFrozenThenTypedExceptionNamingRedisWithinTheTimeoutAndCounted() throws Exception {
		RedisOneTimeValueStore store = new RedisOneTimeValueStore(template(), "test:", Duration.ofMillis(300),
				this.failedOperations::add);
		store.put("ns", "secret-nonce-1", TEN_MINUTES).block();
		redisServer.freeze();
		try {
			long started = System.nanoTime();
			assertThatExceptionOfType(RedisStoreException.class)
				.isThrownBy(() -> store.consume("ns", "secret-nonce-1").block(Duration.ofSeconds(3)))
				.isInstanceOf(TokenKitException.class)
				.withMessageContaining("Redis")
				.withMessageContaining("one-time-consume")
				.withMessageNotContaining("secret-nonce-1")
				.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo("one-time-consume"));
			assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
			assertThatExceptionOfType(RedisStoreException.class)
				.isThrownBy(() -> store.put("ns", "secret-nonce-2", TEN_MINUTES).block(Duration.ofSeconds(3)))
				.withMessageContaining("one-time-put")
				.withMessageNotContaining("secret-nonce-2");
		}
		finally {
			redisServer.thaw();
		}
		assertThat(this.failedOperations).containsExactly("one-time-consume", "one-time-put");
	}

	@Test
	void putWhenArgumentsInvalidThenRejected() {
		RedisOneTimeValueStore store = new RedisOneTimeValueStore(this.redis, "test:");
		assertThatIllegalArgumentException().isThrownBy(() -> store.put("ns", "v-1", Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> store.put("", "v-1", TEN_MINUTES));
		assertThatIllegalArgumentException().isThrownBy(() -> store.put("ns", "", TEN_MINUTES));
	}

	@Test
	void toStringThenPrefixAndNoValue() {
		RedisOneTimeValueStore store = store();
		store.put("ns", "secret-value", TEN_MINUTES).block();
		assertThat(store.toString()).contains("test:").doesNotContain("secret-value");
	}

}
