package io.tokenkit.registration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenRegistration;

import org.springframework.util.Assert;

/**
 * What a {@link RegistrationTokenSourceFactory} is given to create the token source of
 * one registration: its id, grant type and settings, independent of where the
 * registration was configured. Errors about a setting name the property it came from
 * through {@link #property(String)}, so that a failure analysis points at the right line
 * of the application's configuration.
 * <p>
 * Instances are immutable; {@link #toString()} never shows the client secret, the token
 * or the refresh token.
 */
public final class RegistrationDefinition {

	/** The default time from a client assertion's {@code iat} to its {@code exp}. */
	public static final Duration DEFAULT_ASSERTION_LIFETIME = Duration.ofSeconds(60);

	private final String id;

	private final @Nullable String grantType;

	private final String propertyPrefix;

	private final @Nullable String tokenUri;

	private final @Nullable String issuerUri;

	private final @Nullable String clientId;

	private final @Nullable String clientSecret;

	private final ClientAuthenticationMethod clientAuthentication;

	private final List<String> scopes;

	private final Map<String, String> additionalParameters;

	private final @Nullable String token;

	private final @Nullable String refreshToken;

	private final Duration refreshSkew;

	private final TokenAuthorizer authorizer;

	private final TokenKeyResolver keyResolver;

	private final ClientKeySettings clientKey;

	private final RevocationSettings revocation;

	private final @Nullable String assertionAudience;

	private final Duration assertionLifetime;

	private final boolean fapi;

	private final boolean dpop;

	private final SubjectGrantSettings subjectGrant;

	private final Map<String, String> properties;

	private RegistrationDefinition(Builder builder) {
		this.id = builder.id;
		this.grantType = builder.grantType;
		this.propertyPrefix = builder.propertyPrefix;
		this.tokenUri = builder.tokenUri;
		this.issuerUri = builder.issuerUri;
		this.clientId = builder.clientId;
		this.clientSecret = builder.clientSecret;
		this.clientAuthentication = builder.clientAuthentication;
		this.scopes = List.copyOf(builder.scopes);
		this.additionalParameters = Collections.unmodifiableMap(new LinkedHashMap<>(builder.additionalParameters));
		this.token = builder.token;
		this.refreshToken = builder.refreshToken;
		this.refreshSkew = builder.refreshSkew;
		this.authorizer = builder.authorizer;
		this.keyResolver = builder.keyResolver;
		this.clientKey = builder.clientKey;
		this.revocation = builder.revocation;
		this.assertionAudience = builder.assertionAudience;
		this.assertionLifetime = builder.assertionLifetime;
		this.fapi = builder.fapi;
		this.dpop = builder.dpop;
		this.subjectGrant = builder.subjectGrant;
		this.properties = Map.copyOf(builder.properties);
	}

	/**
	 * Start a definition of the registration with the given id.
	 * @param id the registration id
	 * @param propertyPrefix the prefix of the properties it was configured with, for
	 * example {@code tokenkit.registrations.orders.}; {@link #property(String)} appends a
	 * key to it
	 * @return a builder
	 */
	public static Builder withId(String id, String propertyPrefix) {
		return new Builder(id, propertyPrefix);
	}

	/**
	 * Return whether two grant type names are the same: case is ignored, and {@code -}
	 * and {@code _} are alike, so that {@code client_credentials},
	 * {@code client-credentials} and {@code CLIENT_CREDENTIALS} match.
	 * @param first a grant type name
	 * @param second another grant type name
	 * @return whether they name the same grant type
	 */
	public static boolean sameGrantType(@Nullable String first, @Nullable String second) {
		return first != null && second != null && canonical(first).equals(canonical(second));
	}

	private static String canonical(String grantType) {
		return grantType.strip().replace('-', '_').toLowerCase(Locale.ROOT);
	}

	/**
	 * Return the registration id.
	 * @return the id
	 */
	public String getId() {
		return this.id;
	}

	/**
	 * Return the grant type as configured.
	 * @return the grant type, or {@code null} when none was configured
	 */
	public @Nullable String getGrantType() {
		return this.grantType;
	}

	/**
	 * Return the full name of the property that configured a setting of this
	 * registration: the one {@link Builder#property(String, String) named} for the
	 * setting, else the property prefix followed by the key.
	 * @param key the setting, for example {@code token-uri}
	 * @return the property name, for example
	 * {@code tokenkit.registrations.orders.token-uri}
	 */
	public String property(String key) {
		String property = this.properties.get(key);
		return (property != null) ? property : this.propertyPrefix + key;
	}

