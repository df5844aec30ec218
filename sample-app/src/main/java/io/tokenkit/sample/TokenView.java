package io.tokenkit.sample;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;

/**
 * What the sample shows of a token: a masked value, its expiry and scopes. Never the
 * token itself.
 *
 * @param masked the first four characters, an ellipsis and the length, e.g.
 * {@code eyJh… (812 chars)}
 * @param expiresAt the expiry (ISO-8601), or {@code null} when it never expires
 * @param secondsToExpiry the seconds left, or {@code null} when it never expires
 * @param scopes the granted scopes
 * @param hasRefreshToken whether a refresh token came with it
 */
public record TokenView(String masked, @Nullable String expiresAt, @Nullable Long secondsToExpiry, Set<String> scopes,
		boolean hasRefreshToken) {

	/**
	 * Describe a token.
	 * @param token the token
	 * @param clock the clock that gives the time to expiry
	 * @return the view
	 */
	public static TokenView of(AccessToken token, Clock clock) {
		return new TokenView(mask(token.getTokenValue()),
				(token.getExpiresAt() != null) ? token.getExpiresAt().toString() : null,
				(token.getExpiresAt() != null)
						? Math.max(0, Duration.between(clock.instant(), token.getExpiresAt()).toSeconds()) : null,
				token.getScopes(), token.getRefreshToken() != null);
	}

	/**
	 * Mask a secret value: its first four characters (never more than a quarter of it),
	 * an ellipsis and its length.
	 * @param value the value
	 * @return the masked value
	 */
	public static String mask(String value) {
		int shown = Math.min(4, value.length() / 4);
		return value.substring(0, shown) + "\u2026 (" + value.length() + " chars)";
	}

}
