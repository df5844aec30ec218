package io.tokenkit.redis;

import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The Redis keys whose lease this instance waits for, each with a signal that a change
 * message for the key fires: a waiter asks for the lease again at once instead of at its
 * next poll. A waiter takes the key's current signal before each lease call, so that a
 * message that comes between the call and the wait still wakes it.
 */
final class LeaseWaiters {

	private final ConcurrentHashMap<String, Waiter> waiters = new ConcurrentHashMap<>();

	/** Start waiting for a key's lease. */
	Waiter join(String redisKey) {
		return this.waiters.compute(redisKey, (key, waiter) -> {
			Waiter joined = (waiter != null) ? waiter : new Waiter();
			joined.users++;
			return joined;
		});
	}

	/** Stop waiting for a key's lease. */
	void leave(String redisKey, Waiter waiter) {
		this.waiters.computeIfPresent(redisKey,
				(key, current) -> (current == waiter && --current.users == 0) ? null : current);
	}

	/** A change message named the key: wake its waiters. */
	void wake(String redisKey) {
		Waiter waiter = this.waiters.get(redisKey);
		if (waiter != null) {
			waiter.wake();
		}
	}

	int size() {
		return this.waiters.size();
	}

	/** The waiters of one key. */
	static final class Waiter {

		/** Guarded by the map's compute. */
		private int users;

		private volatile Sinks.Empty<Void> signal = Sinks.empty();

		/** The signal of the next change message. */
		Mono<Void> next() {
			return this.signal.asMono();
		}

		/** Called from the one thread that reads change messages. */
		void wake() {
			Sinks.Empty<Void> fired = this.signal;
			this.signal = Sinks.empty();
			fired.tryEmitEmpty();
		}

	}

}
