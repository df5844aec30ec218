package io.tokenkit.token;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A refresh that the server answered with success and TokenKit refused (a token that
 * would not live a second, no access token), while the answer carried a new refresh token
 * ({@link TokenApiException#rotatedRefreshTokenOf(Throwable)}): a server that rotates
 * refresh tokens has already put it in place of the one sent, so that the old one is dead
 * and only the new one refreshes. The {@link TokenManager} stores the token refreshed
 * with the new refresh token in place of the old one ({@link #carrying()}), under the
 * store's coordination, and only then fails its callers with the refusal.
 */
final class RotatedRefusal {

	/** The access token value of a carrying token made when no token was refreshed. */
	private static final String NO_ACCESS_TOKEN = "none";

	private final Throwable error;

	private final AccessToken carrying;

	private RotatedRefusal(Throwable error, AccessToken carrying) {
		this.error = error;
		this.carrying = carrying;
	}

	/**
	 * Return the refusal that {@code error} reports, when it carries a refresh token
	 * other than the one sent.
	 * @param error the error of the acquisition
	 * @param refreshed the token whose refresh token was sent, or {@code null} when the
	 * source obtained a token from a credential of its own (an application's configured
	 * refresh token)
	 * @param origin what the tokens the source obtains record as their origin
	 * ({@link TokenSource#originOf(TokenKey)}), or {@code null}
	 * @param now the time now, in epoch milliseconds
	 * @return the refusal, or {@code null} when {@code error} carries no new refresh
	 * token
	 */
	static @Nullable RotatedRefusal of(Throwable error, @Nullable AccessToken refreshed, @Nullable String origin,
			long now) {
		String rotated = TokenApiException.rotatedRefreshTokenOf(error);
		if (rotated == null || (refreshed != null && rotated.equals(refreshed.getRefreshToken()))) {
			return null;
		}
		return new RotatedRefusal(error, carrying(refreshed, rotated, origin, now));
	}

	/**
	 * The token to store: the one refreshed, expiring when it did (already expired, as a
	 * rule), with the new refresh token; or, when the refresh token sent was not one of a
	 * stored token (the source obtained a token), a token that is expired, holds only the
	 * new refresh token and records the source's origin: no access token of another
	 * chain, or of a token removed meanwhile, is ever stored again.
	 */
	private static AccessToken carrying(@Nullable AccessToken refreshed, String rotated, @Nullable String origin,
			long now) {
		if (refreshed == null || refreshed.getRefreshToken() == null) {
			Instant at = Instant.ofEpochMilli(now);
			return AccessToken.withValue(NO_ACCESS_TOKEN)
				.issuedAt(at)
				.expiresAt(at)
				.refreshToken(rotated)
				.origin(origin)
				.build();
		}
		AccessToken carrying = refreshed.mutate().refreshToken(rotated).refreshTokenExpiresAt(null).build();
		// a token that never expires would never be refreshed with it
		return (refreshed.getExpiresAt() != null) ? carrying : carrying.expired();
	}

	/**
	 * Return the token to store in place of the one refreshed.
	 * @return the token that carries the new refresh token
	 */
	AccessToken carrying() {
		return this.carrying;
	}

	/**
	 * Return the refusal for the callers, once {@link #carrying()} is stored (or another
	 * token won): it carries the refresh token no more, which the store now holds.
	 * @return the error of the acquisition
	 */
	Throwable refusal() {
		forget();
		return this.error;
	}

	/**
	 * Stop carrying the refresh token in the error and its causes.
	 */
	void forget() {
		TokenApiException.forgetRotatedRefreshTokens(this.error);
	}

	@Override
	public String toString() {
		return "RotatedRefusal[error=" + this.error.getClass().getSimpleName() + ", carrying=" + this.carrying + "]";
	}

}
