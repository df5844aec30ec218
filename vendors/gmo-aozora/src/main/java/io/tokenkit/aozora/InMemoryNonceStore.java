package io.tokenkit.aozora;

import java.time.Clock;
import java.time.Duration;

import reactor.core.publisher.Mono;

import io.tokenkit.token.InMemoryOneTimeValueStore;

import org.springframework.util.Assert;

/**
 * A {@link NonceStore} in this JVM's memory, on an {@link InMemoryOneTimeValueStore}:
 * each nonce lives for a fixed time and can be consumed once. For a single instance of
 * the application; several instances behind a load balancer need a shared store, such as
 * a {@link OneTimeValueNonceStore} on Redis. Expired nonces are dropped as new ones are
 * saved; the number of pending nonces is bounded.
 */
public final class InMemoryNonceStore implements NonceStore {

	/** How long a nonce lives by default. */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(10);

	/** How many pending nonces the store holds by default. */
	public static final int DEFAULT_MAX_ENTRIES = InMemoryOneTimeValueStore.DEFAULT_MAX_ENTRIES;

	private final InMemoryOneTimeValueStore values;

	private final NonceStore nonces;

	/**
	 * Create a store with the default time to live and size bound.
	 * @param clock the clock that decides expiry
	 */
	public InMemoryNonceStore(Clock clock) {
		this(DEFAULT_TIME_TO_LIVE, DEFAULT_MAX_ENTRIES, clock);
	}

	/**
	 * Create a store.
	 * @param timeToLive how long a nonce can be consumed after it was saved
	 * @param maxEntries how many unexpired nonces the store holds before it refuses new
	 * ones
	 * @param clock the clock that decides expiry
	 */
	public InMemoryNonceStore(Duration timeToLive, int maxEntries, Clock clock) {
		Assert.notNull(timeToLive, "timeToLive must not be null");
		Assert.isTrue(!timeToLive.isNegative() && !timeToLive.isZero(), "timeToLive must be positive");
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.values = new InMemoryOneTimeValueStore(maxEntries, clock);
		this.nonces = new OneTimeValueNonceStore(this.values, timeToLive);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Fails with an {@link IllegalStateException} when the store holds its maximum number
	 * of unexpired nonces.
	 */
	@Override
	public Mono<Void> save(String nonce) {
		return this.nonces.save(nonce);
	}

	@Override
	public Mono<Boolean> consume(String nonce) {
		return this.nonces.consume(nonce);
	}

	/**
	 * Return how many nonces are held, expired ones not yet dropped included.
	 * @return the number of entries
	 */
	public int size() {
		return this.values.size();
	}

	@Override
	public String toString() {
		return "InMemoryNonceStore[" + this.nonces + "]";
	}

}
