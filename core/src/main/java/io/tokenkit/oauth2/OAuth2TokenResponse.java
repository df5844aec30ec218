package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * A successful token response (RFC 6749 §5.1).
 *
 * @param accessToken {@code access_token}
 * @param tokenType {@code token_type}, {@code Bearer} when absent
 * @param expiresIn {@code expires_in} in seconds, or {@code null} when absent; sent as a
 * number or a string
 * @param refreshToken {@code refresh_token}, or {@code null}
 * @param scope {@code scope}, space-separated, or {@code null}
 * @param idToken {@code id_token} (OpenID Connect), or {@code null}
 * @param additionalParameters every other member of the response
 */
public record OAuth2TokenResponse(String accessToken, String tokenType, @Nullable Long expiresIn,
		@Nullable String refreshToken, @Nullable String scope, @Nullable String idToken,
		Map<String, Object> additionalParameters) {

	/** The name in errors of a token made without a registration id. */
	private static final String UNNAMED = "oauth2";

	/**
	 * Return the granted scopes.
	 * @return the scopes, empty when the response named none
	 */
	public Set<String> scopes() {
		if (!StringUtils.hasText(this.scope)) {
			return Collections.emptySet();
		}
		return new LinkedHashSet<>(Arrays.asList(this.scope.trim().split("\\s+")));
	}

	/**
	 * Turn the response into an {@link AccessToken} issued now, as a response to a
	 * request sent now, with the {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param clock the clock that gives the issue time
	 * @param previous the token being refreshed, whose refresh token and scopes are kept
	 * when the response leaves them out; {@code null} for a first token
	 * @return the token
	 * @throws OAuth2TokenException when the token would live less than a second
	 * @deprecated the clock is read when the answer has arrived, which makes the token
	 * live longer than the server meant; use
	 * {@link #toAccessToken(String, Instant, TokenLifetimes, AccessToken)} with the time
	 * the request was sent
	 */
	@Deprecated
	public AccessToken toAccessToken(Clock clock, @Nullable AccessToken previous) {
		return toAccessToken(UNNAMED, clock.instant(), TokenLifetimes.DEFAULT, previous);
	}

	/**
	 * Turn the response into an {@link AccessToken} issued now, as a response to a
	 * request sent now, with the {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param clock the clock that gives the issue time
	 * @param previousRefreshToken the refresh token to keep when the response carries
	 * none, or {@code null}
	 * @param previousScopes the scopes to keep when the response names none
	 * @return the token
	 * @throws OAuth2TokenException when the token would live less than a second
	 * @deprecated the clock is read when the answer has arrived, which makes the token
	 * live longer than the server meant; use
	 * {@link #toAccessToken(String, Instant, TokenLifetimes, String, Set)} with the time
	 * the request was sent
	 */
	@Deprecated
	public AccessToken toAccessToken(Clock clock, @Nullable String previousRefreshToken, Set<String> previousScopes) {
		return toAccessToken(UNNAMED, clock.instant(), TokenLifetimes.DEFAULT, previousRefreshToken, previousScopes);
	}

	/**
	 * Turn the response into an {@link AccessToken} acquired by a request sent at
	 * {@code sentAt}.
	 * @param registrationId the registration (or client name), named in errors
	 * @param sentAt when the request was sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token without {@code expires_in}, and the
	 * longest one believed
	 * @param previous the token being refreshed, whose refresh token and scopes are kept
	 * when the response leaves them out; {@code null} for a first token
	 * @return the token
	 * @throws OAuth2TokenException when the token would live less than a second, as a JWT
	 * whose {@code exp} is not a second after {@code sentAt}
	 */
	public AccessToken toAccessToken(String registrationId, Instant sentAt, TokenLifetimes lifetimes,
			@Nullable AccessToken previous) {
		return (previous != null)
				? toAccessToken(registrationId, sentAt, lifetimes, previous.getRefreshToken(), previous.getScopes())
				: toAccessToken(registrationId, sentAt, lifetimes, null, Collections.emptySet());
	}

	/**
	 * Turn the response into an {@link AccessToken} acquired by a request sent at
	 * {@code sentAt}: issued then, expiring {@code expires_in} later (the default
	 * lifetime when absent, cut to the longest lifetime when {@code lifetimes} sets one),
	 * and never later than the {@code exp} of an access token that is a JWT.
	 * @param registrationId the registration (or client name), named in errors
	 * @param sentAt when the request was sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token without {@code expires_in}, and the
	 * longest one believed
	 * @param previousRefreshToken the refresh token to keep when the response carries
	 * none, or {@code null}
	 * @param previousScopes the scopes to keep when the response names none
	 * @return the token
	 * @throws OAuth2TokenException when the token would live less than a second, as a JWT
	 * whose {@code exp} is not a second after {@code sentAt}; it carries the answer's
	 * refresh token
	 * ({@link io.tokenkit.token.TokenApiException#rotatedRefreshTokenOf(Throwable)})
	 */
	public AccessToken toAccessToken(String registrationId, Instant sentAt, TokenLifetimes lifetimes,
			@Nullable String previousRefreshToken, Set<String> previousScopes) {
		Assert.notNull(registrationId, "registrationId must not be null");
		Assert.notNull(sentAt, "sentAt must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		Assert.notNull(previousScopes, "previousScopes must not be null");
		Instant expiresAt = lifetimes.expiresAt(sentAt,
				(this.expiresIn != null) ? Duration.ofSeconds(this.expiresIn) : null, this.accessToken);
		if (expiresAt.isBefore(sentAt.plusSeconds(1))) {
			// the server may have rotated to the refresh token of the answer refused
			throw new OAuth2TokenException(registrationId, 200, null, null, null, "Token endpoint of '" + registrationId
					+ "' answered an access token whose JWT exp (" + expiresAt
					+ ") is less than a second after the request was sent (" + sentAt
					+ "); a token must live at least one second: check the clocks of the server and of this host")
				.carryingRefreshToken(this.refreshToken);
		}
		Set<String> scopes = scopes();
		return AccessToken.withValue(this.accessToken)
			.tokenType(this.tokenType)
			.issuedAt(sentAt)
			.expiresAt(expiresAt)
			.scopes(scopes.isEmpty() ? previousScopes : scopes)
			.refreshToken((this.refreshToken != null) ? this.refreshToken : previousRefreshToken)
			.refreshTokenExpiresAt((this.refreshToken != null) ? refreshTokenExpiresAt(sentAt) : null)
			.idToken(this.idToken)
			.build();
	}

	/**
	 * When the refresh token expires, from the {@code refresh_expires_in} that Keycloak
	 * and others send: a positive whole number of seconds; {@code 0} (Keycloak's "no
	 * limit") or anything unreadable means unknown.
	 */
	private @Nullable Instant refreshTokenExpiresAt(Instant sentAt) {
		Object value = this.additionalParameters.get("refresh_expires_in");
		long seconds;
		if (value instanceof Number number && !(value instanceof Double) && !(value instanceof Float)) {
			seconds = number.longValue();
		}
		else if (value instanceof String text && text.strip().matches("[0-9]{1,10}")) {
			seconds = Long.parseLong(text.strip());
		}
		else {
			return null;
		}
		return (seconds > 0 && seconds <= Integer.MAX_VALUE) ? sentAt.plusSeconds(seconds) : null;
	}

	@Override
	public String toString() {
		return "OAuth2TokenResponse[tokenType=" + this.tokenType + ", expiresIn=" + this.expiresIn + ", scope="
				+ this.scope + ", refreshToken=" + ((this.refreshToken != null) ? "[REDACTED]" : "none") + ", idToken="
				+ ((this.idToken != null) ? "[REDACTED]" : "none") + "]";
	}

}
