package io.tokenkit.aozora;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class InMemoryNonceStoreTests {

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryNonceStore store = new InMemoryNonceStore(Duration.ofMinutes(10), 3, this.clock);

	@Test
	void consumeWhenSavedThenTrueOnceOnly() {
		this.store.save("n-1").block();
		assertThat(this.store.consume("n-1").block()).isTrue();
		assertThat(this.store.consume("n-1").block()).isFalse();
	}

	@Test
	void consumeWhenNeverSavedThenFalse() {
		this.store.save("n-1").block();
		assertThat(this.store.consume("n-2").block()).isFalse();
		assertThat(this.store.consume("n-1").block()).isTrue();
	}

	@Test
	void consumeWhenTimeToLivePassedThenFalse() {
		this.store.save("n-1").block();
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.store.consume("n-1").block()).isFalse();
	}

	@Test
	void consumeWhenJustBeforeExpiryThenTrue() {
		this.store.save("n-1").block();
		this.clock.advance(Duration.ofMinutes(10).minusMillis(1));
		assertThat(this.store.consume("n-1").block()).isTrue();
	}

	@Test
	void saveWhenExpiredEntriesThenDropped() {
		this.store.save("n-1").block();
		this.store.save("n-2").block();
		this.clock.advance(Duration.ofMinutes(11));
		this.store.save("n-3").block();
		assertThat(this.store.size()).isEqualTo(1);
	}

	@Test
	void saveWhenFullOfUnexpiredNoncesThenRefused() {
		this.store.save("n-1").block();
		this.store.save("n-2").block();
		this.store.save("n-3").block();
		assertThatIllegalStateException().isThrownBy(() -> this.store.save("n-4").block());
		assertThat(this.store.consume("n-1").block()).isTrue();
		this.store.save("n-4").block();
		assertThat(this.store.consume("n-4").block()).isTrue();
	}

	@Test
	void saveWhenNotSubscribedThenNothingSaved() {
		this.store.save("n-1");
		assertThat(this.store.size()).isZero();
	}

}
