package io.tokenkit.redis;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.support.Sha256;
import io.tokenkit.token.OneTimeValueStore;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.Assert;

/**
 * A {@link OneTimeValueStore} shared by every instance of an application through Redis: a
 * value put by one instance is consumed once by any.
 * <p>
 * Each value is one string key, {@code <prefix>one-time:<namespace>:<hex SHA-256 of the
 * value>}, so that a value never appears in Redis itself. {@link #put} is one
 * {@code SET key 1 NX PX <time to live>}, so Redis expires the value on its own clock;
 * {@link #consume} is one {@code GETDEL key} (Redis 6.2 or later), which exactly one
 * caller sees answer the value. {@link #keep} and {@link #take} are the same with the
 * kept value instead of {@code 1}: a {@code SET NX PX} and a {@code GETDEL} that hands it
 * back to one caller. With a {@link TokenCipher}, a kept value (a PKCE code verifier,
 * say) is written encrypted for its Redis key as token values are: a value copied to
 * another key, or encrypted with a key that is neither the current nor a previous one,
 * counts as absent, with a WARN that names the namespace and never the value; so does a
 * plain value (kept before encryption was configured, or planted by someone who can write
 * to Redis but holds no key): one-time values live minutes, so accepting plain ones would
 * only open a way around the binding. Each call has its own time limit; a call that fails
 * or does not answer in time fails with a {@link RedisStoreException} and is reported to
 * the {@link RedisStoreErrorListener} as {@code one-time-put}, {@code one-time-consume},
 * {@code one-time-keep} or {@code one-time-take}. There is no local fallback: an instance
 * that cannot reach Redis can neither promise that another instance will accept a value
 * nor that it was not used already.
 */
public final class RedisOneTimeValueStore implements OneTimeValueStore {

	/** The segment after the key prefix that every key of this store starts with. */
	public static final String KEY_SEGMENT = "one-time:";

	private static final String PUT = "one-time-put";

	private static final String CONSUME = "one-time-consume";

	private static final String KEEP = "one-time-keep";

	private static final String TAKE = "one-time-take";

	private static final Log logger = LogFactory.getLog(RedisOneTimeValueStore.class);

	private final ReactiveStringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration timeout;

	private final RedisStoreErrorListener errors;

	private final @Nullable TokenCipher cipher;

	/**
	 * Create a store with the {@link RedisTokenStore#DEFAULT_TIMEOUT default time limit}
	 * and no error listener.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key, {@code tokenkit:} for example
	 */
	public RedisOneTimeValueStore(ReactiveStringRedisTemplate redis, String keyPrefix) {
		this(redis, keyPrefix, RedisTokenStore.DEFAULT_TIMEOUT, (operation) -> {
		});
	}

