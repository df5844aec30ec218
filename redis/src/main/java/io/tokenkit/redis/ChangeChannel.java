package io.tokenkit.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

import io.tokenkit.redis.LocalCopies.Copy;
import io.tokenkit.token.TokenKey;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The change channel of a {@link RedisTokenStore} as one instance hears it: every write
 * and lease release is announced as {@code <kind> <generation> <redis key>} (kinds
 * {@code S} save, {@code R} remove, {@code C} commit, {@code I} replace, {@code D} dead,
 * {@code L} lease released). A message wakes the key's lease waiters, drops the local
 * copy older than the write, and tells the listeners of saves and removes. The
 * subscription is retried with a backoff up to the lease time, each failure reported as
 * {@code subscribe}.
 */
final class ChangeChannel {

	private final LocalCopies local;

	private final StoreLease lease;

	private final List<Consumer<TokenKey>> changeListeners = new CopyOnWriteArrayList<>();

	private final Disposable subscription;

	ChangeChannel(ReactiveStringRedisTemplate redis, String channel, Duration leaseTime, LocalCopies local,
			StoreLease lease, RedisStoreErrorListener errors) {
		this.local = local;
		this.lease = lease;
		this.subscription = Flux.defer(() -> redis.listenToChannel(channel))
			.doOnNext((message) -> changed(message.getMessage()))
			.retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100))
				.maxBackoff(leaseTime)
				.doBeforeRetry((signal) -> errors.failed("subscribe")))
			.subscribe();
	}

	/** Tell a listener of every save and remove made by another instance. */
	void listen(Consumer<TokenKey> listener) {
		this.changeListeners.add(listener);
	}

	/** Stop listening. */
	void close() {
		this.subscription.dispose();
	}

	/**
	 * Another instance wrote a key or released its lease: wake this instance's waiters
	 * for the lease, and drop the local copy older than a write. Generations never repeat
	 * across a key's lives, so an equal or higher generation means the copy already has
	 * that write.
	 */
	private void changed(String message) {
		String[] parts = message.split(" ", 3);
		if (parts.length != 3) {
			return;
		}
		long generation = Stored.generation(parts[1]);
		this.lease.wake(parts[2]);
		TokenKey key = this.local.keyOf(parts[2]);
		if (key == null || "L".equals(parts[0])) {
			// a lease released without a write changes no copy
			return;
		}
		Copy copy = this.local.peek(key);
		if (copy != null && (copy.generation == Copy.WRITING || (generation > 0 && copy.generation >= generation))) {
			// this instance's own write on its way (which wins or drops the copy itself),
			// or an older write
			return;
		}
		if (copy != null) {
			// unless a newer copy came meanwhile
			this.local.remove(key, copy);
		}
		if ("S".equals(parts[0]) || "R".equals(parts[0])) {
			this.local.unmarkDead(key);
			this.changeListeners.forEach((listener) -> listener.accept(key));
		}
		else if ("D".equals(parts[0])) {
			this.local.markDead(key);
		}
	}

}