	/**
	 * Return the token endpoint, unchecked.
	 * @return the token URI as configured, or {@code null}
	 */
	public @Nullable String getTokenUri() {
		return this.tokenUri;
	}

	/**
	 * Return the issuer identifier of the authorization server, unchecked: its metadata
	 * gives the token endpoint when no token URI is set.
	 * @return the issuer URI as configured, or {@code null}
	 */
	public @Nullable String getIssuerUri() {
		return this.issuerUri;
	}

	/**
	 * Return the client id at the token endpoint.
	 * @return the client id, or {@code null}
	 */
	public @Nullable String getClientId() {
		return this.clientId;
	}

	/**
	 * Return the client secret at the token endpoint. This is a secret: never log it.
	 * @return the client secret, or {@code null}
	 */
	public @Nullable String getClientSecret() {
		return this.clientSecret;
	}

	/**
	 * Return how the client authenticates at the token endpoint.
	 * @return the client authentication method
	 */
	public ClientAuthenticationMethod getClientAuthentication() {
		return this.clientAuthentication;
	}

	/**
	 * Return the scopes to request.
	 * @return the scopes, possibly empty
	 */
	public List<String> getScopes() {
		return this.scopes;
	}

	/**
	 * Return the extra form parameters of each token request.
	 * @return the parameters, possibly empty
	 */
	public Map<String, String> getAdditionalParameters() {
		return this.additionalParameters;
	}

	/**
	 * Return the fixed token of a registration that has one. This is a secret: never log
	 * it.
	 * @return the token, or {@code null}
	 */
	public @Nullable String getToken() {
		return this.token;
	}

	/**
	 * Return the refresh token of an application token. This is a secret: never log it.
	 * @return the refresh token, or {@code null}
	 */
	public @Nullable String getRefreshToken() {
		return this.refreshToken;
	}

	/**
	 * Return how long before expiry a token is refreshed in the background.
	 * @return the refresh skew
	 */
	public Duration getRefreshSkew() {
		return this.refreshSkew;
	}

	/**
	 * Return what sets the registration's token on each request.
	 * @return the authorizer, {@link TokenAuthorizer#bearer()} unless configured
	 * otherwise
	 */
	public TokenAuthorizer getAuthorizer() {
		return this.authorizer;
	}

	/**
	 * Return what finds the key of the token each request carries.
	 * @return the key resolver, {@link TokenKeyResolver#attributes()} unless configured
	 * otherwise
	 */
	public TokenKeyResolver getKeyResolver() {
		return this.keyResolver;
	}

	/**
	 * Return where the client key comes from.
	 * @return the key settings, {@link ClientKeySettings#NONE} when there is no key
	 */
	public ClientKeySettings getClientKey() {
		return this.clientKey;
	}

	/**
	 * Return how the registration revokes the per-user tokens removed from the manager.
	 * @return the revocation settings, {@link RevocationSettings#DEFAULT} when none are
	 * configured
	 */
	public RevocationSettings getRevocation() {
		return this.revocation;
	}

	/**
	 * Return the configured {@code aud} of client assertions.
	 * @return the audience, or {@code null} for the default
	 */
	public @Nullable String getAssertionAudience() {
		return this.assertionAudience;
	}

	/**
	 * Return the time from a client assertion's {@code iat} to its {@code exp}.
	 * @return the lifetime
	 */
	public Duration getAssertionLifetime() {
		return this.assertionLifetime;
	}

	/**
	 * Return whether the registration follows the FAPI 2.0 Security Profile.
	 * @return whether FAPI's rules apply
	 */
	public boolean isFapi() {
		return this.fapi;
	}

	/**
	 * Return whether the registration's token calls and requests carry DPoP proofs (RFC
	 * 9449).
	 * @return whether DPoP is on
	 */
	public boolean isDpop() {
		return this.dpop;
	}

	/**
	 * Return what a token-exchange or JWT-bearer registration sends beside its subject
	 * token.
	 * @return the settings, {@link SubjectGrantSettings#NONE} unless configured
	 */
	public SubjectGrantSettings getSubjectGrant() {
		return this.subjectGrant;
	}