	/**
	 * Create a store.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key, {@code tokenkit:} for example
	 * @param timeout the time limit of one Redis call
	 * @param errors told of every Redis call that failed or did not answer in time
	 */
	public RedisOneTimeValueStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration timeout,
			RedisStoreErrorListener errors) {
		this(redis, keyPrefix, timeout, errors, null);
	}

	/**
	 * Create a store that encrypts the values it {@link #keep keeps}.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key, {@code tokenkit:} for example
	 * @param timeout the time limit of one Redis call
	 * @param errors told of every Redis call that failed or did not answer in time
	 * @param cipher encrypts kept values for their Redis key, or {@code null} to keep
	 * them plain
	 */
	public RedisOneTimeValueStore(ReactiveStringRedisTemplate redis, String keyPrefix, Duration timeout,
			RedisStoreErrorListener errors, @Nullable TokenCipher cipher) {
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.notNull(timeout, "timeout must not be null");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.notNull(errors, "errors must not be null");
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.timeout = timeout;
		this.errors = errors;
		this.cipher = cipher;
	}

	@Override
	public Mono<Void> put(String namespace, String value, Duration timeToLive) {
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.hasText(value, "value must not be empty");
		Assert.notNull(timeToLive, "timeToLive must not be null");
		Assert.isTrue(!timeToLive.isNegative() && !timeToLive.isZero(), "timeToLive must be positive");
		String key = redisKey(namespace, value);
		Expiration expiration = Expiration.milliseconds(Math.max(timeToLive.toMillis(), 1));
		return call(PUT, Mono.defer(() -> this.redis.opsForValue().setIfAbsent(key, "1", expiration))).then();
	}

	@Override
	public Mono<Boolean> consume(String namespace, String value) {
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.notNull(value, "value must not be null");
		String key = redisKey(namespace, value);
		return call(CONSUME, Mono.defer(() -> this.redis.opsForValue().getAndDelete(key))).hasElement();
	}

	@Override
	public Mono<Void> keep(String namespace, String key, String value, Duration timeToLive) {
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.hasText(key, "key must not be empty");
		Assert.hasText(value, "value must not be empty");
		Assert.notNull(timeToLive, "timeToLive must not be null");
		Assert.isTrue(!timeToLive.isNegative() && !timeToLive.isZero(), "timeToLive must be positive");
		String redisKey = redisKey(namespace, key);
		Expiration expiration = Expiration.milliseconds(Math.max(timeToLive.toMillis(), 1));
		return call(KEEP, Mono.defer(() -> this.redis.opsForValue()
			.setIfAbsent(redisKey, (this.cipher != null) ? this.cipher.encrypt(value, redisKey) : value, expiration)))
			.then();
	}

	@Override
	public Mono<String> take(String namespace, String key) {
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.notNull(key, "key must not be null");
		String redisKey = redisKey(namespace, key);
		return call(TAKE, Mono.defer(() -> this.redis.opsForValue().getAndDelete(redisKey)))
			.mapNotNull((stored) -> open(namespace, redisKey, stored));
	}

	/**
	 * Return a value as it was kept: decrypted with a cipher, as it is without;
	 * {@code null}, with a WARN, when it cannot be decrypted or is plain although a
	 * cipher is configured.
	 */
	private @Nullable String open(String namespace, String redisKey, String stored) {
		boolean encrypted = TokenCipher.isEncrypted(stored);
		String reason;
		if (this.cipher == null) {
			if (!encrypted) {
				return stored;
			}
			reason = "it is encrypted and no encryption key is configured (tokenkit.store.encryption-key)";
		}
		else if (!encrypted) {
			reason = "it is not encrypted although an encryption key is configured: it was kept before the key "
					+ "was, or written by someone who does not hold the key";
		}
		else {
			try {
				return this.cipher.decrypt(stored, redisKey);
			}
			catch (TokenCipher.UndecryptableException ex) {
				reason = ex.getMessage();
			}
		}
		if (logger.isWarnEnabled()) {
			logger.warn("Ignoring a one-time value of namespace '" + namespace + "' in Redis: " + reason
					+ ". It counts as absent and is removed");
		}
		return null;
	}

	/**
	 * Return the Redis key of a value.
	 * @param namespace the namespace
	 * @param value the value
	 * @return the key, with the value hashed
	 */
	public String redisKey(String namespace, String value) {
		return this.keyPrefix + KEY_SEGMENT + namespace + ":" + Sha256.hex(value);
	}

	private <T> Mono<T> call(String operation, Mono<T> call) {
		return call.timeout(this.timeout).onErrorMap((ex) -> !(ex instanceof RedisStoreException), (ex) -> {
			this.errors.failed(operation);
			String what = (ex instanceof TimeoutException) ? "did not answer within " + this.timeout
					: "failed (" + ex.getClass().getSimpleName() + ")";
			return new RedisStoreException(operation,
					"Redis " + what + " on " + operation
							+ ": this instance cannot tell whether the one-time value is kept or used up; "
							+ "check spring.data.redis.* and that Redis is up",
					ex);
		});
	}

	@Override
	public String toString() {
		return "RedisOneTimeValueStore[keyPrefix=" + this.keyPrefix + ", timeout=" + this.timeout + ", encrypted="
				+ (this.cipher != null) + "]";
	}

}
