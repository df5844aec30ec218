package io.tokenkit.authlete;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

/**
 * One access token in the answer of {@code GET /api/{serviceId}/auth/token/get/list}.
 * Token values are never listed, only their hashes. Times are in milliseconds since the
 * epoch (components ending in {@code Millis}; {@link #accessTokenExpiresAt()} and friends
 * give them as {@link Instant}s). {@code toString()} redacts the subject.
 *
 * @param accessTokenHash the hash of the access token, usable as an identifier to delete,
 * update or revoke
 * @param refreshTokenHash the hash of the refresh token
 * @param clientId the numeric client ID
 * @param subject the user the token was issued to
 * @param grantType the grant type, {@code null} when absent or unknown to this version
 * @param scopes the scopes of the access token
 * @param refreshTokenScopes the scopes of the refresh token
 * @param accessTokenExpiresAtMillis when the access token expires, in ms since the epoch
 * (wire name {@code accessTokenExpiresAt})
 * @param refreshTokenExpiresAtMillis when the refresh token expires, in ms since the
 * epoch (wire name {@code refreshTokenExpiresAt})
 * @param createdAtMillis when the token was created, in ms since the epoch (wire name
 * {@code createdAt})
 * @param lastRefreshedAtMillis when the token was last refreshed, in ms since the epoch,
 * {@code 0} if never (wire name {@code lastRefreshedAt})
 * @param properties the extra properties
 */
public record AuthleteAccessToken(@Nullable String accessTokenHash, @Nullable String refreshTokenHash,
		@Nullable Long clientId, @Nullable String subject, @Nullable GrantType grantType, @Nullable List<String> scopes,
		@Nullable List<String> refreshTokenScopes,
		@JsonProperty("accessTokenExpiresAt") @Nullable Long accessTokenExpiresAtMillis,
		@JsonProperty("refreshTokenExpiresAt") @Nullable Long refreshTokenExpiresAtMillis,
		@JsonProperty("createdAt") @Nullable Long createdAtMillis,
		@JsonProperty("lastRefreshedAt") @Nullable Long lastRefreshedAtMillis, @Nullable List<Property> properties) {

	private static final Set<String> REDACTED = Set.of("subject");

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

	/**
	 * Return when the token was created.
	 * @return the instant, or {@code null} when absent
	 */
	public @Nullable Instant createdAt() {
		return Times.instant(this.createdAtMillis);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
