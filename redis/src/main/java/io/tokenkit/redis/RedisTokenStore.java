package io.tokenkit.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tokenkit.redis.LocalCopies.Copy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenApiException;
import io.tokenkit.token.RemovedToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.util.Assert;

/**
 * A {@link TokenStore} that shares tokens between the instances of an application through
 * Redis, with a local copy in front so that {@link #get(TokenKey)} stays free of I/O.
 * <p>
 * Each key is one Redis hash holding the encoded token, its <em>generation</em> (a number
 * raised by every write, and never repeated across the key's lives: a key Redis dropped
 * starts again from Redis's clock, see {@link StoreScripts}), an acquisition
 * <em>lease</em> (owner and deadline, compared with Redis's own {@code TIME}) and a mark
 * for a refresh token refused as dead. Every script touches that one key, so Redis
 * Cluster and Sentinel work through Spring Data Redis's own configuration.
 * <ul>
 * <li>{@link #acquire} takes the key's lease, so that across all instances one
 * acquisition per key runs at a time; the holder renews it while its token call runs, the
 * others wait until it is released or lapses (woken by the change message, or polling
 * every 25 ms should it be lost), then use the newest token instead of calling the token
 * endpoint. A refresh always redeems the newest stored refresh token.</li>
 * <li>Every write is a compare-and-set on the generation: a write that arrives late
 * (queued while Redis was frozen, or from an instance that lost its lease) never
 * overwrites a newer token. {@link #save} and {@link #remove} always win.</li>
 * <li>A token that carries a refresh token stays until its refresh token expires (the
 * store's refresh-token time to live), so an idle user keeps their session; others stay
 * until they expire.</li>
 * <li>Every write is announced on a channel; the other instances drop their local copy
 * within moments and tell the manager of saves and removes. A local copy counts as what
 * Redis holds only with both its generation and its content.</li>
 * <li>The local copies are bounded ({@link LocalCopies}): beyond the maximum, the least
 * recently used per-user copies are dropped from memory and read again from Redis when
 * needed.</li>
 * <li>Each Redis call has its own time limit. After a failure the instance bypasses Redis
 * for a lease time: valid local tokens keep serving, tokens without a refresh token are
 * acquired locally, and a refresh token is redeemed only if this instance wrote its
 * newest generation; otherwise the acquisition fails with a
 * {@link io.tokenkit.token.TokenAcquisitionException} that names Redis.</li>
 * </ul>
 * Subjects appear in keys only as an HMAC-SHA256 with the configured subject key (a plain
 * SHA-256 without one). With a subject key, no Redis command carries the subject nor a
 * value computable from it without the key, unless the migration of keys written before
 * the subject key is on: then a key found missing is also looked up under its plain
 * SHA-256 form and moved to the HMAC form (the new key is written first, then the old one
 * deleted, so a crash in between leaves at worst a stale old key), and saving or removing
 * a key deletes its old form as well.
 * <p>
 * A key is {@code <prefix>{<registrationId>:<subjectHash>}:-} for a user's token and
 * {@code <prefix>{<registrationId>}:-} for an application token ({@link StoreKeys}): the
 * hash tag keeps one user's keys of one registration in one Redis Cluster slot. A key
 * with per-call {@link io.tokenkit.token.TokenParameters} ends with the hash of their
 * canonical form instead of {@code -}, and is listed in the subject's set of parameter
 * segments under the same hash tag, which {@link #removeAll} reads. Entries written under
 * the layout before ({@code <prefix><registrationId>[:<subjectHash>]}) are moved the same
 * way; {@link OldKeyMigration} says what a rolling upgrade does.
 * <p>
 * This class is the front; each part has one job: {@link StoreKeys} (names),
 * {@link StoreScripts} (Lua), {@link StoreLease} (the lease), {@link TokenCodec} (JSON
 * and encryption), {@link RedisBypass} (Redis unavailable), {@link LocalCopies} and
 * {@link ChangeChannel} (local copies and their invalidation), {@link OldKeyMigration}. A
 * key found marked dead fails the acquisition with a
 * {@link io.tokenkit.token.DeadTokenChainException}.
 * <p>
 * With a {@link TokenCipher}, token values are written encrypted, bound to their Redis
 * key; a value that cannot be decrypted counts as absent. Plain values written before
 * encryption was configured are read as they are and written encrypted at the next write,
 * unless {@link RedisTokenStoreSettings#migratePlainTokens()} is off: then they count as
 * absent too, so that someone who can write to Redis but holds no key cannot plant a
 * token.
 */
