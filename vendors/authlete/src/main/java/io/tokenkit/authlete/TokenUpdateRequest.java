package io.tokenkit.authlete;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The body of {@code POST /api/{serviceId}/auth/token/update}, sent as JSON. The token is
 * identified by {@code accessToken} or, when the value is unknown,
 * {@code accessTokenHash}; fields left {@code null} are not sent and stay unchanged.
 * Build one with {@link #forAccessToken(String)} or {@link #forAccessTokenHash(String)}.
 * Times are in milliseconds since the epoch (components ending in {@code Millis}).
 * {@code toString()} redacts the token values.
 *
 * @param accessToken the value of the access token to update
 * @param accessTokenHash the hash of the access token to update
 * @param accessTokenExpiresAtMillis the new expiry of the access token, in ms since the
 * epoch (wire name {@code accessTokenExpiresAt})
 * @param refreshTokenExpiresAtMillis the new expiry of the refresh token, in ms since the
 * epoch (wire name {@code refreshTokenExpiresAt})
 * @param scopes the new scopes
 * @param properties the new extra properties
 * @param accessTokenExpiresAtUpdatedOnScopeUpdate whether to recompute the access token
 * expiry when the scopes change
 * @param refreshTokenExpiresAtUpdatedOnScopeUpdate whether to recompute the refresh token
 * expiry when the scopes change
 * @param accessTokenPersistent whether the access token never expires
 * @param accessTokenValueUpdated whether Authlete generates a new access token value
 * (returned in the response)
 * @param certificateThumbprint the thumbprint of the client certificate to bind the token
 * to
 * @param dpopKeyThumbprint the JWK thumbprint of the DPoP key to bind the token to
 * @param authorizationDetails the new rich authorization request details
 * @param forExternalAttachment whether the token is for an external attachment
 * @param tokenId the new token ID (API v3)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenUpdateRequest(@Nullable String accessToken, @Nullable String accessTokenHash,
		@JsonProperty("accessTokenExpiresAt") @Nullable Long accessTokenExpiresAtMillis,
		@JsonProperty("refreshTokenExpiresAt") @Nullable Long refreshTokenExpiresAtMillis,
		@Nullable List<String> scopes, @Nullable List<Property> properties,
		@Nullable Boolean accessTokenExpiresAtUpdatedOnScopeUpdate,
		@Nullable Boolean refreshTokenExpiresAtUpdatedOnScopeUpdate, @Nullable Boolean accessTokenPersistent,
		@Nullable Boolean accessTokenValueUpdated, @Nullable String certificateThumbprint,
		@Nullable String dpopKeyThumbprint, @Nullable AuthorizationDetails authorizationDetails,
		@Nullable Boolean forExternalAttachment, @Nullable String tokenId) {

	private static final Set<String> REDACTED = Set.of("accessToken");

	public TokenUpdateRequest {
		Assert.isTrue(accessToken != null || accessTokenHash != null,
				"accessToken or accessTokenHash must be set to identify the token");
		scopes = (scopes != null) ? List.copyOf(scopes) : null;
		properties = (properties != null) ? List.copyOf(properties) : null;
	}

	/**
	 * Return a builder for the token with this value.
	 * @param accessToken the access token value
	 * @return a new builder
	 */
	public static Builder forAccessToken(String accessToken) {
		Assert.hasText(accessToken, "accessToken must not be empty");
		return new Builder(accessToken, null);
	}

	/**
	 * Return a builder for the token with this hash, as listed by
	 * {@code /auth/token/get/list}.
	 * @param accessTokenHash the access token hash
	 * @return a new builder
	 */
	public static Builder forAccessTokenHash(String accessTokenHash) {
		Assert.hasText(accessTokenHash, "accessTokenHash must not be empty");
		return new Builder(null, accessTokenHash);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

	/**
	 * Builds a {@link TokenUpdateRequest}.
	 */
	public static final class Builder {

		private final @Nullable String accessToken;

		private final @Nullable String accessTokenHash;

		private @Nullable Long accessTokenExpiresAtMillis;

		private @Nullable Long refreshTokenExpiresAtMillis;

		private @Nullable List<String> scopes;

		private @Nullable List<Property> properties;

		private @Nullable Boolean accessTokenExpiresAtUpdatedOnScopeUpdate;

		private @Nullable Boolean refreshTokenExpiresAtUpdatedOnScopeUpdate;

		private @Nullable Boolean accessTokenPersistent;

		private @Nullable Boolean accessTokenValueUpdated;

		private @Nullable String certificateThumbprint;

		private @Nullable String dpopKeyThumbprint;

		private @Nullable AuthorizationDetails authorizationDetails;

		private @Nullable Boolean forExternalAttachment;

		private @Nullable String tokenId;

		private Builder(@Nullable String accessToken, @Nullable String accessTokenHash) {
			this.accessToken = accessToken;
			this.accessTokenHash = accessTokenHash;
		}

		/**
		 * Set when the access token expires.
		 * @param expiresAt the instant, sent in milliseconds since the epoch
		 * @return this builder
		 */
		public Builder accessTokenExpiresAt(@Nullable Instant expiresAt) {
			this.accessTokenExpiresAtMillis = Times.millis(expiresAt);
			return this;
		}

		/**
		 * Set when the refresh token expires.
		 * @param expiresAt the instant, sent in milliseconds since the epoch
		 * @return this builder
		 */
		public Builder refreshTokenExpiresAt(@Nullable Instant expiresAt) {
			this.refreshTokenExpiresAtMillis = Times.millis(expiresAt);
			return this;
		}

		/**
		 * Replace the scopes.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder scopes(@Nullable List<String> scopes) {
			this.scopes = scopes;
			return this;
		}

		/**
		 * Replace the extra properties.
		 * @param properties the properties
		 * @return this builder
		 */
		public Builder properties(@Nullable List<Property> properties) {
			this.properties = properties;
			return this;
		}

		/**
		 * Set whether to recompute the access token expiry when the scopes change.
		 * @param updated whether to recompute it
		 * @return this builder
		 */
		public Builder accessTokenExpiresAtUpdatedOnScopeUpdate(@Nullable Boolean updated) {
			this.accessTokenExpiresAtUpdatedOnScopeUpdate = updated;
			return this;
		}

		/**
		 * Set whether to recompute the refresh token expiry when the scopes change.
		 * @param updated whether to recompute it
		 * @return this builder
		 */
		public Builder refreshTokenExpiresAtUpdatedOnScopeUpdate(@Nullable Boolean updated) {
			this.refreshTokenExpiresAtUpdatedOnScopeUpdate = updated;
			return this;
		}

		/**
		 * Set whether the access token never expires.
		 * @param persistent whether it is persistent
		 * @return this builder
		 */
		public Builder accessTokenPersistent(@Nullable Boolean persistent) {
			this.accessTokenPersistent = persistent;
			return this;
		}

		/**
		 * Set whether Authlete generates a new access token value.
		 * @param updated whether to generate one
		 * @return this builder
		 */
		public Builder accessTokenValueUpdated(@Nullable Boolean updated) {
			this.accessTokenValueUpdated = updated;
			return this;
		}

		/**
		 * Bind the token to a client certificate.
		 * @param thumbprint the certificate thumbprint
		 * @return this builder
		 */
		public Builder certificateThumbprint(@Nullable String thumbprint) {
			this.certificateThumbprint = thumbprint;
			return this;
		}

		/**
		 * Bind the token to a DPoP key.
		 * @param thumbprint the JWK thumbprint
		 * @return this builder
		 */
		public Builder dpopKeyThumbprint(@Nullable String thumbprint) {
			this.dpopKeyThumbprint = thumbprint;
			return this;
		}

		/**
		 * Replace the rich authorization request details.
		 * @param authorizationDetails the details
		 * @return this builder
		 */
		public Builder authorizationDetails(@Nullable AuthorizationDetails authorizationDetails) {
			this.authorizationDetails = authorizationDetails;
			return this;
		}

		/**
		 * Set whether the token is for an external attachment.
		 * @param forExternalAttachment whether it is
		 * @return this builder
		 */
		public Builder forExternalAttachment(@Nullable Boolean forExternalAttachment) {
			this.forExternalAttachment = forExternalAttachment;
			return this;
		}

		/**
		 * Set the token ID.
		 * @param tokenId the token ID
		 * @return this builder
		 */
		public Builder tokenId(@Nullable String tokenId) {
			this.tokenId = tokenId;
			return this;
		}

		/**
		 * Build the request.
		 * @return the request
		 */
		public TokenUpdateRequest build() {
			return new TokenUpdateRequest(this.accessToken, this.accessTokenHash, this.accessTokenExpiresAtMillis,
					this.refreshTokenExpiresAtMillis, this.scopes, this.properties,
					this.accessTokenExpiresAtUpdatedOnScopeUpdate, this.refreshTokenExpiresAtUpdatedOnScopeUpdate,
					this.accessTokenPersistent, this.accessTokenValueUpdated, this.certificateThumbprint,
					this.dpopKeyThumbprint, this.authorizationDetails, this.forExternalAttachment, this.tokenId);
		}

	}

}
