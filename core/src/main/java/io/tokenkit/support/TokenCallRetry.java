package io.tokenkit.support;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenApiException;

import org.springframework.util.Assert;

/**
 * Makes a token or vendor API call in attempts, the one place where TokenKit decides what
 * to try again. An attempt that ends with a {@link TokenApiException} is tried again, up
 * to {@link TokenCallPolicy#maxRetries()} times, when:
 * <ul>
 * <li>it got no answer (status {@code 0}): a {@link TokenCallKind#REPEATABLE repeatable}
 * call always, a {@link TokenCallKind#ONCE once-only} call only when the request was
 * certainly not sent ({@link TransportFailure#isNotSent()});</li>
 * <li>a repeatable call was answered {@code 5xx};</li>
 * <li>it was answered {@code 429}, or {@code 503} for a repeatable call, with a
 * {@code Retry-After} no longer than {@link TokenCallPolicy#longestBackoff()} or none; a
 * longer one ends the call at once, so that the caller's cool-down takes over.</li>
 * </ul>
 * Before a retry it waits the exponential backoff with jitter, or the
 * {@code Retry-After}. No other error is tried again. Each attempt is a new subscription
 * to what the call function returns, so each can be its own observation. Internal to
 * TokenKit.
 */
public final class TokenCallRetry {

	private TokenCallRetry() {
	}

	/**
	 * Make a call.
	 * @param <T> the result type
	 * @param policy the limits of the call
	 * @param kind whether the call may be sent twice
	 * @param call makes one attempt; it should {@link TokenCallAttempt#limit(Mono) limit}
	 * its exchange and describe an error without an answer with
	 * {@link TokenCallAttempt#noAnswer(Throwable)}
	 * @return the result of the first attempt that succeeds, or the error of the last
	 */
	public static <T> Mono<T> execute(TokenCallPolicy policy, TokenCallKind kind,
			Function<TokenCallAttempt, Mono<T>> call) {
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(kind, "kind must not be null");
		Assert.notNull(call, "call must not be null");
		return attempt(policy, kind, call, 1);
	}

	private static <T> Mono<T> attempt(TokenCallPolicy policy, TokenCallKind kind,
			Function<TokenCallAttempt, Mono<T>> call, int number) {
		return Mono.defer(() -> {
			TokenCallAttempt attempt = new TokenCallAttempt(number, policy);
			return call.apply(attempt).onErrorResume((error) -> {
				Duration delay = delayBeforeRetry(policy, kind, attempt, error);
				if (delay == null) {
					return Mono.error(error);
				}
				Mono<T> next = attempt(policy, kind, call, number + 1);
				return delay.isZero() ? next : Mono.delay(delay).then(next);
			});
		});
	}

	/**
	 * Return how long to wait before trying a failed attempt again, or {@code null} when
	 * it must not be tried again.
	 */
	static @Nullable Duration delayBeforeRetry(TokenCallPolicy policy, TokenCallKind kind, TokenCallAttempt attempt,
			Throwable error) {
		int retry = attempt.getNumber();
		if (retry > policy.maxRetries() || !(error instanceof TokenApiException api)) {
			return null;
		}
		boolean repeatable = kind == TokenCallKind.REPEATABLE;
		int status = api.getStatusCode();
		if (status == 0) {
			TransportFailure failure = attempt.getFailure();
			boolean retried = failure != null && (repeatable || failure.isNotSent());
			return retried ? jittered(policy.backoff(retry)) : null;
		}
		if (status == 429 || (status == 503 && repeatable)) {
			Duration retryAfter = api.getRetryAfter();
			if (retryAfter == null) {
				return jittered(policy.backoff(retry));
			}
			return (retryAfter.compareTo(policy.longestBackoff()) <= 0) ? retryAfter : null;
		}
		return (repeatable && status >= 500 && status <= 599) ? jittered(policy.backoff(retry)) : null;
	}

	/**
	 * Return a wait between half the backoff and the whole of it, so that clients that
	 * failed together do not come back together.
	 */
	private static Duration jittered(Duration backoff) {
		long millis = backoff.toMillis();
		long half = millis / 2;
		return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(millis - half + 1));
	}

}
