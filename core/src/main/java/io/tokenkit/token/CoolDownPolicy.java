package io.tokenkit.token;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * How long the {@link TokenManager} stops calling a token endpoint for a key after a
 * failed acquisition, or after the replay of a request with a replacement token was
 * rejected too: {@code initial} after the first failure, doubling with each further one
 * up to {@code max}. A server's {@code Retry-After} replaces the computed time, capped at
 * {@code max} too.
 *
 * @param initial the cool-down after the first failure
 * @param max the longest cool-down
 */
public record CoolDownPolicy(Duration initial, Duration max) {

	/** One second, doubling up to one minute. */
	public static final CoolDownPolicy DEFAULT = new CoolDownPolicy(Duration.ofSeconds(1), Duration.ofMinutes(1));

	public CoolDownPolicy {
		Assert.isTrue(initial != null && initial.toMillis() > 0, "initial must be positive");
		Assert.isTrue(max != null && max.compareTo(initial) >= 0, "max must not be shorter than initial");
	}

	/**
	 * Return the cool-down after a number of failures in a row.
	 * @param failures the failures in a row, at least one
	 * @return the cool-down in milliseconds
	 */
	public long millisAfter(int failures) {
		long initialMillis = this.initial.toMillis();
		long maxMillis = this.max.toMillis();
		int doublings = Math.min(Math.max(failures, 1) - 1, 62);
		if (initialMillis > (maxMillis >> doublings)) {
			return maxMillis;
		}
		return Math.min(initialMillis << doublings, maxMillis);
	}

	/**
	 * Return the cool-down that a server's {@code Retry-After} asks for: at least
	 * {@link #initial()}, at most {@link #max()}.
	 * @param retryAfter the time the server asked to wait
	 * @return the cool-down in milliseconds
	 */
	public long millisFor(Duration retryAfter) {
		if (retryAfter.compareTo(this.max) >= 0) {
			return this.max.toMillis();
		}
		return Math.max(retryAfter.toMillis(), this.initial.toMillis());
	}

}
