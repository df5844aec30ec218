package io.tokenkit.aozora;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * A {@link NonceStore} in this JVM's memory: each nonce lives for a fixed time and can be
 * consumed once. For a single instance of the application; several instances behind a
 * load balancer need a shared store. Expired nonces are dropped as new ones are saved;
 * the number of pending nonces is bounded.
 */
public final class InMemoryNonceStore implements NonceStore {

	/** How long a nonce lives by default. */
	public static final Duration DEFAULT_TIME_TO_LIVE = Duration.ofMinutes(10);

	/** How many pending nonces the store holds by default. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	private final Map<String, Instant> nonces = new ConcurrentHashMap<>();

	private final Duration timeToLive;

	private final int maxEntries;

	private final Clock clock;

	private volatile Instant nextPurge;

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
		this.timeToLive = timeToLive;
		this.maxEntries = maxEntries;
		this.clock = clock;
		this.nextPurge = clock.instant().plus(timeToLive);
	}

	@Override
	public Mono<Void> save(String nonce) {
		Assert.hasText(nonce, "nonce must not be empty");
		return Mono.fromRunnable(() -> {
			Instant now = this.clock.instant();
			if (!now.isBefore(this.nextPurge) || this.nonces.size() >= this.maxEntries) {
				this.nextPurge = now.plus(this.timeToLive);
				this.nonces.values().removeIf((expiresAt) -> !now.isBefore(expiresAt));
			}
			if (this.nonces.size() >= this.maxEntries) {
				throw new IllegalStateException("The in-memory nonce store holds " + this.maxEntries
						+ " pending nonces; refusing more until some expire");
			}
			this.nonces.put(nonce, now.plus(this.timeToLive));
		});
	}

	@Override
	public Mono<Boolean> consume(String nonce) {
		return Mono.fromSupplier(() -> {
			Instant expiresAt = this.nonces.remove(nonce);
			return expiresAt != null && this.clock.instant().isBefore(expiresAt);
		});
	}

	/**
	 * Return how many nonces are held, expired ones not yet dropped included.
	 * @return the number of entries
	 */
	public int size() {
		return this.nonces.size();
	}

}
