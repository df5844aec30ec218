package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class InMemoryTokenStoreTests {

	private static final String BANK = "bank";

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	@Test
	void saveWhenManyUserTokensExpiredWithoutRefreshTokenThenLaterSaveEvictsThem() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
		for (int i = 0; i < 10_000; i++) {
			store.save(user(i), token(Duration.ofMinutes(5), null)).block();
		}
		assertThat(store.size()).isEqualTo(10_000);
		this.clock.advance(Duration.ofMinutes(6));
		store.save(user(10_000), token(Duration.ofMinutes(5), null)).block();
		assertThat(store.size()).isEqualTo(1);
		assertThat(store.get(user(10_000))).isNotNull();
		assertThat(store.get(user(0))).isNull();
	}

	@Test
	void saveWhenExpiredUserTokensCarryRefreshTokenThenKept() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
		for (int i = 0; i < 100; i++) {
			store.save(user(i), token(Duration.ofMinutes(5), (i % 2 == 0) ? "refresh-" + i : null)).block();
		}
		this.clock.advance(Duration.ofMinutes(6));
		store.save(user(100), token(Duration.ofMinutes(5), null)).block();
		assertThat(store.size()).isEqualTo(51);
		assertThat(store.get(user(0)).getRefreshToken()).isEqualTo("refresh-0");
		assertThat(store.get(user(1))).isNull();
	}

	@Test
	void saveWhenApplicationTokenExpiredThenKept() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
		store.save(TokenKey.of("orders"), token(Duration.ofMinutes(5), null)).block();
		this.clock.advance(Duration.ofMinutes(6));
		store.save(user(1), token(Duration.ofMinutes(5), null)).block();
		assertThat(store.get(TokenKey.of("orders"))).isNotNull();
	}

	@Test
	void saveWhenSweptWithinAMinuteThenNoSweepUntilTheNextMinute() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock);
		this.clock.advance(Duration.ofMinutes(1));
		store.save(user(0), token(Duration.ofSeconds(10), null)).block();
		this.clock.advance(Duration.ofSeconds(20));
		store.save(user(1), token(Duration.ofMinutes(5), null)).block();
		assertThat(store.size()).isEqualTo(2);
		this.clock.advance(Duration.ofMinutes(1));
		store.save(user(2), token(Duration.ofMinutes(5), null)).block();
		assertThat(store.size()).isEqualTo(2);
		assertThat(store.get(user(0))).isNull();
	}

	@Test
	void saveWhenMaxEntriesPassedThenKeepsAtMostMaxAndTheMostRecentlyRead() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 100);
		int[] active = IntStream.range(0, 10).toArray();
		for (int i = 0; i < 1_000; i++) {
			store.save(user(i), token(Duration.ofHours(1), "refresh-" + i)).block();
			this.clock.advance(Duration.ofSeconds(1));
			if (i >= active.length) {
				for (int user : active) {
					assertThat(store.get(user(user))).as("active user %d after %d saves", user, i).isNotNull();
				}
			}
			assertThat(store.size()).isLessThanOrEqualTo(100);
		}
		assertThat(store.size()).isBetween(90, 100);
		for (int user : active) {
			assertThat(store.get(user(user))).isNotNull();
		}
		assertThat(store.get(user(999))).isNotNull();
		assertThat(store.get(user(998))).isNotNull();
		assertThat(store.get(user(10))).isNull();
		assertThat(store.get(user(500))).isNull();
	}

	@Test
	void saveWhenMaxEntriesPassedThenApplicationTokensNeverEvicted() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 10);
		for (int i = 0; i < 20; i++) {
			store.save(TokenKey.of("app-" + i), token(Duration.ofMinutes(5), null)).block();
		}
		for (int i = 0; i < 1_000; i++) {
			store.save(user(i), token(Duration.ofHours(1), "refresh")).block();
			this.clock.advance(Duration.ofSeconds(1));
		}
		for (int i = 0; i < 20; i++) {
			assertThat(store.get(TokenKey.of("app-" + i))).as("app-" + i).isNotNull();
		}
		assertThat(store.size()).isBetween(20 + 9, 20 + 10);
	}

	@Test
	void saveWhenMaxEntriesPassedThenExpiredTokensWithoutRefreshTokenGoFirst() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 10);
		for (int i = 0; i < 10; i++) {
			store.save(user(i), token(Duration.ofSeconds((i < 5) ? 5 : 3600), null)).block();
		}
		this.clock.advance(Duration.ofSeconds(10));
		store.save(user(10), token(Duration.ofHours(1), null)).block();
		assertThat(store.size()).isEqualTo(6);
		assertThat(store.get(user(0))).isNull();
		assertThat(store.get(user(5))).isNotNull();
	}

	@Test
	void replaceWhenBoundedThenReplacesOnlyTheExpectedToken() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 10);
		AccessToken first = token(Duration.ofMinutes(5), "refresh");
		AccessToken other = token(Duration.ofMinutes(6), "refresh");
		store.save(user(1), first).block();
		assertThat(store.replace(user(1), other, null).block()).isFalse();
		assertThat(store.replace(user(1), first, first.expired()).block()).isTrue();
		assertThat(store.get(user(1))).isEqualTo(first.expired());
		assertThat(store.replace(user(1), first.expired(), null).block()).isTrue();
		assertThat(store.get(user(1))).isNull();
		assertThat(store.size()).isZero();
		store.save(user(2), first).block();
		store.remove(user(2)).block();
		assertThat(store.size()).isZero();
	}

	@Test
	void getWhenBoundedAndApplicationKeyThenReturnsToken() {
		InMemoryTokenStore store = new InMemoryTokenStore(this.clock, 1);
		AccessToken token = token(Duration.ofMinutes(5), null);
		store.save(TokenKey.of("orders"), token).block();
		assertThat(store.get(TokenKey.of("orders"))).isSameAs(token);
		assertThat(store.load(TokenKey.of("orders")).block()).isSameAs(token);
		assertThat(store.getMaxEntries()).isEqualTo(1);
		assertThat(new InMemoryTokenStore().getMaxEntries()).isNull();
	}

	@Test
	void createWhenMaxEntriesNotPositiveThenFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryTokenStore(this.clock, 0))
			.withMessage("maxEntries must be positive");
		assertThatIllegalArgumentException().isThrownBy(() -> new InMemoryTokenStore(null))
			.withMessage("clock must not be null");
	}

	private static TokenKey user(int i) {
		return TokenKey.of(BANK, "user-" + i);
	}

	private AccessToken token(Duration lifetime, String refreshToken) {
		Instant now = this.clock.instant();
		return AccessToken.withValue("token-" + now.toEpochMilli() + "-" + lifetime.toMillis() + "-" + refreshToken)
			.issuedAt(now)
			.expiresAt(now.plus(lifetime))
			.refreshToken(refreshToken)
			.build();
	}

}
