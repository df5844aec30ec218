package io.tokenkit.support;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * One attempt of a token or vendor API call made by a {@link TokenCallRetry}: bounds the
 * exchange in time and remembers how it ended without an answer, so that the retry can
 * tell a request that was certainly not sent. Internal to TokenKit.
 */
public final class TokenCallAttempt {

	private final int number;

	private final TokenCallPolicy policy;

	private volatile @Nullable TransportFailure failure;

	TokenCallAttempt(int number, TokenCallPolicy policy) {
		this.number = number;
		this.policy = policy;
	}

	/**
	 * Return the number of this attempt, {@code 1} for the first.
	 * @return the attempt number
	 */
	public int getNumber() {
		return this.number;
	}

	/**
	 * Return the time limit of this attempt.
	 * @return the connect and response timeouts together
	 */
	public Duration getTimeout() {
		return this.policy.attemptTimeout();
	}

	/**
	 * Bound an exchange by the time limit of the attempt; a safety net for web clients
	 * whose connector has no timeouts of its own.
	 * @param <T> the result type
	 * @param exchange the exchange
	 * @return the exchange, failing with a {@link TimeoutException} when it takes too
	 * long
	 */
	public <T> Mono<T> limit(Mono<T> exchange) {
		Assert.notNull(exchange, "exchange must not be null");
		return exchange.timeout(this.policy.attemptTimeout());
	}

	/**
	 * Return whether an error means that the call got no answer: a
	 * {@link WebClientException} (connection failures, timeouts of the connector) or the
	 * {@link TimeoutException} of {@link #limit(Mono)}.
	 * @param error the error
	 * @return whether the call got no answer
	 */
	public static boolean isNoAnswer(Throwable error) {
		return error instanceof WebClientException || error instanceof TimeoutException;
	}

	/**
	 * Describe an error that left the call without an answer, and remember it for the
	 * retry.
	 * @param error the error, see {@link #isNoAnswer(Throwable)}
	 * @return the description
	 */
	public TransportFailure noAnswer(Throwable error) {
		Assert.notNull(error, "error must not be null");
		TransportFailure result = TransportFailure.of(error);
		this.failure = result;
		return result;
	}

	@Nullable TransportFailure getFailure() {
		return this.failure;
	}

	@Override
	public String toString() {
		return "TokenCallAttempt[" + this.number + "]";
	}

}
