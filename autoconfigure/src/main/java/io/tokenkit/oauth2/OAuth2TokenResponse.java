package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;

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
	 * Turn the response into an {@link AccessToken} issued now.
	 * @param clock the clock that gives the issue time
	 * @param previous the token being refreshed, whose refresh token and scopes are kept
	 * when the response leaves them out; {@code null} for a first token
	 * @return the token
	 */
	public AccessToken toAccessToken(Clock clock, @Nullable AccessToken previous) {
		return (previous != null) ? toAccessToken(clock, previous.getRefreshToken(), previous.getScopes())
				: toAccessToken(clock, null, Collections.emptySet());
	}

	/**
	 * Turn the response into an {@link AccessToken} issued now.
	 * @param clock the clock that gives the issue time
	 * @param previousRefreshToken the refresh token to keep when the response carries
	 * none, or {@code null}
	 * @param previousScopes the scopes to keep when the response names none
	 * @return the token
	 */
	public AccessToken toAccessToken(Clock clock, @Nullable String previousRefreshToken, Set<String> previousScopes) {
		Instant now = clock.instant();
		Set<String> scopes = scopes();
		return AccessToken.withValue(this.accessToken)
			.tokenType(this.tokenType)
			.issuedAt(now)
			.expiresAt((this.expiresIn != null) ? now.plusSeconds(this.expiresIn) : null)
			.scopes(scopes.isEmpty() ? previousScopes : scopes)
			.refreshToken((this.refreshToken != null) ? this.refreshToken : previousRefreshToken)
			.idToken(this.idToken)
			.build();
	}

	@Override
	public String toString() {
		return "OAuth2TokenResponse[tokenType=" + this.tokenType + ", expiresIn=" + this.expiresIn + ", scope="
				+ this.scope + ", refreshToken=" + ((this.refreshToken != null) ? "[REDACTED]" : "none") + ", idToken="
				+ ((this.idToken != null) ? "[REDACTED]" : "none") + "]";
	}

}
