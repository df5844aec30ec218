package io.tokenkit.authlete;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/{serviceId}/auth/token/update}. Check {@link #action()}:
 * Authlete may report {@link AuthleteAction#NOT_FOUND} (no such token),
 * {@link AuthleteAction#BAD_REQUEST}, {@link AuthleteAction#FORBIDDEN} or
 * {@link AuthleteAction#INTERNAL_SERVER_ERROR} here rather than with an HTTP error
 * status. {@code toString()} redacts the token value.
 *
 * @param resultCode the result code
 * @param resultMessage the result message
 * @param action what happened
 * @param accessToken the access token (a new value when {@code accessTokenValueUpdated}
 * was requested)
 * @param tokenType the token type
 * @param accessTokenExpiresAtMillis when the access token expires, in ms since the epoch
 * (wire name {@code accessTokenExpiresAt})
 * @param refreshTokenExpiresAtMillis when the refresh token expires, in ms since the
 * epoch (wire name {@code refreshTokenExpiresAt})
 * @param scopes the scopes
 * @param properties the extra properties
 * @param authorizationDetails the rich authorization request details
 * @param forExternalAttachment whether the token is for an external attachment
 * @param tokenId the token ID (API v3)
 */
public record TokenUpdateResponse(@Nullable String resultCode, @Nullable String resultMessage,
		@Nullable AuthleteAction action, @Nullable String accessToken, @Nullable String tokenType,
		@JsonProperty("accessTokenExpiresAt") @Nullable Long accessTokenExpiresAtMillis,
		@JsonProperty("refreshTokenExpiresAt") @Nullable Long refreshTokenExpiresAtMillis,
		@Nullable List<String> scopes, @Nullable List<Property> properties,
		@Nullable AuthorizationDetails authorizationDetails, @Nullable Boolean forExternalAttachment,
		@Nullable String tokenId) {

	private static final Set<String> REDACTED = Set.of("accessToken");

	/**
	 * Return when the access token expires.
	 * @return the instant, or {@code null} when absent
	 */
	public @Nullable Instant accessTokenExpiresAt() {
		return Times.instant(this.accessTokenExpiresAtMillis);
	}

	/**
	 * Return when the refresh token expires.
	 * @return the instant, or {@code null} when absent
	 */
	public @Nullable Instant refreshTokenExpiresAt() {
		return Times.instant(this.refreshTokenExpiresAtMillis);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