	/**
	 * Return a setting that must have text, or stop start-up with a failure analysis
	 * naming its property.
	 * @param key the setting, for example {@code client-id}
	 * @param value its value
	 * @param when when it is required, for example
	 * {@code "for grant-type client_credentials"}
	 * @return the value
	 * @throws InvalidTokenKitPropertyException if the value has no text
	 */
	public String require(String key, @Nullable String value, String when) {
		return InvalidTokenKitPropertyException.require(property(key), value, when);
	}

	@Override
	public String toString() {
		return "RegistrationDefinition[id=" + this.id + ", grantType=" + this.grantType + ", tokenUri="
				+ BaseUrls.describe(this.tokenUri)
				+ ((this.issuerUri != null) ? ", issuerUri=" + BaseUrls.describe(this.issuerUri) : "") + ", clientId="
				+ this.clientId + ", clientSecret=" + ((this.clientSecret != null) ? "[REDACTED]" : "none")
				+ ", clientAuthentication=" + this.clientAuthentication.registeredName() + ", scopes=" + this.scopes
				+ "]";
	}

	/**
	 * Builds a {@link RegistrationDefinition}.
	 */
	public static final class Builder {

		private final String id;

		private final String propertyPrefix;

		private @Nullable String grantType;

		private @Nullable String tokenUri;

		private @Nullable String issuerUri;

		private @Nullable String clientId;

		private @Nullable String clientSecret;

		private ClientAuthenticationMethod clientAuthentication = ClientAuthenticationMethod.BASIC;

		private List<String> scopes = new ArrayList<>();

		private Map<String, String> additionalParameters = new LinkedHashMap<>();

		private @Nullable String token;

		private @Nullable String refreshToken;

		private Duration refreshSkew = TokenRegistration.DEFAULT_REFRESH_SKEW;

		private TokenAuthorizer authorizer = TokenAuthorizer.bearer();

		private TokenKeyResolver keyResolver = TokenKeyResolver.attributes();

		private ClientKeySettings clientKey = ClientKeySettings.NONE;

		private RevocationSettings revocation = RevocationSettings.DEFAULT;

		private @Nullable String assertionAudience;

		private Duration assertionLifetime = DEFAULT_ASSERTION_LIFETIME;

		private boolean fapi;

		private boolean dpop;

		private SubjectGrantSettings subjectGrant = SubjectGrantSettings.NONE;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private Builder(String id, String propertyPrefix) {
			Assert.hasText(id, "id must not be empty");
			Assert.notNull(propertyPrefix, "propertyPrefix must not be null");
			this.id = id;
			this.propertyPrefix = propertyPrefix;
		}

		/**
		 * Set the grant type.
		 * @param grantType the grant type, or {@code null}
		 * @return this builder
		 */
		public Builder grantType(@Nullable String grantType) {
			this.grantType = grantType;
			return this;
		}

		/**
		 * Set the token endpoint.
		 * @param tokenUri the token URI, or {@code null}
		 * @return this builder
		 */
		public Builder tokenUri(@Nullable String tokenUri) {
			this.tokenUri = tokenUri;
			return this;
		}

		/**
		 * Set the issuer identifier of the authorization server.
		 * @param issuerUri the issuer URI, or {@code null}
		 * @return this builder
		 */
		public Builder issuerUri(@Nullable String issuerUri) {
			this.issuerUri = issuerUri;
			return this;
		}

		/**
		 * Set the client id.
		 * @param clientId the client id, or {@code null}
		 * @return this builder
		 */
		public Builder clientId(@Nullable String clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * Set the client secret.
		 * @param clientSecret the client secret, or {@code null}
		 * @return this builder
		 */
		public Builder clientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
			return this;
		}

		/**
		 * Set how the client authenticates.
		 * @param clientAuthentication the method
		 * @return this builder
		 */
		public Builder clientAuthentication(ClientAuthenticationMethod clientAuthentication) {
			Assert.notNull(clientAuthentication, "clientAuthentication must not be null");
			this.clientAuthentication = clientAuthentication;
			return this;
		}

		/**
		 * Set the scopes to request.
		 * @param scopes the scopes
		 * @return this builder
		 */
		public Builder scopes(List<String> scopes) {
			Assert.notNull(scopes, "scopes must not be null");
			this.scopes = scopes;
			return this;
		}

		/**
		 * Set the extra form parameters of each token request.
		 * @param additionalParameters the parameters
		 * @return this builder
		 */
		public Builder additionalParameters(Map<String, String> additionalParameters) {
			Assert.notNull(additionalParameters, "additionalParameters must not be null");
			this.additionalParameters = additionalParameters;
			return this;
		}

