package io.tokenkit.redis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

/**
 * The {@link RedisTokenStore}'s copies of what Redis holds, bounded: beyond the maximum,
 * a put evicts the least recently used per-user copies down to about nine tenths of it
 * (an evicted copy is read again from Redis when next needed). Application copies (keys
 * without a subject) count but are never evicted, and neither is a copy whose write is on
 * its way. Recency is kept in seconds of {@link System#nanoTime()}, written by
 * {@link #get} only when it changed: a lookup takes no lock and allocates nothing.
 * <p>
 * Beside the copies: the token key of each Redis key this instance used, so that a change
 * message (which names the Redis key) reaches the right copy and the manager's listeners;
 * kept for keys with a copy, a lease or a dead mark seen here (however many), and pruned
 * of the others once it holds twice the maximum. And the generation of each Redis key
 * whose value could not be read, so that this is warned once per generation; cleared once
 * it holds the maximum.
 */
final class LocalCopies {

	private final int max;

	private final int evictTo;

	private final ConcurrentHashMap<TokenKey, Copy> copies = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, TokenKey> keysByRedisKey = new ConcurrentHashMap<>();

	/** Keys whose refresh token was seen refused as dead, kept in the key map. */
	private final Set<TokenKey> dead = ConcurrentHashMap.newKeySet();

	/** Keys under a lease of this instance, kept in the key map. */
	private final Set<TokenKey> leased;

	private final ConcurrentHashMap<String, Long> unreadable = new ConcurrentHashMap<>();

	private final AtomicBoolean evicting = new AtomicBoolean();

	/**
	 * Create the copies.
	 * @param max the most copies kept
	 * @param leased the keys under a lease of this instance
	 */
	LocalCopies(int max, Set<TokenKey> leased) {
		this.max = max;
		this.evictTo = Math.max(max - max / 10, 1);
		this.leased = leased;
	}

	int max() {
		return this.max;
	}

	/**
	 * The copy of a key, marked used if it may be evicted (an application's copy with the
	 * defaults is never evicted, so their lookup reads no clock).
	 */
	@Nullable Copy get(TokenKey key) {
		Copy copy = this.copies.get(key);
		if (copy != null && evictable(key)) {
			long now = now();
			if (copy.used != now) {
				copy.used = now;
			}
		}
		return copy;
	}

	/** The copy of a key, not marked used. */
	@Nullable Copy peek(TokenKey key) {
		return this.copies.get(key);
	}

	void put(TokenKey key, Copy copy) {
		this.copies.put(key, copy);
		bound();
	}

	boolean replace(TokenKey key, Copy expected, Copy replacement) {
		return this.copies.replace(key, expected, replacement);
	}

	void computeIfPresent(TokenKey key, BiFunction<TokenKey, Copy, @Nullable Copy> remapping) {
		this.copies.computeIfPresent(key, remapping);
	}

	void remove(TokenKey key) {
		this.copies.remove(key);
	}

	boolean remove(TokenKey key, Copy copy) {
		return this.copies.remove(key, copy);
	}

	/** Visit each copy, without marking it used. */
	void forEach(BiConsumer<TokenKey, Copy> action) {
		this.copies.forEach(action);
	}

	int size() {
		return this.copies.size();
	}

	/** Remember which token key a Redis key is. */
	void name(String redisKey, TokenKey key) {
		if (this.keysByRedisKey.putIfAbsent(redisKey, key) == null && this.keysByRedisKey.size() > 2 * this.max) {
			this.keysByRedisKey.entrySet().removeIf((entry) -> !kept(entry.getValue()));
		}
	}

	@Nullable TokenKey keyOf(String redisKey) {
		return this.keysByRedisKey.get(redisKey);
	}

	int namedKeys() {
		return this.keysByRedisKey.size();
	}

	/** Forget a key removed here: its name, its dead mark and its unreadable value. */
	void forget(TokenKey key, String redisKey) {
		this.copies.remove(key);
		this.keysByRedisKey.remove(redisKey);
		this.dead.remove(key);
		this.unreadable.remove(redisKey);
	}

	/**
	 * A key's refresh token was refused as dead: keep its name for the next save, which
	 * may come from another instance. Not bounded here: each mark is of a key this
	 * instance used, and goes with its save or remove.
	 */
	void markDead(TokenKey key) {
		this.dead.add(key);
	}

	void unmarkDead(TokenKey key) {
		this.dead.remove(key);
	}

	/**
	 * Record that a Redis key's value at a generation could not be read.
	 * @return whether this is new (to be warned)
	 */
	boolean unreadable(String redisKey, long generation) {
		if (this.unreadable.size() >= this.max) {
			this.unreadable.clear();
		}
		Long warned = this.unreadable.put(redisKey, generation);
		return warned == null || warned != generation;
	}

	void readable(String redisKey) {
		this.unreadable.remove(redisKey);
	}

	int unreadableKeys() {
		return this.unreadable.size();
	}

	/**
	 * Whether a key's copy may be evicted: a per-user key, or an application key with
	 * parameters; an application's key with its registration's defaults stays.
	 */
	private static boolean evictable(TokenKey key) {
		return key.subject() != null || !key.parameters().isEmpty();
	}

	private boolean kept(TokenKey key) {
		return this.copies.containsKey(key) || this.leased.contains(key) || this.dead.contains(key);
	}

	private void bound() {
		if (this.copies.size() <= this.max || !this.evicting.compareAndSet(false, true)) {
			return;
		}
		try {
			List<Map.Entry<TokenKey, Copy>> candidates = new ArrayList<>();
			for (Map.Entry<TokenKey, Copy> entry : this.copies.entrySet()) {
				if (evictable(entry.getKey()) && entry.getValue().generation != Copy.WRITING) {
					candidates.add(entry);
				}
			}
			// least recently used first; within one second, the copy made first
			candidates.sort(Comparator.<Map.Entry<TokenKey, Copy>>comparingLong((entry) -> entry.getValue().used)
				.thenComparingLong((entry) -> entry.getValue().made));
			int excess = this.copies.size() - this.evictTo;
			for (int i = 0; i < candidates.size() && excess > 0; i++) {
				Map.Entry<TokenKey, Copy> entry = candidates.get(i);
				if (this.copies.remove(entry.getKey(), entry.getValue())) {
					excess--;
				}
			}
		}
		finally {
			this.evicting.set(false);
		}
	}

	private static long now() {
		return System.nanoTime() / 1_000_000_000L;
	}

	/**
	 * The copy of a key: the token, the generation it was read or written at
	 * ({@link #WRITING} while this instance's own write is on its way, {@link #LOCAL} for
	 * a token acquired while Redis was away), and whether this instance wrote it.
	 */
	static final class Copy {

		/** The generation of a copy whose write is on its way. */
		static final long WRITING = Long.MAX_VALUE;

		/**
		 * The generation of a copy acquired while Redis was away and never written there:
		 * older than any generation Redis gives, so that the next change message drops
		 * it.
		 */
		static final long LOCAL = 0;

		final AccessToken token;

		final long generation;

		final boolean writtenHere;

		/** When it was last used, in seconds of {@link System#nanoTime()}. */
		volatile long used = now();

		/**
		 * The order in which copies were made, telling apart copies used in one second.
		 */
		private static final AtomicLong MADE = new AtomicLong();

		/** When it was made, in {@link #MADE} order. */
		final long made = MADE.incrementAndGet();

		Copy(AccessToken token, long generation, boolean writtenHere) {
			this.token = token;
			this.generation = generation;
			this.writtenHere = writtenHere;
		}

	}

}
