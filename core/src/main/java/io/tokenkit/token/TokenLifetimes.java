package io.tokenkit.token;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The lifetimes a {@link TokenSource} gives the {@link AccessToken tokens} it acquires
 * when the answer says too little or too much: {@code defaultLifetime} for an answer
 * without a lifetime, and, when set, {@code max} as the longest lifetime believed.
 * TokenKit's own token sources and typed clients set no {@code max}: their token keeps
 * the server's lifetime (the {@code tokenkit.token-lifetime.max} of an application caps
 * only the token the {@link TokenManager} stores, see
 * {@link TokenRegistration#maxLifetime()}).
 *
 * @param defaultLifetime the lifetime of a token whose answer gives none, at least one
 * second
 * @param max the longest lifetime, at least one second and not shorter than
 * {@code defaultLifetime}, a longer one being cut to it; or {@code null} to keep every
 * lifetime answered
 */
public record TokenLifetimes(Duration defaultLifetime, @Nullable Duration max) {

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	/** The latest expiry an {@link AccessToken} can hold, in epoch milliseconds. */
	private static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE - 1);

	/**
	 * The longest lifetime read from an answer, whatever {@link #max()}: 2<sup>31</sup>-1
	 * seconds (some 68 years), the largest {@code expires_in} TokenKit reads as a
	 * lifetime.
	 */
	public static final Duration LONGEST = Duration.ofSeconds(Integer.MAX_VALUE);

	/** One hour when the answer gives no lifetime; the answered lifetime otherwise. */
	public static final TokenLifetimes DEFAULT = new TokenLifetimes(Duration.ofHours(1));

	public TokenLifetimes {
		Assert.notNull(defaultLifetime, "defaultLifetime must not be null");
		Assert.isTrue(defaultLifetime.compareTo(ONE_SECOND) >= 0, "defaultLifetime must be at least one second");
		if (max != null) {
			Assert.isTrue(max.compareTo(ONE_SECOND) >= 0, "max must be at least one second");
			Assert.isTrue(defaultLifetime.compareTo(max) <= 0, "defaultLifetime must not be longer than max");
		}
	}

	/**
	 * Create lifetimes that keep every lifetime answered and give {@code defaultLifetime}
	 * to a token whose answer gives none.
	 * @param defaultLifetime the lifetime of a token whose answer gives none, at least
	 * one second
	 */
	public TokenLifetimes(Duration defaultLifetime) {
		this(defaultLifetime, null);
	}

	/**
	 * Return the lifetime of a token whose answer gave the given lifetime.
	 * @param answered the lifetime the answer gave, or {@code null} when it gave none
	 * @return the default lifetime when the answer gave none, else the answered lifetime,
	 * cut to {@link #max()} when one is set, and to {@link #LONGEST} at most
	 */
	public Duration lifetime(@Nullable Duration answered) {
		if (answered == null) {
			return this.defaultLifetime;
		}
		Duration longest = (this.max != null && this.max.compareTo(LONGEST) < 0) ? this.max : LONGEST;
		return (answered.compareTo(longest) > 0) ? longest : answered;
	}

	/**
	 * Return when a token acquired by a request sent at {@code sentAt} expires: the
	 * {@link #lifetime(Duration) lifetime} after it, and never later than the {@code exp}
	 * claim of the token when the token is a JWT ({@link JwtExpiry}). An {@code exp} that
	 * has already passed (or passes within a second) on this host's clock while the
	 * answer gave a lifetime of a second or more tells of clocks that disagree, not of an
	 * expired token: the answered lifetime counts from {@code sentAt} on this host's
	 * clock and is kept, so that a refresh answer, whose rotated refresh token the server
	 * has already replaced the old one with, is not thrown away.
	 * @param sentAt when the request for the token was sent
	 * @param answered the lifetime the answer gave, or {@code null} when it gave none
	 * @param tokenValue the token, read as a JWT when it is one
	 * @return the expiry, which may be before or at {@code sentAt} when the token is a
	 * JWT whose {@code exp} has passed; never too late to be held in epoch milliseconds
	 */
	public Instant expiresAt(Instant sentAt, @Nullable Duration answered, String tokenValue) {
		Assert.notNull(sentAt, "sentAt must not be null");
		Assert.notNull(tokenValue, "tokenValue must not be null");
		Instant expiresAt = plus(sentAt, lifetime(answered));
		Instant exp = JwtExpiry.read(tokenValue);
		if (exp == null || !exp.isBefore(expiresAt)) {
			return expiresAt;
		}
		Instant leastLife = sentAt.plusSeconds(1);
		boolean clocksDisagree = answered != null && exp.isBefore(leastLife) && !expiresAt.isBefore(leastLife);
		return clocksDisagree ? expiresAt : exp;
	}

	private static Instant plus(Instant instant, Duration duration) {
		try {
			Instant sum = instant.plus(duration);
			return sum.isAfter(LATEST) ? LATEST : sum;
		}
		catch (DateTimeException | ArithmeticException ex) {
			return LATEST;
		}
	}

}
