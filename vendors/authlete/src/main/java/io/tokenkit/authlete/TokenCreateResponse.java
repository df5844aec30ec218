package io.tokenkit.authlete;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/{serviceId}/auth/token/create}. Check {@link #action()}:
 * Authlete may report {@link AuthleteAction#BAD_REQUEST},
 * {@link AuthleteAction#FORBIDDEN} or {@link AuthleteAction#INTERNAL_SERVER_ERROR} here
 * rather than with an HTTP error status. {@code toString()} redacts the token values, the
 * subject, the session ID and the values of hidden properties.
 *
 * @param resultCode the result code
 * @param resultMessage the result message
 * @param action what happened
 * @param accessToken the new access token
 * @param refreshToken the new refresh token
 * @param tokenType the token type, for example {@code Bearer} or {@code DPoP}
 * @param expiresInSeconds the access token lifetime in seconds (wire name
 * {@code expiresIn})
 * @param expiresAtMillis when the access token expires, in ms since the epoch (wire name
 * {@code expiresAt})
 * @param grantType the grant type, {@code null} when absent or unknown to this version
 * @param clientId the numeric client ID
 * @param clientIdentifier the client identifier (API v3)
 * @param subject the user
 * @param scopes the scopes of the access token
 * @param refreshTokenScopes the scopes of the refresh token (API v3)
 * @param properties the extra properties
 * @param jwtAccessToken the access token in JWT form, when the service issues JWT access
 * tokens
 * @param authorizationDetails the rich authorization request details
 * @param forExternalAttachment whether the token is for an external attachment
 * @param tokenId the token ID (API v3)
 * @param sessionId the authentication session ID (API v3)
 */
public record TokenCreateResponse(@Nullable String resultCode, @Nullable String resultMessage,
		@Nullable AuthleteAction action, @Nullable String accessToken, @Nullable String refreshToken,
		@Nullable String tokenType, @JsonProperty("expiresIn") @Nullable Long expiresInSeconds,
		@JsonProperty("expiresAt") @Nullable Long expiresAtMillis, @Nullable GrantType grantType,
		@Nullable Long clientId, @Nullable String clientIdentifier, @Nullable String subject,
		@Nullable List<String> scopes, @Nullable List<String> refreshTokenScopes, @Nullable List<Property> properties,
		@Nullable String jwtAccessToken, @Nullable AuthorizationDetails authorizationDetails,
		@Nullable Boolean forExternalAttachment, @Nullable String tokenId, @Nullable String sessionId) {

	private static final Set<String> REDACTED = Set.of("accessToken", "refreshToken", "jwtAccessToken", "subject",
			"sessionId");

	/**
	 * Return when the access token expires.
	 * @return the instant, or {@code null} when absent
	 */
	public @Nullable Instant expiresAt() {
		return Times.instant(this.expiresAtMillis);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
