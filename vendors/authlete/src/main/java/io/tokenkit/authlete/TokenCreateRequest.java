package io.tokenkit.authlete;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The body of {@code POST /api/{serviceId}/auth/token/create}, sent as JSON (the only
 * form in which Authlete honours {@code properties}). Fields left {@code null} are not
 * sent. Build one with {@link #builder(GrantType)}. Durations are in seconds (components
 * ending in {@code Seconds}), {@code authTime} in seconds since the epoch.
 * {@code toString()} redacts the token values, the subject, the session ID, the JWT
 * access token claims and the values of hidden properties.
 *
 * @param grantType the grant type to emulate (required)
 * @param clientId the numeric client ID; give this or {@code clientIdentifier}
 * @param clientIdentifier the client ID or client ID alias (API v3)
 * @param subject the user; required unless the grant type is
 * {@link GrantType#CLIENT_CREDENTIALS}
 * @param scopes the scopes
 * @param accessTokenDurationSeconds the access token lifetime in seconds, {@code 0} for
 * the service default (wire name {@code accessTokenDuration})
 * @param refreshTokenDurationSeconds the refresh token lifetime in seconds, {@code 0} for
 * the service default (wire name {@code refreshTokenDuration})
 * @param properties extra properties of the token
 * @param clientIdAliasUsed whether to emulate use of the client ID alias
 * @param clientEntityIdUsed whether to emulate use of the client's entity ID
 * @param metadataDocumentUsed whether the client metadata came from a Client ID Metadata
 * Document
 * @param accessToken a caller-chosen access token value
 * @param refreshToken a caller-chosen refresh token value
 * @param accessTokenPersistent whether the access token never expires
 * @param certificateThumbprint the base64url SHA-256 thumbprint of the client certificate
 * to bind the token to
 * @param dpopKeyThumbprint the JWK thumbprint of the DPoP key to bind the token to
 * @param authorizationDetails rich authorization request details
 * @param resources resource indicators (RFC 8707)
 * @param forExternalAttachment whether the token is for an external attachment
 * @param jwtAtClaims JSON object text of extra claims of a JWT access token
 * @param acr the authentication context class reference of the user authentication
 * @param authTimeSeconds when the user authenticated, in seconds since the epoch (wire
 * name {@code authTime})
 * @param sessionId the user's authentication session ID (API v3)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenCreateRequest(GrantType grantType, @Nullable Long clientId, @Nullable String clientIdentifier,
		@Nullable String subject, @Nullable List<String> scopes,
		@JsonProperty("accessTokenDuration") @Nullable Long accessTokenDurationSeconds,
		@JsonProperty("refreshTokenDuration") @Nullable Long refreshTokenDurationSeconds,
		@Nullable List<Property> properties, @Nullable Boolean clientIdAliasUsed, @Nullable Boolean clientEntityIdUsed,
		@Nullable Boolean metadataDocumentUsed, @Nullable String accessToken, @Nullable String refreshToken,
		@Nullable Boolean accessTokenPersistent, @Nullable String certificateThumbprint,
		@Nullable String dpopKeyThumbprint, @Nullable AuthorizationDetails authorizationDetails,
		@Nullable List<String> resources, @Nullable Boolean forExternalAttachment, @Nullable String jwtAtClaims,
		@Nullable String acr, @JsonProperty("authTime") @Nullable Long authTimeSeconds, @Nullable String sessionId) {

	private static final Set<String> REDACTED = Set.of("subject", "accessToken", "refreshToken", "jwtAtClaims",
			"sessionId");

	public TokenCreateRequest {
		Assert.notNull(grantType, "grantType must not be null");
		scopes = (scopes != null) ? List.copyOf(scopes) : null;
		properties = (properties != null) ? List.copyOf(properties) : null;
		resources = (resources != null) ? List.copyOf(resources) : null;
	}

	/**
	 * Return a builder.
	 * @param grantType the grant type to emulate
	 * @return a new builder
	 */
	public static Builder builder(GrantType grantType) {
		return new Builder(grantType);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

	/**
	 * Builds a {@link TokenCreateRequest}.
	 */
	public static final class Builder {

		private final GrantType grantType;

		private @Nullable Long clientId;

		private @Nullable String clientIdentifier;

		private @Nullable String subject;

		private @Nullable List<String> scopes;

		private @Nullable Long accessTokenDurationSeconds;

		private @Nullable Long refreshTokenDurationSeconds;

		private @Nullable List<Property> properties;

		private @Nullable Boolean clientIdAliasUsed;

		private @Nullable Boolean clientEntityIdUsed;

		private @Nullable Boolean metadataDocumentUsed;

		private @Nullable String accessToken;

		private @Nullable String refreshToken;

		private @Nullable Boolean accessTokenPersistent;

		private @Nullable String certificateThumbprint;

		private @Nullable String dpopKeyThumbprint;

		private @Nullable AuthorizationDetails authorizationDetails;

		private @Nullable List<String> resources;

		private @Nullable Boolean forExternalAttachment;

		private @Nullable String jwtAtClaims;

		private @Nullable String acr;

		private @Nullable Long authTimeSeconds;

		private @Nullable String sessionId;

		private Builder(GrantType grantType) {
			Assert.notNull(grantType, "grantType must not be null");
			this.grantType = grantType;
		}

		/**
		 * Set the numeric client ID.
		 * @param clientId the client ID
		 * @return this builder
		 */
		public Builder clientId(long clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * Set the client ID or client ID alias.
		 * @param clientIdentifier the identifier
		 * @return this builder
		 */
		public Builder clientIdentifier(@Nullable String clientIdentifier) {
			this.clientIdentifier = clientIdentifier;
			return this;
		}

		/**
		 * Set the user.
		 * @param subject the subject
		 * @return this builder
		 */
		public Builder subject(@Nullable String subject) {
			this.subject = subject;
			return this;
		}

		/**
		 * Set the scopes.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder scopes(@Nullable List<String> scopes) {
			this.scopes = scopes;
			return this;
		}

		/**
		 * Set the access token lifetime; {@link Duration#ZERO} for the service default.
		 * @param duration the lifetime, sent in whole seconds
		 * @return this builder
		 */
		public Builder accessTokenDuration(@Nullable Duration duration) {
			this.accessTokenDurationSeconds = (duration != null) ? duration.toSeconds() : null;
			return this;
		}

		/**
		 * Set the refresh token lifetime; {@link Duration#ZERO} for the service default.
		 * @param duration the lifetime, sent in whole seconds
		 * @return this builder
		 */
		public Builder refreshTokenDuration(@Nullable Duration duration) {
			this.refreshTokenDurationSeconds = (duration != null) ? duration.toSeconds() : null;
			return this;
		}

		/**
		 * Set the extra properties.
		 * @param properties the properties
		 * @return this builder
		 */
		public Builder properties(@Nullable List<Property> properties) {
			this.properties = properties;
			return this;
		}

		/**
		 * Set whether to emulate use of the client ID alias.
		 * @param used whether it is used
		 * @return this builder
		 */
		public Builder clientIdAliasUsed(@Nullable Boolean used) {
			this.clientIdAliasUsed = used;
			return this;
		}

		/**
		 * Set whether to emulate use of the client's entity ID.
		 * @param used whether it is used
		 * @return this builder
		 */
		public Builder clientEntityIdUsed(@Nullable Boolean used) {
			this.clientEntityIdUsed = used;
			return this;
		}

		/**
		 * Set whether the client metadata came from a Client ID Metadata Document.
		 * @param used whether it did
		 * @return this builder
		 */
		public Builder metadataDocumentUsed(@Nullable Boolean used) {
			this.metadataDocumentUsed = used;
			return this;
		}

		/**
		 * Choose the access token value instead of letting Authlete generate one.
		 * @param accessToken the value
		 * @return this builder
		 */
		public Builder accessToken(@Nullable String accessToken) {
			this.accessToken = accessToken;
			return this;
		}

		/**
		 * Choose the refresh token value instead of letting Authlete generate one.
		 * @param refreshToken the value
		 * @return this builder
		 */
		public Builder refreshToken(@Nullable String refreshToken) {
			this.refreshToken = refreshToken;
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
		 * Bind the token to a client certificate.
		 * @param thumbprint the base64url SHA-256 thumbprint of the certificate
		 * @return this builder
		 */
		public Builder certificateThumbprint(@Nullable String thumbprint) {
			this.certificateThumbprint = thumbprint;
			return this;
		}

		/**
		 * Bind the token to a DPoP key.
		 * @param thumbprint the JWK thumbprint of the key
		 * @return this builder
		 */
		public Builder dpopKeyThumbprint(@Nullable String thumbprint) {
			this.dpopKeyThumbprint = thumbprint;
			return this;
		}

		/**
		 * Set the rich authorization request details.
		 * @param authorizationDetails the details
		 * @return this builder
		 */
		public Builder authorizationDetails(@Nullable AuthorizationDetails authorizationDetails) {
			this.authorizationDetails = authorizationDetails;
			return this;
		}

		/**
		 * Set the resource indicators.
		 * @param resources the resource URIs
		 * @return this builder
		 */
		public Builder resources(@Nullable List<String> resources) {
			this.resources = resources;
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
		 * Set extra claims of a JWT access token.
		 * @param jwtAtClaims JSON object text
		 * @return this builder
		 */
		public Builder jwtAtClaims(@Nullable String jwtAtClaims) {
			this.jwtAtClaims = jwtAtClaims;
			return this;
		}

		/**
		 * Set the authentication context class reference.
		 * @param acr the ACR
		 * @return this builder
		 */
		public Builder acr(@Nullable String acr) {
			this.acr = acr;
			return this;
		}

		/**
		 * Set when the user authenticated.
		 * @param authTime the instant, sent in whole seconds since the epoch
		 * @return this builder
		 */
		public Builder authTime(@Nullable Instant authTime) {
			this.authTimeSeconds = (authTime != null) ? authTime.getEpochSecond() : null;
			return this;
		}

		/**
		 * Set the user's authentication session ID.
		 * @param sessionId the session ID
		 * @return this builder
		 */
		public Builder sessionId(@Nullable String sessionId) {
			this.sessionId = sessionId;
			return this;
		}

		/**
		 * Build the request.
		 * @return the request
		 */
		public TokenCreateRequest build() {
			return new TokenCreateRequest(this.grantType, this.clientId, this.clientIdentifier, this.subject,
					this.scopes, this.accessTokenDurationSeconds, this.refreshTokenDurationSeconds, this.properties,
					this.clientIdAliasUsed, this.clientEntityIdUsed, this.metadataDocumentUsed, this.accessToken,
					this.refreshToken, this.accessTokenPersistent, this.certificateThumbprint, this.dpopKeyThumbprint,
					this.authorizationDetails, this.resources, this.forExternalAttachment, this.jwtAtClaims, this.acr,
					this.authTimeSeconds, this.sessionId);
		}

	}

}
