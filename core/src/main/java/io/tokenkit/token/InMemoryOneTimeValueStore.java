package io.tokenkit.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * A {@link OneTimeValueStore} in this JVM's memory, for a single instance of the
 * application: several instances behind a load balancer need a shared store. Expiry
 * follows the given {@link Clock}; expired values are dropped as new ones are put, at
 * most once a minute unless the store is full, and the number of pending values is
 * bounded.
 */
public final class InMemoryOneTimeValueStore implements OneTimeValueStore {

	/** How many pending values the store holds by default. */
	public static final int DEFAULT_MAX_ENTRIES = 100_000;

	private static final Duration PURGE_INTERVAL = Duration.ofMinutes(1);

	private final Map<Key, Pending> values = new ConcurrentHashMap<>();

	private final int maxEntries;

	private final Clock clock;

	private volatile Instant nextPurge;

	/**
	 * Create a store with the default size bound.
	 * @param clock the clock that decides expiry
	 */
	public InMemoryOneTimeValueStore(Clock clock) {
		this(DEFAULT_MAX_ENTRIES, clock);
	}

	/**
	 * Create a store.
	 * @param maxEntries how many unexpired values, all namespaces together, the store
	 * holds before it refuses new ones
	 * @param clock the clock that decides expiry
	 */
	public InMemoryOneTimeValueStore(int maxEntries, Clock clock) {
		Assert.isTrue(maxEntries > 0, "maxEntries must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.maxEntries = maxEntries;
		this.clock = clock;
		this.nextPurge = clock.instant().plus(PURGE_INTERVAL);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * Fails with an {@link IllegalStateException} when the store holds its maximum number
	 * of unexpired values.
	 */
	@Override
	public Mono<Void> put(String namespace, String value, Duration timeToLive) {
		return keep(namespace, value, "", timeToLive);
	}

	@Override
	public Mono<Void> keep(String namespace, String key, String value, Duration timeToLive) {
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(value, "value must not be null");
		Assert.notNull(timeToLive, "timeToLive must not be null");
		Assert.isTrue(!timeToLive.isNegative() && !timeToLive.isZero(), "timeToLive must be positive");
		Key entry = new Key(namespace, key);
		return Mono.fromRunnable(() -> {
			Instant now = this.clock.instant();
			if (!now.isBefore(this.nextPurge) || this.values.size() >= this.maxEntries) {
				this.nextPurge = now.plus(PURGE_INTERVAL);
				this.values.values().removeIf((pending) -> !now.isBefore(pending.expiresAt()));
			}
			if (this.values.size() >= this.maxEntries) {
				throw new IllegalStateException("The in-memory one-time-value store holds " + this.maxEntries
						+ " pending values; refusing more until some expire or are consumed");
			}
			Pending kept = new Pending(now.plus(timeToLive), value);
			this.values.compute(entry,
					(k, pending) -> (pending != null && now.isBefore(pending.expiresAt())) ? pending : kept);
		});
	}

	@Override
	public Mono<Boolean> consume(String namespace, String value) {
		return take(namespace, value).hasElement();
	}

	@Override
	public Mono<String> take(String namespace, String key) {
		Assert.notNull(namespace, "namespace must not be null");
		Assert.notNull(key, "key must not be null");
		Key entry = new Key(namespace, key);
		return Mono.fromSupplier(() -> {
			Pending pending = this.values.remove(entry);
			return (pending != null && this.clock.instant().isBefore(pending.expiresAt())) ? pending.value() : null;
		});
	}

	/**
	 * Return how many values are held, expired ones not yet dropped included.
	 * @return the number of entries
	 */
	public int size() {
		return this.values.size();
	}

	@Override
	public String toString() {
		return "InMemoryOneTimeValueStore[maxEntries=" + this.maxEntries + "]";
	}

	/** A kept value and when it expires; never printed. */
	private record Pending(Instant expiresAt, String value) {

		@Override
		public String toString() {
			return "Pending[expiresAt=" + this.expiresAt + "]";
		}

	}

	/** A value in its namespace; never printed. */
	private record Key(String namespace, String value) {

		@Override
		public String toString() {
			return "Key[namespace=" + this.namespace + "]";
		}

	}

}
