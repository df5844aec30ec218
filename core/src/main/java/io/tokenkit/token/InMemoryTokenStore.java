package io.tokenkit.token;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * A {@link TokenStore} that keeps tokens in a {@link ConcurrentHashMap}: the default for
 * an application running as a single instance.
 * <p>
 * Per-user tokens (keys with a subject) that have expired and carry no refresh token are
 * of no more use: at most once a minute of the store's {@link Clock}, a {@link #save}
 * sweeps them out. Application tokens (keys without a subject) are never evicted.
 * <p>
 * With a maximum number of entries, a {@link #save} that takes the per-user entries past
 * it evicts the least recently used of them down to about nine tenths of it. Recency is
 * kept in seconds of the store's clock and written by {@link #get} only when it changed.
 * Evicting a user's entry loses their refresh token: the user must authorize again.
 * Without a maximum, {@link #get} is a single map lookup that reads no clock.
 */
public final class InMemoryTokenStore implements TokenStore {

	/** How often, at most, a save sweeps out expired per-user tokens. */
	private static final long SWEEP_INTERVAL_MILLIS = 60_000;

	private final Clock clock;

	/** The tokens, when there is no maximum. */
	private final ConcurrentHashMap<TokenKey, AccessToken> tokens;

	/** The tokens with their last access, when there is a maximum. */
	private final @Nullable Bounded bounded;

	private final AtomicLong nextSweepMillis;

	/**
	 * Create a store with no maximum that reads the system UTC clock.
	 */
	public InMemoryTokenStore() {
		this(Clock.systemUTC());
	}

	/**
	 * Create a store with no maximum.
	 * @param clock the clock that decides expiry
	 */
	public InMemoryTokenStore(Clock clock) {
		this(clock, null);
	}

	/**
	 * Create a store.
	 * @param clock the clock that decides expiry and recency
	 * @param maxEntries the maximum number of per-user entries, or {@code null} for no
	 * maximum; application tokens are not counted
	 */
	public InMemoryTokenStore(Clock clock, @Nullable Integer maxEntries) {
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(maxEntries == null || maxEntries > 0, "maxEntries must be positive");
		this.clock = clock;
		this.tokens = new ConcurrentHashMap<>();
		this.bounded = (maxEntries != null) ? new Bounded(maxEntries) : null;
		this.nextSweepMillis = new AtomicLong(clock.millis() + SWEEP_INTERVAL_MILLIS);
	}

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		Bounded bounded = this.bounded;
		return (bounded != null) ? bounded.get(key) : this.tokens.get(key);
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		long now = this.clock.millis();
		Bounded bounded = this.bounded;
		if (bounded != null) {
			bounded.save(key, token, now);
		}
		else {
			this.tokens.put(key, token);
		}
		long nextSweep = this.nextSweepMillis.get();
		if (now >= nextSweep && this.nextSweepMillis.compareAndSet(nextSweep, now + SWEEP_INTERVAL_MILLIS)) {
			sweep(now);
		}
		return Mono.empty();
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		Bounded bounded = this.bounded;
		if (bounded != null) {
			return Mono.just(bounded.replace(key, expected, replacement));
		}
		AccessToken current = this.tokens.get(key);
		if (current == null || !holds(current, expected)) {
			return Mono.just(false);
		}
		boolean changed = (replacement != null) ? this.tokens.replace(key, current, replacement)
				: this.tokens.remove(key, current);
		return Mono.just(changed);
	}

	@Override
	public Mono<Void> remove(TokenKey key) {
		Bounded bounded = this.bounded;
		if (bounded != null) {
			bounded.remove(key);
		}
		else {
			this.tokens.remove(key);
		}
		return Mono.empty();
	}

	/**
	 * Remove the key's token and answer it, atomically: of two removals of one token only
	 * one answers it.
	 */
	@Override
	public Mono<AccessToken> getAndRemove(TokenKey key) {
		Bounded bounded = this.bounded;
		return Mono.justOrEmpty((bounded != null) ? bounded.remove(key) : this.tokens.remove(key));
	}

	/**
	 * Visit each token held, without marking it used.
	 */
	@Override
	public void forEachToken(BiConsumer<TokenKey, AccessToken> action) {
		Bounded bounded = this.bounded;
		if (bounded != null) {
			bounded.entries.forEach((key, entry) -> action.accept(key, entry.token));
		}
		else {
			this.tokens.forEach(action);
		}
	}

	/**
	 * Return the number of tokens held.
	 * @return the size
	 */
	public int size() {
		Bounded bounded = this.bounded;
		return (bounded != null) ? bounded.entries.size() : this.tokens.size();
	}

	/**
	 * Return the maximum number of per-user entries.
	 * @return the maximum, or {@code null} when there is none
	 */
	public @Nullable Integer getMaxEntries() {
		Bounded bounded = this.bounded;
		return (bounded != null) ? bounded.maxEntries : null;
	}

	private void sweep(long now) {
		Bounded bounded = this.bounded;
		if (bounded != null) {
			bounded.sweep(now);
			return;
		}
		for (Map.Entry<TokenKey, AccessToken> entry : this.tokens.entrySet()) {
			if (isUseless(entry.getKey(), entry.getValue(), now)) {
				this.tokens.remove(entry.getKey(), entry.getValue());
			}
		}
	}

	/**
	 * Return whether a token of an {@link #evictable} key can no longer be served nor
	 * refreshed.
	 */
	private static boolean isUseless(TokenKey key, AccessToken token, long now) {
		return evictable(key) && token.getRefreshToken() == null && token.isExpired(now);
	}

	/**
	 * Return whether a key counts toward the maximum and is swept: a per-user key, or an
	 * application key with parameters (one of many); only an application's one key with
	 * its registration's defaults is kept for ever.
	 */
	private static boolean evictable(TokenKey key) {
		return key.subject() != null || !key.parameters().isEmpty();
	}

	private static long seconds(long millis) {
		return millis / 1000;
	}

	/**
	 * The tokens of a store with a maximum number of per-user entries, each with the
	 * second it was last used.
	 */
	private final class Bounded {

		private final int maxEntries;

		/** How many per-user entries an eviction leaves. */
		private final int evictTo;

		private final ConcurrentHashMap<TokenKey, Entry> entries = new ConcurrentHashMap<>();

		private final AtomicInteger userEntries = new AtomicInteger();

		private final AtomicBoolean evicting = new AtomicBoolean();

		Bounded(int maxEntries) {
			this.maxEntries = maxEntries;
			this.evictTo = maxEntries - maxEntries / 10;
		}

		@Nullable AccessToken get(TokenKey key) {
			Entry entry = this.entries.get(key);
			if (entry == null) {
				return null;
			}
			if (evictable(key)) {
				long now = seconds(InMemoryTokenStore.this.clock.millis());
				if (entry.accessedAt != now) {
					entry.accessedAt = now;
				}
			}
			return entry.token;
		}

		void save(TokenKey key, AccessToken token, long now) {
			Entry previous = this.entries.put(key, new Entry(token, seconds(now)));
			if (previous == null && evictable(key) && this.userEntries.incrementAndGet() > this.maxEntries) {
				evict(now);
			}
		}

		boolean replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
			while (true) {
				Entry current = this.entries.get(key);
				if (current == null || !holds(current.token, expected)) {
					return false;
				}
				if (replacement != null) {
					Entry next = new Entry(replacement, seconds(InMemoryTokenStore.this.clock.millis()));
					if (this.entries.replace(key, current, next)) {
						return true;
					}
				}
				else if (remove(key, current)) {
					return true;
				}
			}
		}

		@Nullable AccessToken remove(TokenKey key) {
			Entry removed = this.entries.remove(key);
			if (removed != null && evictable(key)) {
				this.userEntries.decrementAndGet();
			}
			return (removed != null) ? removed.token : null;
		}

		private boolean remove(TokenKey key, Entry entry) {
			if (!this.entries.remove(key, entry)) {
				return false;
			}
			if (evictable(key)) {
				this.userEntries.decrementAndGet();
			}
			return true;
		}

		void sweep(long now) {
			for (Map.Entry<TokenKey, Entry> entry : this.entries.entrySet()) {
				if (isUseless(entry.getKey(), entry.getValue().token, now)) {
					remove(entry.getKey(), entry.getValue());
				}
			}
		}

		/**
		 * Evict useless per-user entries, then the least recently used ones, until
		 * {@link #evictTo} are left. One save evicts at a time; the others go on.
		 */
		private void evict(long now) {
			if (!this.evicting.compareAndSet(false, true)) {
				return;
			}
			try {
				List<Candidate> candidates = new ArrayList<>(this.maxEntries + 16);
				for (Map.Entry<TokenKey, Entry> entry : this.entries.entrySet()) {
					TokenKey key = entry.getKey();
					Entry value = entry.getValue();
					if (!evictable(key)) {
						continue;
					}
					if (isUseless(key, value.token, now)) {
						remove(key, value);
					}
					else {
						candidates.add(new Candidate(key, value, value.accessedAt));
					}
				}
				int excess = this.userEntries.get() - this.evictTo;
				if (excess <= 0) {
					return;
				}
				candidates.sort(Comparator.comparingLong(Candidate::accessedAt));
				for (int i = 0; i < candidates.size() && excess > 0; i++) {
					Candidate candidate = candidates.get(i);
					if (remove(candidate.key(), candidate.entry())) {
						excess--;
					}
				}
			}
			finally {
				this.evicting.set(false);
			}
		}

	}

	/**
	 * Whether the token held is {@code expected}, refresh token included: a token stored
	 * in its place with the same access token but a new refresh token (a refused answer's
	 * rotated one) is another token.
	 */
	private static boolean holds(AccessToken current, AccessToken expected) {
		return current.equals(expected) && Objects.equals(current.getRefreshToken(), expected.getRefreshToken());
	}

	/**
	 * A token and the second, of the store's clock, it was last saved or read.
	 */
	private static final class Entry {

		private final AccessToken token;

		private volatile long accessedAt;

		Entry(AccessToken token, long accessedAt) {
			this.token = token;
			this.accessedAt = accessedAt;
		}

	}

	/**
	 * An entry that may be evicted, with its last access as it was when the eviction
	 * began (so that the sort sees stable values).
	 */
	private record Candidate(TokenKey key, Entry entry, long accessedAt) {

	}

}
