package io.tokenkit.support;

import java.time.Duration;

import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * The limits of every token and vendor API call TokenKit makes: how long to wait for a
 * connection and for an answer, how often and how soon to try again, and how large an
 * answer may be. {@link #DEFAULT} holds the defaults of {@code tokenkit.token-calls.*},
 * so that clients built by hand are bounded too. Internal to TokenKit.
 *
 * @param connectTimeout the longest wait for a connection
 * @param responseTimeout the longest wait for an answer once connected
 * @param maxRetries how many times a failed call may be tried again, zero for never
 * @param retryBackoff the wait before the first retry; each further retry waits twice as
 * long, less a random part of up to a half
 * @param maxAnswerSize the largest answer body read
 */
public record TokenCallPolicy(Duration connectTimeout, Duration responseTimeout, int maxRetries, Duration retryBackoff,
		DataSize maxAnswerSize) {

	/**
	 * Connect within 5 seconds, answer within 10, two retries after 200 ms and 400 ms,
	 * answers up to 256 KB.
	 */
	public static final TokenCallPolicy DEFAULT = new TokenCallPolicy(Duration.ofSeconds(5), Duration.ofSeconds(10), 2,
			Duration.ofMillis(200), DataSize.ofKilobytes(256));

	/** The most doublings of the backoff, so that it cannot overflow. */
	private static final int MAX_DOUBLINGS = 30;

	public TokenCallPolicy {
		Assert.isTrue(isPositive(connectTimeout), "connectTimeout must be positive");
		Assert.isTrue(isPositive(responseTimeout), "responseTimeout must be positive");
		Assert.isTrue(maxRetries >= 0, "maxRetries must not be negative");
		Assert.isTrue(isPositive(retryBackoff), "retryBackoff must be positive");
		Assert.isTrue(
				maxAnswerSize != null && maxAnswerSize.toBytes() > 0 && maxAnswerSize.toBytes() <= Integer.MAX_VALUE,
				"maxAnswerSize must be positive and below 2GB");
	}

	private static boolean isPositive(Duration duration) {
		return duration != null && !duration.isNegative() && !duration.isZero();
	}

	/**
	 * Return the time limit of one attempt: the connect timeout and the response timeout
	 * together.
	 * @return the time limit of one attempt
	 */
	public Duration attemptTimeout() {
		return this.connectTimeout.plus(this.responseTimeout);
	}

	/**
	 * Return the wait before a retry, without its random part: the backoff, doubled for
	 * each retry after the first.
	 * @param retry the retry, {@code 1} for the first
	 * @return the longest wait before that retry
	 */
	public Duration backoff(int retry) {
		Assert.isTrue(retry >= 1, "retry must be at least 1");
		int doublings = Math.min(retry - 1, MAX_DOUBLINGS);
		long millis = this.retryBackoff.toMillis();
		return Duration.ofMillis((millis > (Long.MAX_VALUE >> doublings)) ? Long.MAX_VALUE : millis << doublings);
	}

	/**
	 * Return the longest backoff step, {@code retryBackoff × 2^maxRetries}: a server that
	 * asks to wait longer ({@code Retry-After}) ends the call instead of being waited
	 * for.
	 * @return the longest wait a call waits for
	 */
	public Duration longestBackoff() {
		return backoff(this.maxRetries + 1);
	}

	/**
	 * Return the longest a call bounded by this policy can take: every attempt to its
	 * time limit ({@code maxRetries + 1} times the connect and response timeouts) and the
	 * longest wait before each retry ({@link #longestBackoff()}: the backoff with its
	 * whole random part, or a {@code Retry-After} no longer than it). With
	 * {@link #DEFAULT} that is 46.6 seconds. Saturates at about 292 years instead of
	 * overflowing.
	 * @return the longest call
	 */
	public Duration longestCall() {
		long attempts = saturatedMultiply(saturatedNanos(attemptTimeout()), this.maxRetries + 1L);
		long backoffs = saturatedMultiply(saturatedNanos(longestBackoff()), this.maxRetries);
		return Duration.ofNanos(saturatedAdd(attempts, backoffs));
	}

	/**
	 * Return the largest answer, in bytes.
	 * @return the largest answer size
	 */
	public int maxAnswerBytes() {
		return (int) this.maxAnswerSize.toBytes();
	}

	/**
	 * Describe the largest answer for messages, for example {@code 256KB}.
	 * @return the description
	 */
	public String describeMaxAnswerSize() {
		long bytes = this.maxAnswerSize.toBytes();
		if (bytes % (1024 * 1024) == 0) {
			return (bytes / (1024 * 1024)) + "MB";
		}
		return (bytes % 1024 == 0) ? (bytes / 1024) + "KB" : bytes + "B";
	}

	static long saturatedNanos(Duration duration) {
		try {
			return duration.toNanos();
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	private static long saturatedMultiply(long value, long times) {
		try {
			return Math.multiplyExact(value, times);
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	static long saturatedAdd(long a, long b) {
		try {
			return Math.addExact(a, b);
		}
		catch (ArithmeticException ex) {
			return Long.MAX_VALUE;
		}
	}

	/**
	 * Return a policy with another number of retries.
	 * @param maxRetries how many times a failed call may be tried again
	 * @return the policy
	 */
	public TokenCallPolicy withMaxRetries(int maxRetries) {
		return new TokenCallPolicy(this.connectTimeout, this.responseTimeout, maxRetries, this.retryBackoff,
				this.maxAnswerSize);
	}

	/**
	 * Return a policy with other timeouts.
	 * @param connectTimeout the longest wait for a connection
	 * @param responseTimeout the longest wait for an answer
	 * @return the policy
	 */
	public TokenCallPolicy withTimeouts(Duration connectTimeout, Duration responseTimeout) {
		return new TokenCallPolicy(connectTimeout, responseTimeout, this.maxRetries, this.retryBackoff,
				this.maxAnswerSize);
	}

	/**
	 * Return a policy with another backoff.
	 * @param retryBackoff the wait before the first retry
	 * @return the policy
	 */
	public TokenCallPolicy withRetryBackoff(Duration retryBackoff) {
		return new TokenCallPolicy(this.connectTimeout, this.responseTimeout, this.maxRetries, retryBackoff,
				this.maxAnswerSize);
	}

	/**
	 * Return a policy with another largest answer.
	 * @param maxAnswerSize the largest answer body read
	 * @return the policy
	 */
	public TokenCallPolicy withMaxAnswerSize(DataSize maxAnswerSize) {
		return new TokenCallPolicy(this.connectTimeout, this.responseTimeout, this.maxRetries, this.retryBackoff,
				maxAnswerSize);
	}

}
