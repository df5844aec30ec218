package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenHeader;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of TokenKit's token registrations and bearer-token clients.
 */
@ConfigurationProperties("tokenkit")
public class TokenKitProperties {

	/**
	 * Token registrations, by id: where each gets its tokens and how they are sent.
	 */
	private final Map<String, Registration> registrations = new LinkedHashMap<>();

	/**
	 * WebClient beans to create, by name: each is qualified by its name and sends the
	 * tokens of one registration.
	 */
	private final Map<String, Client> clients = new LinkedHashMap<>();

	/**
	 * Spring HTTP service groups (spring.http.serviceclient), by group name: the
	 * registration whose tokens each group's client sends.
	 */
	private final Map<String, ServiceGroup> serviceGroups = new LinkedHashMap<>();

	/**
	 * Time limit of one token acquisition, after which its waiters get an error. The
	 * acquisition itself runs on and is abandoned after four times this; start-up warns
	 * when a token call under tokenkit.token-calls may take longer.
	 */
	private Duration acquireTimeout = Duration.ofSeconds(30);

	/**
	 * Where tokens are kept.
	 */
	private final Store store = new Store();

	/**
	 * How TokenKit calls token endpoints and vendor APIs. The application's own clients
	 * keep Spring Boot's spring.http.clients settings.
	 */
	private final TokenCalls tokenCalls = new TokenCalls();

	/**
	 * Lifetimes given to tokens whose answer says too little or too much.
	 */
	private final TokenLifetime tokenLifetime = new TokenLifetime();

	/**
	 * How the metadata of the authorization servers named by issuer-uri is fetched.
	 */
	private final Discovery discovery = new Discovery();

	/**
	 * Whether token endpoints and vendor APIs may be called over plain http on hosts
	 * other than the loopback addresses (localhost, 127.0.0.0/8, ::1). Leave it off
	 * outside tests: tokens and secrets would cross the network in clear.
	 */
	private boolean allowInsecureHttp;

	/**
	 * Whether every registration configured under
	 * spring.security.oauth2.client.registration is also a TokenKit registration of the
	 * same id: client_credentials ones get application tokens, authorization_code ones
	 * hold the per-user tokens of Spring Security's login (or saved by the application)
	 * and refresh them at the provider's token-uri. A tokenkit.registrations entry of the
	 * same id may add TokenKit's own settings only: header, refresh-skew, client key and
	 * assertion, revocation, and for a token-exchange or jwt-bearer registration its
	 * audiences, resources and token-exchange settings.
	 */
	private boolean springSecurityRegistrations;

	/**
	 * Whether a user's logout removes the user's tokens of the authorization_code
	 * registrations reused from Spring Security (servlet applications on Spring
	 * Security's LogoutSuccessEvent, WebFlux applications through TokenKit's
	 * ServerLogoutHandler). The tokens are held per registration and principal name, so a
	 * logout ends them for the user's other sessions too.
	 */
	private boolean removeOnLogout = true;

