package io.tokenkit.token;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class InMemoryOneTimeValueStoreTests {

	private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryOneTimeValueStore store = new InMemoryOneTimeValueStore(3, this.clock);

	@Test
	void consumeWhenPutThenTrueOnceOnly() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
		assertThat(this.store.consume("ns", "v-1").block()).isFalse();
	}

	@Test
	void consumeWhenNeverPutThenFalse() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(this.store.consume("ns", "v-2").block()).isFalse();
		assertThat(this.store.consume("ns", "").block()).isFalse();
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void consumeWhenPutInAnotherNamespaceThenFalse() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		assertThat(this.store.consume("other", "v-1").block()).isFalse();
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void consumeWhenTimeToLivePassedThenFalse() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		this.clock.advance(TEN_MINUTES);
		assertThat(this.store.consume("ns", "v-1").block()).isFalse();
	}

	@Test
	void consumeWhenJustBeforeExpiryThenTrue() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		this.clock.advance(TEN_MINUTES.minusMillis(1));
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void consumeWhenEachValueHasItsOwnTimeToLiveThenEachExpiresOnItsOwn() {
		this.store.put("ns", "short", Duration.ofSeconds(30)).block();
		this.store.put("ns", "long", TEN_MINUTES).block();
		this.clock.advance(Duration.ofSeconds(30));
		assertThat(this.store.consume("ns", "short").block()).isFalse();
		assertThat(this.store.consume("ns", "long").block()).isTrue();
	}

	@Test
	void putWhenValueAlreadyPendingThenItKeepsItsFirstTimeToLive() {
		this.store.put("ns", "v-1", Duration.ofMinutes(1)).block();
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.store.consume("ns", "v-1").block()).isFalse();
	}

	@Test
	void putWhenValueExpiredThenItCanBePutAgain() {
		this.store.put("ns", "v-1", Duration.ofMinutes(1)).block();
		this.clock.advance(Duration.ofMinutes(1));
		this.store.put("ns", "v-1", Duration.ofMinutes(1)).block();
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
	}

	@Test
	void putWhenExpiredEntriesThenDropped() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		this.store.put("ns", "v-2", TEN_MINUTES).block();
		this.clock.advance(Duration.ofMinutes(11));
		this.store.put("ns", "v-3", TEN_MINUTES).block();
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void putWhenFullOfUnexpiredValuesThenRefusedWithoutNamingThem() {
		this.store.put("ns", "v-1", TEN_MINUTES).block();
		this.store.put("ns", "v-2", TEN_MINUTES).block();
		this.store.put("other", "v-3", TEN_MINUTES).block();
		assertThatIllegalStateException().isThrownBy(() -> this.store.put("ns", "v-4", TEN_MINUTES).block())
			.withMessageContaining("3 pending values")
			.withMessageNotContaining("v-");
		assertThat(this.store.consume("ns", "v-1").block()).isTrue();
		this.store.put("ns", "v-4", TEN_MINUTES).block();
		assertThat(this.store.consume("ns", "v-4").block()).isTrue();
	}

	@Test
	void putWhenFullButSomeExpiredThenExpiredDroppedAndAccepted() {
		this.store.put("ns", "v-1", Duration.ofSeconds(10)).block();
		this.store.put("ns", "v-2", TEN_MINUTES).block();
		this.store.put("ns", "v-3", TEN_MINUTES).block();
		this.clock.advance(Duration.ofSeconds(10));
		this.store.put("ns", "v-4", TEN_MINUTES).block();
		assertThat(this.store.size()).isEqualTo(3);
		assertThat(this.store.consume("ns", "v-4").block()).isTrue();
	}

	@Test
	void putWhenNotSubscribedThenNothingKept() {
		this.store.put("ns", "v-1", TEN_MINUTES);
		assertThat(this.store.size()).isZero();
	}

	@Test
	void putWhenTimeToLiveNotPositiveThenRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put("ns", "v-1", Duration.ZERO));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put("ns", "v-1", Duration.ofSeconds(-1)));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put("", "v-1", TEN_MINUTES));
		assertThatIllegalArgumentException().isThrownBy(() -> this.store.put("ns", "", TEN_MINUTES));
	}

	@Test
	void consumeWhen50ConcurrentConsumersThenExactlyOneTrue() {
		InMemoryOneTimeValueStore shared = new InMemoryOneTimeValueStore(this.clock);
		for (int round = 0; round < 20; round++) {
			String value = "v-" + round;
			shared.put("ns", value, TEN_MINUTES).block();
			List<Boolean> answers = Flux.range(0, 50)
				.flatMap((i) -> Mono.defer(() -> shared.consume("ns", value)).subscribeOn(Schedulers.parallel()))
				.collectList()
				.block(Duration.ofSeconds(10));
			assertThat(answers).hasSize(50).containsOnlyOnce(true);
		}
	}

	@Test
	void toStringThenNoValue() {
		this.store.put("ns", "secret-value", TEN_MINUTES).block();
		assertThat(this.store.toString()).doesNotContain("secret-value");
	}

	@Test
	void takeWhenKeptThenValueOnceOnly() {
		this.store.keep("ns", "key-1", "verifier-1", TEN_MINUTES).block();
		assertThat(this.store.take("ns", "key-2").block()).isNull();
		assertThat(this.store.take("other", "key-1").block()).isNull();
		assertThat(this.store.take("ns", "key-1").block()).isEqualTo("verifier-1");
		assertThat(this.store.take("ns", "key-1").block()).isNull();
	}

	@Test
	void takeWhenTimeToLivePassedThenEmpty() {
		this.store.keep("ns", "key-1", "verifier-1", TEN_MINUTES).block();
		this.clock.advance(TEN_MINUTES);
		assertThat(this.store.take("ns", "key-1").block()).isNull();
	}

	@Test
	void keepWhenKeyAlreadyPendingThenFirstValueKept() {
		this.store.keep("ns", "key-1", "first", TEN_MINUTES).block();
		this.store.keep("ns", "key-1", "second", TEN_MINUTES).block();
		assertThat(this.store.take("ns", "key-1").block()).isEqualTo("first");
	}

	@Test
	void takeWhenManyTakersThenOneGetsTheValue() {
		this.store.keep("ns", "key-1", "verifier-1", TEN_MINUTES).block();
		List<String> taken = Flux.range(0, 16)
			.flatMap((i) -> this.store.take("ns", "key-1").subscribeOn(Schedulers.parallel()))
			.collectList()
			.block();
		assertThat(taken).containsExactly("verifier-1");
	}

	@Test
	void toStringWhenValueKeptThenNeitherKeyNorValue() {
		this.store.keep("ns", "secret-key", "secret-value", TEN_MINUTES).block();
		assertThat(this.store.toString()).doesNotContain("secret-key", "secret-value");
	}

}
