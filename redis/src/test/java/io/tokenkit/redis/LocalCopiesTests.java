package io.tokenkit.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;

import io.tokenkit.redis.LocalCopies.Copy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenParameters;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bound of the Redis store's local copies and key maps.
 */
class LocalCopiesTests {

	private final Set<TokenKey> leased = ConcurrentHashMap.newKeySet();

	@Test
	void putBeyondTheMaximumThenLeastRecentlyUsedUserCopiesAreEvictedAndApplicationCopiesKept() {
		LocalCopies copies = new LocalCopies(10, this.leased);
		copies.put(TokenKey.of("orders"), copy("app"));
		for (int i = 0; i < 9; i++) {
			Copy copy = copy("user-" + i);
			copy.used = (i == 0) ? Long.MAX_VALUE : i;
			copies.put(TokenKey.of("users", "user-" + i), copy);
		}
		assertThat(copies.size()).isEqualTo(10);
		copies.put(TokenKey.of("users", "user-new"), copy("user-new"));
		assertThat(copies.size()).as("evicted down to nine tenths").isEqualTo(9);
		assertThat(copies.peek(TokenKey.of("orders"))).as("application copies are never evicted").isNotNull();
		assertThat(copies.peek(TokenKey.of("users", "user-0"))).as("the most recently used stays").isNotNull();
		assertThat(copies.peek(TokenKey.of("users", "user-1"))).as("the least recently used goes").isNull();
		assertThat(copies.peek(TokenKey.of("users", "user-new"))).isNotNull();
	}

	@Test
	void putManyThenNeverMoreThanTheMaximum() {
		LocalCopies copies = new LocalCopies(100, this.leased);
		for (int i = 0; i < 10_000; i++) {
			copies.put(TokenKey.of("users", "user-" + i), copy("user-" + i));
			assertThat(copies.size()).isLessThanOrEqualTo(100);
		}
	}

	@Test
	void putManyApplicationKeysWithParametersThenNeverMoreThanTheMaximumAndTheDefaultsKept() {
		LocalCopies copies = new LocalCopies(100, this.leased);
		copies.put(TokenKey.of("orders"), copy("app"));
		for (int i = 0; i < 10_000; i++) {
			TokenKey tenant = TokenKey.of("orders")
				.withParameters(TokenParameters.builder().resources(List.of("https://t-" + i + ".example/")).build());
			copies.put(tenant, copy("t-" + i));
			assertThat(copies.size()).isLessThanOrEqualTo(100);
		}
		assertThat(copies.peek(TokenKey.of("orders"))).isNotNull();
	}

	@Test
	void copyWhoseWriteIsOnItsWayIsNotEvicted() {
		LocalCopies copies = new LocalCopies(2, this.leased);
		Copy writing = new Copy(token("w"), Copy.WRITING, true);
		writing.used = 0;
		copies.put(TokenKey.of("users", "w"), writing);
		copies.put(TokenKey.of("users", "a"), copy("a"));
		copies.put(TokenKey.of("users", "b"), copy("b"));
		assertThat(copies.peek(TokenKey.of("users", "w"))).isSameAs(writing);
	}

	@Test
	void nameManyKeysThenOnlyThoseWithACopyALeaseOrADeadMarkAreKeptBeyondTwiceTheMaximum() {
		LocalCopies copies = new LocalCopies(10, this.leased);
		TokenKey withCopy = TokenKey.of("users", "copy");
		TokenKey leasedKey = TokenKey.of("users", "leased");
		TokenKey deadKey = TokenKey.of("users", "dead");
		copies.put(withCopy, copy("copy"));
		this.leased.add(leasedKey);
		copies.markDead(deadKey);
		copies.name("k:copy", withCopy);
		copies.name("k:leased", leasedKey);
		copies.name("k:dead", deadKey);
		for (int i = 0; i < 1_000; i++) {
			copies.name("k:" + i, TokenKey.of("users", "u" + i));
			assertThat(copies.namedKeys()).isLessThanOrEqualTo(21);
		}
		assertThat(copies.keyOf("k:copy")).isEqualTo(withCopy);
		assertThat(copies.keyOf("k:leased")).isEqualTo(leasedKey);
		assertThat(copies.keyOf("k:dead")).isEqualTo(deadKey);
	}

	@Test
	void markDeadBeyondTheMaximumThenEveryDeadKeyKeepsItsNameForTheNextSave() {
		LocalCopies copies = new LocalCopies(2, this.leased);
		for (int i = 0; i < 10; i++) {
			TokenKey dead = TokenKey.of("users", "dead-" + i);
			copies.markDead(dead);
			copies.name("k:dead-" + i, dead);
		}
		for (int i = 0; i < 100; i++) {
			copies.name("k:" + i, TokenKey.of("users", "u" + i));
		}
		for (int i = 0; i < 10; i++) {
			assertThat(copies.keyOf("k:dead-" + i)).as("a save elsewhere still reaches dead key %d", i)
				.isEqualTo(TokenKey.of("users", "dead-" + i));
		}
	}

	@Test
	void unreadableKeysAreBoundedAndWarnedOncePerGeneration() {
		LocalCopies copies = new LocalCopies(10, this.leased);
		assertThat(copies.unreadable("k:a", 7)).isTrue();
		assertThat(copies.unreadable("k:a", 7)).isFalse();
		assertThat(copies.unreadable("k:a", 8)).isTrue();
		for (int i = 0; i < 1_000; i++) {
			copies.unreadable("k:" + i, 1);
			assertThat(copies.unreadableKeys()).isLessThanOrEqualTo(10);
		}
	}

	private static Copy copy(String value) {
		return new Copy(token(value), 1, false);
	}

	private static AccessToken token(String value) {
		Instant now = Instant.parse("2026-11-23T10:00:00Z");
		return AccessToken.withValue(value).issuedAt(now).expiresAt(now.plus(Duration.ofMinutes(5))).build();
	}

}