		/**
		 * Set the fixed token.
		 * @param token the token, or {@code null}
		 * @return this builder
		 */
		public Builder token(@Nullable String token) {
			this.token = token;
			return this;
		}

		/**
		 * Set the refresh token of an application token.
		 * @param refreshToken the refresh token, or {@code null}
		 * @return this builder
		 */
		public Builder refreshToken(@Nullable String refreshToken) {
			this.refreshToken = refreshToken;
			return this;
		}

		/**
		 * Set how long before expiry a token is refreshed in the background.
		 * @param refreshSkew the refresh skew
		 * @return this builder
		 */
		public Builder refreshSkew(Duration refreshSkew) {
			Assert.notNull(refreshSkew, "refreshSkew must not be null");
			this.refreshSkew = refreshSkew;
			return this;
		}

		/**
		 * Set what sets the registration's token on each request.
		 * @param authorizer the authorizer
		 * @return this builder
		 */
		public Builder authorizer(TokenAuthorizer authorizer) {
			Assert.notNull(authorizer, "authorizer must not be null");
			this.authorizer = authorizer;
			return this;
		}

		/**
		 * Set what finds the key of the token each request carries.
		 * @param keyResolver the key resolver
		 * @return this builder
		 */
		public Builder keyResolver(TokenKeyResolver keyResolver) {
			Assert.notNull(keyResolver, "keyResolver must not be null");
			this.keyResolver = keyResolver;
			return this;
		}

		/**
		 * Set where the client key comes from.
		 * @param clientKey the key settings
		 * @return this builder
		 */
		public Builder clientKey(ClientKeySettings clientKey) {
			Assert.notNull(clientKey, "clientKey must not be null");
			this.clientKey = clientKey;
			return this;
		}

		/**
		 * Set how the registration revokes the per-user tokens removed from the manager.
		 * @param revocation the revocation settings
		 * @return this builder
		 */
		public Builder revocation(RevocationSettings revocation) {
			Assert.notNull(revocation, "revocation must not be null");
			this.revocation = revocation;
			return this;
		}

		/**
		 * Set the {@code aud} of client assertions.
		 * @param assertionAudience the audience, or {@code null} for the default
		 * @return this builder
		 */
		public Builder assertionAudience(@Nullable String assertionAudience) {
			this.assertionAudience = assertionAudience;
			return this;
		}

		/**
		 * Set the time from a client assertion's {@code iat} to its {@code exp}.
		 * @param assertionLifetime the lifetime
		 * @return this builder
		 */
		public Builder assertionLifetime(Duration assertionLifetime) {
			Assert.notNull(assertionLifetime, "assertionLifetime must not be null");
			this.assertionLifetime = assertionLifetime;
			return this;
		}

		/**
		 * Set whether the registration follows the FAPI 2.0 Security Profile.
		 * @param fapi whether FAPI's rules apply
		 * @return this builder
		 */
		public Builder fapi(boolean fapi) {
			this.fapi = fapi;
			return this;
		}

		/**
		 * Set whether the registration's token calls and requests carry DPoP proofs.
		 * @param dpop whether DPoP is on
		 * @return this builder
		 */
		public Builder dpop(boolean dpop) {
			this.dpop = dpop;
			return this;
		}

		/**
		 * Set what a token-exchange or JWT-bearer registration sends beside its subject
		 * token.
		 * @param subjectGrant the settings
		 * @return this builder
		 */
		public Builder subjectGrant(SubjectGrantSettings subjectGrant) {
			Assert.notNull(subjectGrant, "subjectGrant must not be null");
			this.subjectGrant = subjectGrant;
			return this;
		}

		/**
		 * Name the property a setting came from when it is not the property prefix
		 * followed by the setting's key, for example a token URI configured under another
		 * prefix than the client id.
		 * @param key the setting, for example {@code token-uri}
		 * @param property the full property name
		 * @return this builder
		 */
		public Builder property(String key, String property) {
			Assert.hasText(key, "key must not be empty");
			Assert.hasText(property, "property must not be empty");
			this.properties.put(key, property);
			return this;
		}

		/**
		 * Build the definition.
		 * @return the definition
		 */
		public RegistrationDefinition build() {
			return new RegistrationDefinition(this);
		}

	}

}