public final class RedisTokenStore implements TokenStore, AutoCloseable {

	/** The default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "tokenkit:";

	/** The default lease time. */
	public static final Duration DEFAULT_LEASE_TIME = Duration.ofSeconds(5);

	/** The default time limit of one Redis call. */
	public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);

	/** The default time a token with a refresh token is kept. */
	public static final Duration DEFAULT_REFRESH_TOKEN_TIME_TO_LIVE = Duration.ofDays(30);

	/** The default maximum number of local copies. */
	public static final int DEFAULT_MAX_LOCAL_COPIES = 10_000;

	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private final ReactiveStringRedisTemplate redis;

	private final String keyPrefix;

	private final String channel;

	private final Clock clock;

	private final Duration leaseTime;

	private final Duration timeout;

	private final Duration refreshTokenTimeToLive;

	private final StoreKeys keys;

	private final OldKeyMigration migration;

	private final TokenCodec codec;

	private final RedisBypass bypass;

	private final RedisStoreErrorListener errors;

	private final Set<TokenKey> leased = ConcurrentHashMap.newKeySet();

	private final LocalCopies local;

	private final StoreLease lease;

	private final ChangeChannel changes;

	/**
	 * Create a store with the {@link RedisTokenStoreSettings#defaults() default
	 * settings}.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key and of the change channel
	 * @param clock the clock
	 */
	public RedisTokenStore(ReactiveStringRedisTemplate redis, String keyPrefix, Clock clock) {
		this(redis, keyPrefix, clock, RedisTokenStoreSettings.defaults());
	}

	/**
	 * Create a store.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key and of the change channel
	 * @param clock the clock
	 * @param settings the lease time, time limits, subject key, encryption and the rest
	 */
	public RedisTokenStore(ReactiveStringRedisTemplate redis, String keyPrefix, Clock clock,
			RedisTokenStoreSettings settings) {
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(settings, "settings must not be null");
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.clock = clock;
		this.leaseTime = settings.leaseTime();
		this.timeout = settings.timeout();
		this.refreshTokenTimeToLive = settings.refreshTokenTimeToLive();
		this.keys = new StoreKeys(keyPrefix, new SubjectHasher(settings.subjectKey()));
		this.channel = this.keys.channel();
		this.errors = settings.errors();
		this.local = new LocalCopies(settings.maxLocalCopies(), this.leased);
		this.codec = new TokenCodec(settings.cipher(), settings.migratePlainTokens(), this.local);
		this.bypass = new RedisBypass(this.timeout, this.leaseTime, this.errors, this.local, clock);
		this.migration = new OldKeyMigration(redis, this.keys, settings.migrateUnkeyedSubjects(),
				settings.migrateOldKeys(), this.bypass, this.codec);
		this.lease = new StoreLease(redis, this.keys, this.leaseTime, clock, this.bypass, this.migration, this.codec,
				this.local, this::remember);
		this.changes = new ChangeChannel(redis, this.channel, this.leaseTime, this.local, this.lease, this.errors);
	}

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		Copy copy = this.local.get(key);
		return (copy != null) ? copy.token : null;
	}

	/**
	 * Visit each local copy: the tokens this instance read or wrote, not all that Redis
	 * holds.
	 */
	@Override
	public void forEachToken(BiConsumer<TokenKey, AccessToken> action) {
		this.local.forEach((key, copy) -> action.accept(key, copy.token));
	}

	@Override
	public Mono<AccessToken> load(TokenKey key) {
		if (this.bypass.bypassing()) {
			return Mono.justOrEmpty(get(key));
		}
		String redisKey = redisKey(key);
		return this.bypass.call("read", this.redis.execute(StoreScripts.READ, List.of(redisKey)).next())
			.map(Stored::of)
			.flatMap((stored) -> (stored.generation() == 0)
					? this.migration.move(key, redisKey).map(OldKeyMigration.Moved::stored) : Mono.just(stored))
			.flatMap((stored) -> Mono.justOrEmpty(remember(key, redisKey, stored)))
			.onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.justOrEmpty(get(key)));
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		long floor = floor(key);
		Copy written = new Copy(token, Copy.WRITING, true);
		this.local.put(key, written);
		this.local.unmarkDead(key);
		// always tried, and a failure goes to the caller: a token saved only here would
		// be lost for the others
		return write(key, "", token, "S", floor)
			.doOnNext((generation) -> this.local.replace(key, written, new Copy(token, generation, true)))
			.doOnError((ex) -> this.local.remove(key, written))
			.then(this.migration.deleteOldKeys(key))
			.onErrorMap(RedisBypass.RedisFailure.class, (ex) -> this.bypass.unavailable(key, "save"))
			.then();
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		Copy copy = this.local.peek(key);
		if (copy == null || !TokenCodec.sameValue(copy.token, expected)
				|| !Objects.equals(copy.token.getRefreshToken(), expected.getRefreshToken())) {
			// another token, or the same access token with a new refresh token
			return Mono.just(false);
		}
		if (replacement != null) {
			this.local.replace(key, copy, new Copy(replacement, copy.generation, copy.writtenHere));
		}
		else {
			this.local.remove(key, copy);
		}
		if (this.bypass.bypassing() || copy.generation == Copy.WRITING) {
			// Redis is away, or this instance's own write is on its way: the copy is what
			// changes
			return Mono.just(true);
		}
		return write(key, Long.toString(copy.generation), replacement, "I", 0).map((generation) -> {
			if (generation < 0) {
				// another instance wrote first: its token wins, read it again next time
				this.local.remove(key);
				return false;
			}
			if (replacement != null) {
				this.local.computeIfPresent(key, (k, now) -> (now.token == replacement)
						? new Copy(replacement, generation, copy.writtenHere) : now);
			}
			return true;
		}).onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.just(true));
	}

	@Override
	public Mono<Void> remove(TokenKey key) {
		long floor = floor(key);
		this.local.forget(key, redisKey(key));
		// always tried, and a failure goes to the caller; a tombstone, not a DEL, so that
		// the generation keeps rising and a lease in progress stays
		return write(key, "", null, "R", floor).then(this.migration.deleteOldKeys(key))
			.onErrorMap(RedisBypass.RedisFailure.class, (ex) -> this.bypass.unavailable(key, "remove"))
			.then();
	}

	/**
	 * Remove the key's token as {@link #remove} does, and answer the token Redis held, in
	 * the same script: of two instances that remove one token, only the first gets it
	 * (and so only one revokes it). A value that cannot be read counts as none.
	 */
	@Override
	public Mono<AccessToken> getAndRemove(TokenKey key) {
		long floor = floor(key);
		String redisKey = redisKey(key);
		this.local.forget(key, redisKey);
		this.local.name(redisKey, key);
		return this.bypass
			.call("write",
					this.redis
						.execute(StoreScripts.TAKE, List.of(redisKey),
								writeArguments(key, redisKey, null, "", "R", floor, ""))
						.next())
			.map(Stored::of)
			.flatMap((was) -> this.migration.deleteOldKeys(key)
				.then(Mono.justOrEmpty(was.payload().isEmpty() ? null
						: this.codec.open(key, redisKey, was.payload(), was.generation()))))
			.onErrorMap(RedisBypass.RedisFailure.class, (ex) -> this.bypass.unavailable(key, "remove"));
	}

	@Override
	public void onChangedElsewhere(Consumer<TokenKey> listener) {
		Assert.notNull(listener, "listener must not be null");
		this.changes.listen(listener);
	}

	@Override
	public Mono<AccessToken> acquire(TokenKey key, Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return acquire(key, false, acquisition);
	}

	@Override
	public Mono<AccessToken> acquire(TokenKey key, boolean newerSuffices,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return acquire(key, newerSuffices, (stored) -> true, acquisition);
	}

	/**
	 * Run an acquisition under the key's lease. While another instance holds the lease,
	 * wait for its change message (or poll every 25 ms, should a message be lost) and ask
	 * again; when {@code newerSuffices}, a lease answer that carries a usable token newer
	 * than this instance's copy (another instance has just acquired it) is answered as it
	 * is, without the lease and without running the acquisition, if it is
	 * {@code current}. A key marked dead fails fast, unless the dead chain is not
	 * {@code current} (the operator has configured another refresh token since): then the
	 * acquisition runs past the mark, which its write clears.
	 */
	@Override
	public Mono<AccessToken> acquire(TokenKey key, boolean newerSuffices, Predicate<AccessToken> current,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return Mono.defer(() -> this.bypass.bypassing() ? this.bypass.acquireLocally(key, acquisition)
				: leaseThen(key, newerSuffices, current, acquisition));
	}

	private Mono<AccessToken> leaseThen(TokenKey key, boolean newerSuffices, Predicate<AccessToken> current,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		String redisKey = redisKey(key);
		this.local.name(redisKey, key);
		return this.lease.await(key, redisKey, newerSuffices, current).flatMap((outcome) -> {
			if (outcome instanceof AccessToken newer) {
				return Mono.just(newer);
			}
			StoreLease.Lease lease = (StoreLease.Lease) outcome;
			if (lease == StoreLease.Lease.UNAVAILABLE) {
				return this.bypass.acquireLocally(key, acquisition);
			}
			return underLease(key, lease.stored().generation(), remember(key, redisKey, lease.stored()), acquisition);
		});
	}

	private Mono<AccessToken> underLease(TokenKey key, long generation, @Nullable AccessToken newest,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		String redisKey = redisKey(key);
		this.leased.add(key);
		Disposable renewal = this.lease.renew(key);
		return Mono.defer(() -> acquisition.apply(newest))
			.flatMap((token) -> (token == newest) ? this.lease.release(key).thenReturn(token)
					: commit(key, generation, token))
			.switchIfEmpty(Mono.defer(() -> this.lease.release(key).then(Mono.empty())))
			.onErrorResume((ex) -> !(ex instanceof RedisBypass.RedisFailure), (ex) -> {
				// a refresh token refused as dead is marked for every instance before the
				// lease is released, and only if no other write came meanwhile
				Mono<?> mark = Mono.empty();
				if (TokenApiException.find(ex, TokenApiException::isReauthorizationRequired) != null) {
					this.local.markDead(key);
					// with the chain's origin: another configured refresh token passes
					// over the mark
					String origin = (newest != null) ? newest.getOrigin() : null;
					mark = write(key, Long.toString(generation), null, "D", 0, origin)
						.onErrorResume(RedisBypass.RedisFailure.class, (failure) -> Mono.empty());
				}
				return mark.then(this.lease.release(key)).then(Mono.error(ex));
			})
			.doOnCancel(() -> this.lease.release(key).subscribe(null, (ex) -> {
			}))
			.doFinally((signal) -> {
				renewal.dispose();
				this.leased.remove(key);
			});
	}

	/**
	 * Whether any {@link TokenApiException} in the cause chain requires a new
	 * authorization (not only the first one).
	 */
	private Mono<AccessToken> commit(TokenKey key, long generation, AccessToken token) {
		long floor = floor(key);
		this.local.put(key, new Copy(token, Copy.WRITING, true));
		return write(key, Long.toString(generation), token, "C", floor).flatMap((written) -> {
			if (written > 0) {
				this.local.computeIfPresent(key,
						(k, copy) -> (copy.token == token) ? new Copy(token, written, true) : copy);
				return Mono.just(token);
			}
			// a save, remove or newer write came first: it wins
			this.local.remove(key);
			return this.lease.release(key).then(load(key));
		}).onErrorResume(RedisBypass.RedisFailure.class, (ex) -> Mono.just(token));
	}

	/**
	 * The lowest first generation this instance's write may give the key, should Redis
	 * have lost it: above the generation of this instance's copy.
	 */
	private long floor(TokenKey key) {
		Copy copy = this.local.peek(key);
		return (copy != null && copy.generation != Copy.WRITING) ? copy.generation + 1 : 0;
	}

	private Mono<Long> write(TokenKey key, String expectedGeneration, @Nullable AccessToken token, String kind,
			long floor) {
		return write(key, expectedGeneration, token, kind, floor, null);
	}

	private Mono<Long> write(TokenKey key, String expectedGeneration, @Nullable AccessToken token, String kind,
			long floor, @Nullable String deadOrigin) {
		String redisKey = redisKey(key);
		this.local.name(redisKey, key);
		String origin = (deadOrigin == null) ? "" : this.codec.sealOrigin(deadOrigin, redisKey);
		// a key with parameters is listed in its subject's set, for removeAll
		List<String> redisKeys = key.parameters().isEmpty() ? List.of(redisKey)
				: List.of(redisKey, this.keys.parameterSets(key.registrationId(), key.subject()));
		return this.bypass.call("write",
				this.redis
					.execute(StoreScripts.WRITE, redisKeys,
							writeArguments(key, redisKey, token, expectedGeneration, kind, floor, origin))
					.next());
	}

	/**
	 * Return the ARGV of a {@link StoreScripts#WRITE} or {@link StoreScripts#TAKE} on a
	 * Redis key.
	 */
	private List<String> writeArguments(TokenKey key, String redisKey, @Nullable AccessToken token,
			String expectedGeneration, String kind, long floor, String sealedOrigin) {
		return List.of(this.lease.owner(), expectedGeneration, (token != null) ? this.codec.seal(token, redisKey) : "",
				Long.toString(ttlMillis(token, kind)), this.channel, kind, Long.toString(floor), sealedOrigin,
				this.keys.segment(key.parameters()));
	}

	/**
	 * Remove every key of a subject and answer the tokens taken: the key with the default
	 * parameters as {@link #getAndRemove} does, then each parameter segment listed in the
	 * subject's set, each taken and unlisted in one script
	 * ({@link StoreScripts#TAKE_LISTED}): of two instances that remove one token only one
	 * gets it, a token written meanwhile lists its segment again for the next call, and a
	 * key that expired on its own is only unlisted. The local copies of the subject's
	 * keys go first. A segment this instance never named is answered under the subject's
	 * default key.
	 */
	@Override
	public Flux<RemovedToken> removeAll(String registrationId, @Nullable String subject) {
		TokenKey defaults = TokenKey.of(registrationId, subject);
		String sets = this.keys.parameterSets(registrationId, subject);
		Flux<RemovedToken> others = this.bypass.call("read", this.redis.opsForSet().members(sets).collectList())
			.flatMapMany(Flux::fromIterable)
			.concatMap((segment) -> takeListed(defaults, sets, segment));
		return Flux.defer(() -> {
			this.local.forEach((key, copy) -> {
				if (key.registrationId().equals(registrationId) && Objects.equals(key.subject(), subject)) {
					this.local.forget(key, redisKey(key));
				}
			});
			return getAndRemove(defaults).map((token) -> new RemovedToken(defaults, token)).concatWith(others);
		}).onErrorMap(RedisBypass.RedisFailure.class, (ex) -> this.bypass.unavailable(defaults, "remove"));
	}

	/** Take the token of a listed segment and unlist it, in one script. */
	private Mono<RemovedToken> takeListed(TokenKey defaults, String sets, String segment) {
		String redisKey = this.keys.redisKey(defaults.registrationId(), defaults.subject(), segment);
		TokenKey named = this.local.keyOf(redisKey);
		TokenKey key = (named != null) ? named : defaults;
		List<String> arguments = List.of(this.lease.owner(), "", "", Long.toString(ttlMillis(null, "R")), this.channel,
				"R", "0", "", segment);
		return this.bypass
			.call("write", this.redis.execute(StoreScripts.TAKE_LISTED, List.of(redisKey, sets), arguments).next())
			.map(Stored::of)
			.flatMap((was) -> Mono.justOrEmpty(
					was.payload().isEmpty() ? null : this.codec.open(key, redisKey, was.payload(), was.generation())))
			.map((token) -> new RemovedToken(key, token));
	}

	/**
	 * Keep the local copy in step with what Redis holds; a value that cannot be read
	 * counts as absent.
	 */
	private @Nullable AccessToken remember(TokenKey key, String redisKey, Stored stored) {
		AccessToken token = stored.payload().isEmpty() ? null
				: this.codec.open(key, redisKey, stored.payload(), stored.generation());
		if (token == null) {
			this.local.computeIfPresent(key, (k, now) -> (now.generation <= stored.generation()) ? null : now);
			return null;
		}
		// the copy is the newest only if it has both the generation and the content of
		// Redis's value: a copy from an earlier life of the key never passes for it
		Copy copy = this.local.peek(key);
		if (copy != null && copy.generation == stored.generation() && TokenCodec.sameContent(copy.token, token)) {
			return copy.token;
		}
		this.local.put(key, new Copy(token, stored.generation(), false));
		this.local.name(redisKey, key);
		return token;
	}

	/**
	 * Release the leases this instance holds and stop listening. Acquisitions still
	 * running have had their time to finish: the {@code TokenManager} closes first.
	 */
	@Override
	public void close() {
		for (TokenKey key : this.leased) {
			this.lease.release(key).block(this.timeout.plusMillis(100));
		}
		this.changes.close();
	}

	/**
	 * Return the Redis key of a token key.
	 * @param key the token key
	 * @return the Redis key, with the subject hashed
	 */
	public String redisKey(TokenKey key) {
		return this.keys.redisKey(key);
	}

	/**
	 * How long Redis keeps a token: a token with a refresh token as long as the refresh
	 * token lives, another until it expires, a token without expiry for ever ({@code 0}).
	 */
	private long ttlMillis(@Nullable AccessToken token, String kind) {
		if (token == null) {
			// a dead refresh token is remembered as long as a refresh token would live
			return "D".equals(kind) ? this.refreshTokenTimeToLive.toMillis() : this.leaseTime.toMillis();
		}
		if (token.getRefreshToken() != null) {
			// as long as the refresh token lives: as the server said, else the configured
			// time
			Instant refreshExpiresAt = token.getRefreshTokenExpiresAt();
			return (refreshExpiresAt != null) ? Math
				.max(Math.max(refreshExpiresAt.toEpochMilli(), token.getExpiresAtMillis()) - this.clock.millis(), 1)
					: this.refreshTokenTimeToLive.toMillis();
		}
		if (token.getExpiresAt() == null) {
			return 0;
		}
		return Math.max(token.getExpiresAtMillis() - this.clock.millis(), 1);
	}

	/** Set how often a lease waiter asks again when no change message wakes it. */
	void pollInterval(Duration interval) {
		this.lease.pollInterval(interval);
	}

	/** How many Redis keys this instance can name from a change message. */
	int namedKeys() {
		return this.local.namedKeys();
	}

	/** How many Redis keys are remembered as unreadable. */
	int unreadableKeys() {
		return this.local.unreadableKeys();
	}

	/**
	 * Return how many tokens this instance holds in memory: at most the maximum of local
	 * copies, application tokens included.
	 * @return the number of local copies
	 */
	public int localCopies() {
		return this.local.size();
	}

	@Override
	public String toString() {
		return "RedisTokenStore[keyPrefix=" + this.keyPrefix + ", leaseTime=" + this.leaseTime + ", encrypted="
				+ this.codec.encrypted() + ", migratePlainTokens=" + this.codec.migratesPlainTokens()
				+ ", maxLocalCopies=" + this.local.max() + "]";
	}

}
