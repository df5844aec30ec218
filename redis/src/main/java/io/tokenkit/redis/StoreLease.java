package io.tokenkit.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import io.tokenkit.redis.LocalCopies.Copy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.DeadTokenChainException;
import io.tokenkit.token.TokenKey;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * The acquisition lease of a {@link RedisTokenStore}'s keys: asking for it until it is
 * granted (woken by a change message through {@link LeaseWaiters}, or polling should one
 * be lost), renewing it while the holder's token call runs, and releasing it. The lease
 * is the key's owner and deadline, compared with Redis's own {@code TIME}
 * ({@link StoreScripts#LEASE}); a key marked dead refuses it.
 */
final class StoreLease {

	/** The store's own log category, as before the lease was a class of its own. */
	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(25);

	private final String owner = UUID.randomUUID().toString();

	private final LeaseWaiters waiters = new LeaseWaiters();

	private final ReactiveStringRedisTemplate redis;

	private final StoreKeys keys;

	private final Duration leaseTime;

	private final Clock clock;

	private final RedisBypass bypass;

	private final OldKeyMigration migration;

	private final TokenCodec codec;

	private final LocalCopies local;

	private final Remember remember;

	/** How often a lease waiter asks again when no change message wakes it. */
	private volatile Duration pollInterval = POLL_INTERVAL;

	StoreLease(ReactiveStringRedisTemplate redis, StoreKeys keys, Duration leaseTime, Clock clock, RedisBypass bypass,
			OldKeyMigration migration, TokenCodec codec, LocalCopies local, Remember remember) {
		this.redis = redis;
		this.keys = keys;
		this.leaseTime = leaseTime;
		this.clock = clock;
		this.bypass = bypass;
		this.migration = migration;
		this.codec = codec;
		this.local = local;
		this.remember = remember;
	}

	/** The owner this instance's leases carry. */
	String owner() {
		return this.owner;
	}

	/** A change message named a Redis key: wake its waiters. */
	void wake(String redisKey) {
		this.waiters.wake(redisKey);
	}

	/** Set how often a lease waiter asks again when no change message wakes it. */
	void pollInterval(Duration interval) {
		this.pollInterval = interval;
	}

	/**
	 * Wait for a key's lease: answers the granted {@link Lease},
	 * {@link Lease#UNAVAILABLE} when Redis fails, or, when {@code newerSuffices}, a
	 * usable newer token (an {@link AccessToken}).
	 */
	Mono<Object> await(TokenKey key, String redisKey, boolean newerSuffices, Predicate<AccessToken> current) {
		return Mono.usingWhen(Mono.fromSupplier(() -> this.waiters.join(redisKey)),
				(waiter) -> awaitLease(key, redisKey, newerSuffices, current, waiter),
				(waiter) -> Mono.fromRunnable(() -> this.waiters.leave(redisKey, waiter)));
	}

	/** Renew a key's lease every third of the lease time until disposed. */
	Disposable renew(TokenKey key) {
		String redisKey = this.keys.redisKey(key);
		return Flux.interval(this.leaseTime.dividedBy(3))
			.onBackpressureDrop()
			.concatMap((tick) -> this.bypass
				.call("lease",
						this.redis.execute(StoreScripts.RENEW, List.of(redisKey), List.of(this.owner, leaseMillis()))
							.next())
				.onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.empty()), 1)
			.subscribe(null, (ex) -> logger.debug("Lease renewal stopped", ex));
	}

	/**
	 * One flat loop: ask for the lease until it is granted (answering the granted
	 * {@link Lease}), Redis fails ({@link Lease#UNAVAILABLE}) or, when
	 * {@code newerSuffices}, a usable newer token comes in a lease answer (that
	 * {@link AccessToken}). A dead mark whose chain is not {@code current} is passed over
	 * at its generation: a newer mark still fails.
	 */
	private Mono<Object> awaitLease(TokenKey key, String redisKey, boolean newerSuffices,
			Predicate<AccessToken> current, LeaseWaiters.Waiter waiter) {
		AtomicReference<Mono<Void>> wake = new AtomicReference<>(Mono.never());
		AtomicLong passOver = new AtomicLong();
		return Mono.defer(() -> {
			if (this.bypass.bypassing()) {
				return Mono.just(Lease.UNAVAILABLE);
			}
			// a change message from now on wakes the wait after this call
			wake.set(waiter.next());
			return this.bypass
				.call("lease",
						this.redis
							.execute(StoreScripts.LEASE, List.of(redisKey),
									List.of(this.owner, leaseMillis(),
											(passOver.get() != 0) ? Long.toString(passOver.get()) : ""))
							.next())
				.map(Lease::of)
				// only the holder moves an entry from an older name: a waiter's poll
				// costs one call. While an instance of the release before holds the old
				// name's lease, the holder waits as if not granted (keeping the lease,
				// which the next ask grants it again)
				.flatMap((lease) -> (lease.granted && lease.stored.generation() == 0)
						? this.migration.move(key, redisKey)
							.flatMap((moved) -> moved.busy() ? Mono.error(NotGranted.INSTANCE)
									: Mono.just(new Lease(lease.granted, moved.stored(), moved.deadOrigin())))
						: Mono.just(lease))
				.onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.just(Lease.UNAVAILABLE));
		}).flatMap((lease) -> {
			if (lease == Lease.UNAVAILABLE) {
				return Mono.just(lease);
			}
			if (lease.stored.dead() && lease.stored.generation() != passOver.get()) {
				AccessToken deadChain = this.codec.deadChain(redisKey, lease.deadOrigin);
				if (lease.stored.generation() != 0 && deadChain != null && !current.test(deadChain)) {
					// the operator configured another refresh token since the chain died
					passOver.set(lease.stored.generation());
					return Mono.error(AskAgain.INSTANCE);
				}
				this.local.remove(key);
				this.local.markDead(key);
				// a lease granted just before a moved entry turned out dead is given back
				Mono<Void> giveBack = lease.granted ? release(key) : Mono.empty();
				return giveBack.then(Mono.error(new DeadTokenChainException(key, "marked in Redis")));
			}
			if (lease.granted) {
				return Mono.just(lease);
			}
			AccessToken newer = newerSuffices ? newerUsable(key, redisKey, lease.stored, current) : null;
			return (newer != null) ? Mono.just(newer) : Mono.error(NotGranted.INSTANCE);
		}).retryWhen(Retry.from((signals) -> signals.concatMap((signal) -> {
			if (signal.failure() instanceof AskAgain) {
				return Mono.just(signal);
			}
			return (signal.failure() instanceof NotGranted)
					? Mono.firstWithSignal(Mono.delay(this.pollInterval).then(), wake.get()).thenReturn(signal)
					: Mono.error(signal.failure());
		})));
	}

	/**
	 * The token of a lease answer not granted, if it is usable, newer than this
	 * instance's copy, another token than the copy's and {@code current}: kept as the
	 * copy.
	 */
	private @Nullable AccessToken newerUsable(TokenKey key, String redisKey, Stored stored,
			Predicate<AccessToken> current) {
		Copy copy = this.local.peek(key);
		if (stored.payload().isEmpty() || (copy != null && stored.generation() <= copy.generation)) {
			return null;
		}
		AccessToken token = this.remember.remember(key, redisKey, stored);
		if (token == null || token.isExpired(this.clock.millis())
				|| (copy != null && TokenCodec.sameValue(copy.token, token)) || !current.test(token)) {
			return null;
		}
		return token;
	}

	Mono<Void> release(TokenKey key) {
		return this.bypass
			.call("lease",
					this.redis
						.execute(StoreScripts.RELEASE, List.of(this.keys.redisKey(key)),
								List.of(this.owner, this.keys.channel()))
						.next())
			.then()
			.onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.empty());
	}

	private String leaseMillis() {
		return Long.toString(this.leaseTime.toMillis());
	}

	/**
	 * The answer of the lease script, with the sealed origin of a dead chain ('' for
	 * none).
	 */
	record Lease(boolean granted, Stored stored, String deadOrigin) {

		static final Lease UNAVAILABLE = new Lease(false, new Stored("", 0, false), "");

		static Lease of(List<?> values) {
			return new Lease("1".equals(String.valueOf(values.get(0))), Stored.of(values.subList(1, 4)),
					(values.size() > 4) ? String.valueOf(values.get(4)) : "");
		}

	}

	/** A dead mark is to be passed over: ask again at once. */
	private static final class AskAgain extends RuntimeException {

		static final AskAgain INSTANCE = new AskAgain();

		private AskAgain() {
			super(null, null, false, false);
		}

	}

	/** Another instance holds the lease: poll again. */
	private static final class NotGranted extends RuntimeException {

		static final NotGranted INSTANCE = new NotGranted();

		private NotGranted() {
			super(null, null, false, false);
		}

	}

	/** Keeps the local copy in step with what Redis holds (the store's reads). */
	@FunctionalInterface
	interface Remember {

		@Nullable AccessToken remember(TokenKey key, String redisKey, Stored stored);

	}

}
