package io.tokenkit.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.redis.LocalCopies.Copy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;

/**
 * What a {@link RedisTokenStore} does when Redis is unavailable: each Redis call has its
 * own time limit, and a call that fails or does not answer in time starts a bypass of
 * Redis for a lease time (one WARN as it starts). Meanwhile valid local tokens keep
 * serving, tokens without a refresh token are acquired in this instance alone, and a
 * refresh token is never redeemed: the acquisition fails with a
 * {@link TokenAcquisitionException} that names Redis.
 */
final class RedisBypass {

	/** The store's own log category, as before the bypass was a class of its own. */
	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private final Duration timeout;

	private final Duration leaseTime;

	private final RedisStoreErrorListener errors;

	private final LocalCopies local;

	private final Clock clock;

	/** The {@link System#nanoTime()} until which Redis is bypassed. */
	private volatile long bypassUntil = System.nanoTime() - 1;

	RedisBypass(Duration timeout, Duration leaseTime, RedisStoreErrorListener errors, LocalCopies local, Clock clock) {
		this.timeout = timeout;
		this.leaseTime = leaseTime;
		this.errors = errors;
		this.local = local;
		this.clock = clock;
	}

	/**
	 * Run one Redis call within the time limit; a failure starts the bypass and becomes a
	 * {@link RedisFailure}.
	 */
	<T> Mono<T> call(String operation, Mono<T> call) {
		return call.timeout(this.timeout).onErrorMap((ex) -> !(ex instanceof RedisFailure), (ex) -> {
			this.errors.failed(operation);
			long until = System.nanoTime() + this.leaseTime.toNanos();
			boolean first = !bypassing();
			this.bypassUntil = until;
			if (first && logger.isWarnEnabled()) {
				logger.warn("Redis " + operation + " failed ("
						+ ((ex instanceof TimeoutException) ? "no answer within " + this.timeout
								: ex.getClass().getSimpleName())
						+ "); this instance goes on without Redis for " + this.leaseTime
						+ ": valid tokens keep serving, and refresh tokens wait until Redis answers");
			}
			return new RedisFailure();
		});
	}

	/**
	 * Measured on the JVM's monotonic time, not the injected clock: a fixed or stepped
	 * clock must not pin it.
	 */
	boolean bypassing() {
		return System.nanoTime() - this.bypassUntil < 0;
	}

	/**
	 * Redis does not answer: acquire in this instance alone a token that needs no refresh
	 * token, but never redeem a refresh token: another instance may have rotated it
	 * already, and a rotated one could not be written back for the others.
	 */
	Mono<AccessToken> acquireLocally(TokenKey key, Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		Copy copy = this.local.peek(key);
		AccessToken newest = (copy != null) ? copy.token : null;
		if (newest != null && newest.getRefreshToken() != null) {
			return newest.isExpired(this.clock.millis()) ? Mono.error(unavailable(key, "refresh")) : Mono.just(newest);
		}
		if (newest == null && key.subject() != null) {
			// a user's token comes from Redis or a save, never from the token endpoint
			// alone
			return Mono.error(unavailable(key, "read"));
		}
		return acquisition.apply(newest).doOnNext((token) -> {
			if (token != newest) {
				this.local.put(key, new Copy(token, Copy.LOCAL, true));
			}
		});
	}

	TokenAcquisitionException unavailable(TokenKey key, String operation) {
		return new TokenAcquisitionException(key.registrationId(), "Redis did not answer, so the " + operation
				+ " of a token of registration '" + key.registrationId()
				+ "' waits: without Redis this instance cannot "
				+ "tell whether another one has already rotated the refresh token, nor tell the others of a change. "
				+ "Try again in " + this.leaseTime + "; check spring.data.redis.* and that Redis is up");
	}

	/** A Redis call failed or did not answer in time; already counted and logged. */
	static final class RedisFailure extends RuntimeException {

		RedisFailure() {
			super(null, null, false, false);
		}

	}

}