	public Map<String, Registration> getRegistrations() {
		return this.registrations;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public Map<String, ServiceGroup> getServiceGroups() {
		return this.serviceGroups;
	}

	public Store getStore() {
		return this.store;
	}

	public TokenCalls getTokenCalls() {
		return this.tokenCalls;
	}

	public TokenLifetime getTokenLifetime() {
		return this.tokenLifetime;
	}

	public Discovery getDiscovery() {
		return this.discovery;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	public boolean isSpringSecurityRegistrations() {
		return this.springSecurityRegistrations;
	}

	public void setSpringSecurityRegistrations(boolean springSecurityRegistrations) {
		this.springSecurityRegistrations = springSecurityRegistrations;
	}

	public boolean isRemoveOnLogout() {
		return this.removeOnLogout;
	}

	public void setRemoveOnLogout(boolean removeOnLogout) {
		this.removeOnLogout = removeOnLogout;
	}

	/**
	 * One token registration.
	 */
	public static class Registration {

		/**
		 * How tokens are obtained: client_credentials (application tokens from
		 * token-uri), refresh_token (per-user tokens the application saves, or one
		 * application token from refresh-token), static (the token property, which never
		 * expires), or a grant type that a RegistrationTokenSourceFactory bean serves,
		 * such as the per-user grant type of a configured vendor client (each vendor's
		 * section of docs/vendors.md names its grant type and header). An unknown grant
		 * type stops start-up listing the ones served. Case is ignored, and '-' and '_'
		 * are alike.
		 */
		private @Nullable String grantType;

		/**
		 * Token endpoint, for the client_credentials and refresh_token grants. Wins over
		 * the token_endpoint of issuer-uri's metadata when both are set.
		 */
		private @Nullable URI tokenUri;

		/**
		 * Issuer identifier of the authorization server, whose metadata
		 * (/.well-known/openid-configuration, else RFC 8414's
		 * /.well-known/oauth-authorization-server) gives the token endpoint when
		 * token-uri is not set. Fetched when first needed, not at start-up; the
		 * metadata's issuer must equal it exactly.
		 */
		private @Nullable URI issuerUri;

		/**
		 * Client id at the token endpoint.
		 */
		private @Nullable String clientId;

		/**
		 * Client secret at the token endpoint.
		 */
		private @Nullable String clientSecret;

		/**
		 * How the client authenticates at the token endpoint: basic (client_secret_basic,
		 * an Authorization Basic header), post (client_secret_post, client_id and
		 * client_secret in the form body), private_key_jwt (a client assertion signed
		 * with client-key), client_secret_jwt (a client assertion signed with
		 * client-secret, HS256), tls_client_auth or self_signed_tls_client_auth (the
		 * certificate of client-key.ssl-bundle on the TLS connection). See
		 * docs/client-authentication.md.
		 */
		private ClientAuthenticationMethod clientAuthentication = ClientAuthenticationMethod.BASIC;

		/**
		 * Scopes to request.
		 */
		private List<String> scopes = new ArrayList<>();

		/**
		 * Extra form parameters of each token request, such as audience or resource.
		 */
		private Map<String, String> additionalParameters = new LinkedHashMap<>();

		/**
		 * How long before expiry a token is refreshed in the background. Capped for each
		 * token at a quarter of its lifetime.
		 */
		private Duration refreshSkew = TokenRegistration.DEFAULT_REFRESH_SKEW;

		/**
		 * The token itself, for the static grant type.
		 */
		private @Nullable String token;

		/**
		 * Refresh token of an application token, for the refresh_token grant type. Leave
		 * unset for a registration that holds per-user tokens. The stored tokens record a
		 * fingerprint of it, so that a different value supersedes the token chain stored
		 * from the one before.
		 */
		private @Nullable String refreshToken;

		/**
		 * Request header that carries the token.
		 */
		private String headerName = HttpHeaders.AUTHORIZATION;

		/**
		 * Value of the token header, with {token} where the token goes.
		 */
		private String headerFormat = TokenHeader.DEFAULT_FORMAT;

		/**
		 * Whether this registration is the one of the same id under
		 * spring.security.oauth2.client.registration (with its provider's token-uri):
		 * client_credentials gives application tokens, authorization_code per-user tokens
		 * that the application saves and TokenKit refreshes. Set nothing else here but
		 * header-name, header-format, refresh-skew, client-key, client-assertion, fapi,
		 * the revocation settings, and for a token-exchange or jwt-bearer registration
		 * audiences, resources and token-exchange.
		 */
		private boolean fromSpringSecurity;

		/**
		 * The client's key and certificate: what signs private_key_jwt assertions and
		 * what the TLS connection presents for tls_client_auth and
		 * self_signed_tls_client_auth.
		 */
		private ClientKey clientKey = new ClientKey();

		/**
		 * The client assertions of private_key_jwt and client_secret_jwt.
		 */
		private ClientAssertion clientAssertion = new ClientAssertion();

		/**
		 * Whether the registration follows the FAPI 2.0 Security Profile: start-up stops
		 * on RS256, an RSA key under 2048 bits, or a client secret (client_secret_basic,
		 * client_secret_post, client_secret_jwt).
		 */
		private boolean fapi;

		/**
		 * Whether token calls and requests carry DPoP proofs (RFC 9449) that bind the
		 * tokens to the client-key, or without one to a key made at start-up (in-memory
		 * store only). Applies to client_credentials and refresh_token registrations, and
		 * to a vendor's grant type whose client sends proofs, its code exchange too
		 * (docs/vendors.md says which vendors do). On any other grant type, start-up
		 * stops listing the grant types that send proofs.
		 */
		private boolean dpop;

		/**
		 * Audiences to request (the audience parameter of token exchange and JWT bearer).
		 * A request's own audiences replace them.
		 */
		private List<String> audiences = new ArrayList<>();

		/**
		 * Resources to request (RFC 8707 resource indicators, absolute URIs without a
		 * fragment), for token exchange and JWT bearer. A request's own resources replace
		 * them.
		 */
		private List<String> resources = new ArrayList<>();

		/**
		 * The token exchange (RFC 8693) of a registration whose grant-type is
		 * urn:ietf:params:oauth:grant-type:token-exchange (or token-exchange).
		 */
		private TokenExchange tokenExchange = new TokenExchange();

		public List<String> getAudiences() {
			return this.audiences;
		}

		public void setAudiences(List<String> audiences) {
			this.audiences = audiences;
		}

		public List<String> getResources() {
			return this.resources;
		}

		public void setResources(List<String> resources) {
			this.resources = resources;
		}

		public TokenExchange getTokenExchange() {
			return this.tokenExchange;
		}

		public void setTokenExchange(TokenExchange tokenExchange) {
			this.tokenExchange = tokenExchange;
		}

		/**
		 * Revocation endpoint (RFC 7009) of the refresh_token grant, where a per-user
		 * token removed with TokenManager.remove (a user who disconnects or logs out) is
		 * revoked. Defaults to the revocation_endpoint of issuer-uri's metadata.
		 */
		private @Nullable URI revocationUri;

		/**
		 * Whether a per-user token removed with TokenManager.remove is revoked at the
		 * revocation endpoint, after the removal and without holding it up. Defaults to
		 * true when revocation-uri or issuer-uri is set.
		 */
		private @Nullable Boolean revokeOnRemove;

		/**
		 * Whether a removed token's access token is revoked too, not only its refresh
		 * token.
		 */
		private boolean revokeAccessToken;

		public @Nullable String getGrantType() {
			return this.grantType;
		}

		public void setGrantType(@Nullable String grantType) {
			this.grantType = grantType;
		}

		public @Nullable URI getTokenUri() {
			return this.tokenUri;
		}

		public void setTokenUri(@Nullable URI tokenUri) {
			this.tokenUri = tokenUri;
		}

		public @Nullable URI getIssuerUri() {
			return this.issuerUri;
		}

		public void setIssuerUri(@Nullable URI issuerUri) {
			this.issuerUri = issuerUri;
		}

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
		}

		public ClientAuthenticationMethod getClientAuthentication() {
			return this.clientAuthentication;
		}

		public void setClientAuthentication(ClientAuthenticationMethod clientAuthentication) {
			this.clientAuthentication = clientAuthentication;
		}

		public List<String> getScopes() {
			return this.scopes;
		}

		public void setScopes(List<String> scopes) {
			this.scopes = scopes;
		}

		public Map<String, String> getAdditionalParameters() {
			return this.additionalParameters;
		}

		public void setAdditionalParameters(Map<String, String> additionalParameters) {
			this.additionalParameters = additionalParameters;
		}

		public Duration getRefreshSkew() {
			return this.refreshSkew;
		}

		public void setRefreshSkew(Duration refreshSkew) {
			this.refreshSkew = refreshSkew;
		}

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable String getRefreshToken() {
			return this.refreshToken;
		}

		public void setRefreshToken(@Nullable String refreshToken) {
			this.refreshToken = refreshToken;
		}

		public String getHeaderName() {
			return this.headerName;
		}

		public void setHeaderName(String headerName) {
			this.headerName = headerName;
		}

		public String getHeaderFormat() {
			return this.headerFormat;
		}

		public void setHeaderFormat(String headerFormat) {
			this.headerFormat = headerFormat;
		}

		public boolean isFromSpringSecurity() {
			return this.fromSpringSecurity;
		}

		public void setFromSpringSecurity(boolean fromSpringSecurity) {
			this.fromSpringSecurity = fromSpringSecurity;
		}

		public ClientKey getClientKey() {
			return this.clientKey;
		}

		public void setClientKey(ClientKey clientKey) {
			this.clientKey = clientKey;
		}

		public ClientAssertion getClientAssertion() {
			return this.clientAssertion;
		}

		public void setClientAssertion(ClientAssertion clientAssertion) {
			this.clientAssertion = clientAssertion;
		}

		public boolean isFapi() {
			return this.fapi;
		}

		public boolean isDpop() {
			return this.dpop;
		}

		public void setDpop(boolean dpop) {
			this.dpop = dpop;
		}

		public void setFapi(boolean fapi) {
			this.fapi = fapi;
		}

		public @Nullable URI getRevocationUri() {
			return this.revocationUri;
		}

		public void setRevocationUri(@Nullable URI revocationUri) {
			this.revocationUri = revocationUri;
		}

		public @Nullable Boolean getRevokeOnRemove() {
			return this.revokeOnRemove;
		}

		public void setRevokeOnRemove(@Nullable Boolean revokeOnRemove) {
			this.revokeOnRemove = revokeOnRemove;
		}

		public boolean isRevokeAccessToken() {
			return this.revokeAccessToken;
		}

		public void setRevokeAccessToken(boolean revokeAccessToken) {
			this.revokeAccessToken = revokeAccessToken;
		}

	}

	/**
	 * A registration's client key: a private key (and, in an SSL bundle, its
	 * certificate).
	 */
	public static class ClientKey {

		/**
		 * Name of the Spring Boot SSL bundle (spring.ssl.bundle.jks or pem) that holds
		 * the private key and certificate.
		 */
		private @Nullable String sslBundle;

		/**
		 * Alias of the key entry in the SSL bundle's key store. Unset, the bundle's key
		 * alias, else its only key entry.
		 */
		private @Nullable String alias;

		/**
		 * Location of a file with the private key: PEM (PKCS#8, PKCS#1 or SEC 1) or a JWK
		 * (JSON) with its private part. A plain path is a file system path; classpath:
		 * reads from the class path. May also hold the PEM or JWK text itself, which is
		 * never shown in errors.
		 */
		private @Nullable String file;

		/**
		 * Key id (kid) of the JWS header of client assertions. Unset, the JWK's kid, else
		 * the configured alias (alias or the bundle's key.alias), else none.
		 */
		private @Nullable String keyId;

		/**
		 * JWS algorithm of client assertions: PS256, ES256, EdDSA (Ed25519) or RS256.
		 * Unset, the JWK's alg, else PS256 for an RSA key, ES256 for an EC key, EdDSA for
		 * an Ed25519 key.
		 */
		private @Nullable ClientKeyAlgorithm algorithm;

		/**
		 * Whether the registration's resource calls through the tokenkit.clients
		 * WebClient and RestClient bound to it present the certificate of ssl-bundle, as
		 * certificate-bound tokens (RFC 8705) need (HTTP service clients take
		 * spring.http.serviceclient.<group>.ssl.bundle). Unset, true for tls_client_auth
		 * and self_signed_tls_client_auth, else false.
		 */
		private @Nullable Boolean resourceCalls;

		public @Nullable String getSslBundle() {
			return this.sslBundle;
		}

		public void setSslBundle(@Nullable String sslBundle) {
			this.sslBundle = sslBundle;
		}

		public @Nullable String getAlias() {
			return this.alias;
		}

		public void setAlias(@Nullable String alias) {
			this.alias = alias;
		}

		public @Nullable String getFile() {
			return this.file;
		}

		public void setFile(@Nullable String file) {
			this.file = file;
		}

		public @Nullable String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(@Nullable String keyId) {
			this.keyId = keyId;
		}

		public @Nullable ClientKeyAlgorithm getAlgorithm() {
			return this.algorithm;
		}

		public void setAlgorithm(@Nullable ClientKeyAlgorithm algorithm) {
			this.algorithm = algorithm;
		}

		public @Nullable Boolean getResourceCalls() {
			return this.resourceCalls;
		}

		public void setResourceCalls(@Nullable Boolean resourceCalls) {
			this.resourceCalls = resourceCalls;
		}

	}

	/**
	 * The client assertions of a registration's private_key_jwt or client_secret_jwt.
	 */
	public static class ClientAssertion {

		/**
		 * Audience (aud) of client assertions. Unset, the token endpoint.
		 */
		private @Nullable String audience;

		/**
		 * Time from a client assertion's iat to its exp, from 1 second to 10 minutes.
		 */
		private Duration lifetime = Duration.ofSeconds(60);

		public @Nullable String getAudience() {
			return this.audience;
		}

		public void setAudience(@Nullable String audience) {
			this.audience = audience;
		}

		public Duration getLifetime() {
			return this.lifetime;
		}

		public void setLifetime(Duration lifetime) {
			this.lifetime = lifetime;
		}

	}

	/**
	 * What a token exchange sends beside the subject token.
	 */
	public static class TokenExchange {

		/**
		 * Type of the subject token (the incoming request's bearer token): access-token,
		 * jwt, id-token, refresh-token, saml1, saml2, or a full token type URI. Unset,
		 * access-token (urn:ietf:params:oauth:token-type:access_token).
		 */
		private @Nullable String subjectTokenType;

		/**
		 * Type of token to ask for, as subject-token-type. Unset, the server's default.
		 */
		private @Nullable String requestedTokenType;

		/**
		 * Registration whose application token is sent as the actor token (for example a
		 * client_credentials registration of this service), so that the exchanged token
		 * names this service in its act claim. Unset, no actor token.
		 */
		private @Nullable String actorTokenRegistration;

		/**
		 * Type of the actor token, as subject-token-type. Unset, access-token.
		 */
		private @Nullable String actorTokenType;

		public @Nullable String getSubjectTokenType() {
			return this.subjectTokenType;
		}

		public void setSubjectTokenType(@Nullable String subjectTokenType) {
			this.subjectTokenType = subjectTokenType;
		}

		public @Nullable String getRequestedTokenType() {
			return this.requestedTokenType;
		}

		public void setRequestedTokenType(@Nullable String requestedTokenType) {
			this.requestedTokenType = requestedTokenType;
		}

		public @Nullable String getActorTokenRegistration() {
			return this.actorTokenRegistration;
		}

		public void setActorTokenRegistration(@Nullable String actorTokenRegistration) {
			this.actorTokenRegistration = actorTokenRegistration;
		}

		public @Nullable String getActorTokenType() {
			return this.actorTokenType;
		}

		public void setActorTokenType(@Nullable String actorTokenType) {
			this.actorTokenType = actorTokenType;
		}

	}

	/**
	 * One WebClient bean.
	 */
	public static class Client {

		/**
		 * Base URL of every request the client sends.
		 */
		private @Nullable String baseUrl;

		/**
		 * Registration whose tokens the client sends.
		 */
		private @Nullable String registration;

		/**
		 * Kind of client bean to register. Unset, a WebClient bean and, when Spring
		 * Boot's RestClient.Builder is available, a RestClient bean.
		 */
		private @Nullable ClientType type;

		/**
		 * What the client sends instead of a token of its own registration: forward (the
		 * incoming request's bearer token as it is; no registration needed) or exchange
		 * (the incoming request's bearer token exchanged through the client's
		 * registration, whose grant-type is token-exchange or jwt-bearer). A request made
		 * without an incoming token fails with a NoIncomingTokenException and is not
		 * sent. Unset, the registration's own tokens.
		 */
		private @Nullable Propagation propagation;

		public @Nullable Propagation getPropagation() {
			return this.propagation;
		}

		public void setPropagation(@Nullable Propagation propagation) {
			this.propagation = propagation;
		}

		public @Nullable String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(@Nullable String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public @Nullable String getRegistration() {
			return this.registration;
		}

		public void setRegistration(@Nullable String registration) {
			this.registration = registration;
		}

		public @Nullable ClientType getType() {
			return this.type;
		}

		public void setType(@Nullable ClientType type) {
			this.type = type;
		}

	}

	/**
	 * One Spring HTTP service group.
	 */
	public static class ServiceGroup {

		/**
		 * Registration whose tokens the group's requests carry, unless a method or an
		 * interface of the group names another with @TokenKitRegistration or Spring
		 * Security's @ClientRegistrationId.
		 */
		private @Nullable String registration;

		public @Nullable String getRegistration() {
			return this.registration;
		}

		public void setRegistration(@Nullable String registration) {
			this.registration = registration;
		}

	}

	/**
	 * Where tokens are kept.
	 */
	public static class Store {

		/**
		 * The kind of store: in memory, or Redis to share tokens between instances.
		 */
		private StoreType type = StoreType.IN_MEMORY;

		/**
		 * Prefix of every Redis key TokenKit writes. Deprecated: use
		 * tokenkit.store.redis.key-prefix.
		 */
		private @Nullable String redisKeyPrefix;

		/**
		 * How long a token that carries a refresh token is kept (in Redis and in each
		 * instance's memory) when the server does not say how long its refresh token
		 * lives, so that an idle user keeps their session.
		 */
		private Duration refreshTokenTimeToLive = Duration.ofDays(30);

		/**
		 * Key of the HMAC-SHA256 that turns subjects into Redis keys, so that low-entropy
		 * user ids cannot be recovered from the keys. Without it, subjects are hashed
		 * with plain SHA-256 and start-up logs a warning.
		 */
		private @Nullable String subjectKey;

		/**
		 * Whether, with a subject-key, keys written before it (named by the plain SHA-256
		 * of their subject) are moved to their subject-key form: a key found missing is
		 * looked up under its old name, and saves and removes delete the old name. While
		 * on, Redis commands (seen by MONITOR, a proxy or the slow log) carry the plain
		 * SHA-256 of subjects, which anyone can match against candidate user ids. Turn it
		 * on for the rollout that adds the subject key, and off once the old keys have
		 * moved or expired.
		 */
		private boolean migrateUnkeyedSubjects;

		/**
		 * Key that encrypts token values, and kept one-time values such as PKCE code
		 * verifiers, in Redis with AES-256-GCM: the Base64 of exactly 32 random bytes,
		 * for example from "openssl rand -base64 32". Without it, they are stored plain.
		 */
		private @Nullable String encryptionKey;

		/**
		 * Keys that encrypted token values before the current encryption-key, each the
		 * Base64 of 32 bytes: values written under them are still read, and written under
		 * the current key at the next write.
		 */
		private List<String> previousEncryptionKeys = new ArrayList<>();

		/**
		 * With an encryption-key, whether a token stored plain in Redis (written before
		 * the key was set) is still read, and written encrypted at the next write. Set it
		 * to false once every instance encrypts and the stored plain tokens have been
		 * replaced: then a plain value under an encrypted store counts as absent, with a
		 * WARN that shows no token, so that someone who can write to Redis but holds no
		 * key cannot plant a token for a user. Only meaningful with an encryption-key.
		 */
		private boolean migratePlainTokens = true;

		/**
		 * The Redis store.
		 */
		private final Redis redis = new Redis();

		/**
		 * Maximum number of per-user tokens the in-memory store keeps; beyond it the
		 * least recently used are evicted. Application tokens are not counted and never
		 * evicted. In memory, evicting a user's entry loses their refresh token: the user
		 * must authorize again. Unset for no limit.
		 */
		private @Nullable Integer maxEntries;

		public StoreType getType() {
			return this.type;
		}

		public void setType(StoreType type) {
			this.type = type;
		}

		@Deprecated(since = "0.2.0")
		@DeprecatedConfigurationProperty(replacement = "tokenkit.store.redis.key-prefix", since = "0.2.0")
		public @Nullable String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		@Deprecated(since = "0.2.0")
		public void setRedisKeyPrefix(@Nullable String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

		public Duration getRefreshTokenTimeToLive() {
			return this.refreshTokenTimeToLive;
		}

		public void setRefreshTokenTimeToLive(Duration refreshTokenTimeToLive) {
			this.refreshTokenTimeToLive = refreshTokenTimeToLive;
		}

		public @Nullable String getSubjectKey() {
			return this.subjectKey;
		}

		public void setSubjectKey(@Nullable String subjectKey) {
			this.subjectKey = subjectKey;
		}

		public boolean isMigrateUnkeyedSubjects() {
			return this.migrateUnkeyedSubjects;
		}

		public void setMigrateUnkeyedSubjects(boolean migrateUnkeyedSubjects) {
			this.migrateUnkeyedSubjects = migrateUnkeyedSubjects;
		}

		public @Nullable String getEncryptionKey() {
			return this.encryptionKey;
		}

		public void setEncryptionKey(@Nullable String encryptionKey) {
			this.encryptionKey = encryptionKey;
		}

		public List<String> getPreviousEncryptionKeys() {
			return this.previousEncryptionKeys;
		}

		public void setPreviousEncryptionKeys(List<String> previousEncryptionKeys) {
			this.previousEncryptionKeys = previousEncryptionKeys;
		}

		public boolean isMigratePlainTokens() {
			return this.migratePlainTokens;
		}

		public void setMigratePlainTokens(boolean migratePlainTokens) {
			this.migratePlainTokens = migratePlainTokens;
		}

		public Redis getRedis() {
			return this.redis;
		}

		public @Nullable Integer getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(@Nullable Integer maxEntries) {
			this.maxEntries = maxEntries;
		}

	}

	/**
	 * How TokenKit calls token endpoints and vendor APIs.
	 */
	public static class TokenCalls {

		/**
		 * Time limit to open a connection to a token endpoint or vendor API.
		 */
		private Duration connectTimeout = Duration.ofSeconds(5);

		/**
		 * Time limit of one answer from a token endpoint or vendor API.
		 */
		private Duration responseTimeout = Duration.ofSeconds(10);

		/**
		 * Retries of a token call after a connection error, a timeout or a 5xx answer,
		 * never after another 4xx. A grant that redeems a single-use credential (refresh
		 * token, authorization code) is retried only when the request was certainly not
		 * sent.
		 */
		private int maxRetries = 2;

		/**
		 * Wait before the first retry; each further retry waits twice as long, with
		 * jitter.
		 */
		private Duration retryBackoff = Duration.ofMillis(200);

		/**
		 * How long a key rests after a failed acquisition before the next token call:
		 * doubled after each failure in a row up to cool-down-max, replaced by the
		 * server's Retry-After when it sends one. Meanwhile requests fail fast and a
		 * valid cached token keeps serving.
		 */
		private Duration coolDown = Duration.ofSeconds(1);

		/**
		 * Longest rest of a key after failed acquisitions, and the cap of a server's
		 * Retry-After.
		 */
		private Duration coolDownMax = Duration.ofMinutes(1);

		/**
		 * Largest answer body read from a token endpoint or vendor API; a larger one
		 * fails the call.
		 */
		private DataSize maxAnswerSize = DataSize.ofKilobytes(256);

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getResponseTimeout() {
			return this.responseTimeout;
		}

		public void setResponseTimeout(Duration responseTimeout) {
			this.responseTimeout = responseTimeout;
		}

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getRetryBackoff() {
			return this.retryBackoff;
		}

		public void setRetryBackoff(Duration retryBackoff) {
			this.retryBackoff = retryBackoff;
		}

		public Duration getCoolDown() {
			return this.coolDown;
		}

		public void setCoolDown(Duration coolDown) {
			this.coolDown = coolDown;
		}

		public Duration getCoolDownMax() {
			return this.coolDownMax;
		}

		public void setCoolDownMax(Duration coolDownMax) {
			this.coolDownMax = coolDownMax;
		}

		public DataSize getMaxAnswerSize() {
			return this.maxAnswerSize;
		}

		public void setMaxAnswerSize(DataSize maxAnswerSize) {
			this.maxAnswerSize = maxAnswerSize;
		}

	}

	/**
	 * How the metadata of the authorization servers named by issuer-uri is fetched.
	 */
	public static class Discovery {

		/**
		 * Time after a failed metadata fetch (no connection, a 404 or 5xx answer,
		 * metadata naming another issuer) during which token calls of the issuer's
		 * registrations fail at once; the first one after it fetches again.
		 */
		private Duration coolDown = Duration.ofSeconds(30);

		public Duration getCoolDown() {
			return this.coolDown;
		}

		public void setCoolDown(Duration coolDown) {
			this.coolDown = coolDown;
		}

	}

	/**
	 * Lifetimes given to tokens whose answer says too little or too much.
	 */
	public static class TokenLifetime {

		/**
		 * Lifetime of a token whose answer has no expires_in.
		 */
		private Duration defaultLifetime = Duration.ofHours(1);

		/**
		 * Longest lifetime of a token the token manager acquires and stores; a token
		 * answered with a longer one is stored expiring at it. Unset, a token keeps the
		 * lifetime its server answered.
		 */
		private @Nullable Duration max;

		public Duration getDefault() {
			return this.defaultLifetime;
		}

		public void setDefault(Duration defaultLifetime) {
			this.defaultLifetime = defaultLifetime;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

	}

	/**
	 * The Redis store.
	 */
	public static class Redis {

		/**
		 * Prefix of every Redis key and channel TokenKit uses.
		 */
		private String keyPrefix = "tokenkit:";

		/**
		 * How long the instance that acquires a key's token holds the key's lease unless
		 * it renews it; when its holder dies, another instance takes over after this
		 * time.
		 */
		private Duration leaseTime = Duration.ofSeconds(5);

		/**
		 * Time limit of each of TokenKit's Redis calls, independent of
		 * spring.data.redis.timeout. After a token-store call that fails or times out,
		 * the instance goes on without Redis for a lease time; a one-time value (a nonce)
		 * that cannot be checked in Redis fails its request instead.
		 */
		private Duration timeout = Duration.ofSeconds(2);

		/**
		 * Most tokens each instance keeps in memory in front of Redis; beyond it the
		 * least recently used per-user tokens are dropped from memory (not from Redis)
		 * and read again from Redis at their next use. Application tokens count but are
		 * never dropped.
		 */
		private int maxLocalCopies = 10_000;

		/**
		 * Whether entries written under the key names of releases before hash tags (the
		 * key prefix, then the registration id and a user's subject hash, without braces)
		 * are moved to their current name when first needed, and their old names deleted
		 * at saves and removes. Turn it off once every instance runs this release and the
		 * old keys have moved or expired: each key found missing then costs one Redis
		 * call less.
		 */
		private boolean migrateOldKeys = true;

		public String getKeyPrefix() {
			return this.keyPrefix;
		}

		public void setKeyPrefix(String keyPrefix) {
			this.keyPrefix = keyPrefix;
		}

		public Duration getLeaseTime() {
			return this.leaseTime;
		}

		public void setLeaseTime(Duration leaseTime) {
			this.leaseTime = leaseTime;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public int getMaxLocalCopies() {
			return this.maxLocalCopies;
		}

		public void setMaxLocalCopies(int maxLocalCopies) {
			this.maxLocalCopies = maxLocalCopies;
		}

		public boolean isMigrateOldKeys() {
			return this.migrateOldKeys;
		}

		public void setMigrateOldKeys(boolean migrateOldKeys) {
			this.migrateOldKeys = migrateOldKeys;
		}

	}

	/**
	 * The kinds of token store.
	 */
	public enum StoreType {

		/** A map in this instance's memory. */
		IN_MEMORY,

		/**
		 * Redis, through Spring Data Redis's reactive template, with a local copy in
		 * front.
		 */
		REDIS

	}

	/**
	 * What a {@code tokenkit.clients} entry does with the incoming request's bearer
	 * token.
	 */
	public enum Propagation {

		/** Send the incoming request's bearer token as it is. */
		FORWARD,

		/** Exchange the incoming request's bearer token through the registration. */
		EXCHANGE

	}

	/**
	 * The kinds of client bean a {@code tokenkit.clients} entry registers.
	 */
	public enum ClientType {

		/** A reactive WebClient, named {@code <name>WebClient}. */
		WEB_CLIENT,

		/** A blocking RestClient, named {@code <name>RestClient}. */
		REST_CLIENT

	}

}
