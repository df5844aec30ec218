package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.http.HttpHeaders;

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
	 * Time limit of one token acquisition, after which its waiters get an error.
	 */
	private Duration acquireTimeout = Duration.ofSeconds(30);

	/**
	 * Where tokens are kept.
	 */
	private final Store store = new Store();

	public Map<String, Registration> getRegistrations() {
		return this.registrations;
	}

	public Map<String, Client> getClients() {
		return this.clients;
	}

	public Store getStore() {
		return this.store;
	}

	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	public void setAcquireTimeout(Duration acquireTimeout) {
		this.acquireTimeout = acquireTimeout;
	}

	/**
	 * One token registration.
	 */
	public static class Registration {

		/**
		 * How tokens are obtained: client_credentials, refresh_token, static, or another
		 * grant type that a RegistrationTokenSourceFactory bean serves (such as a
		 * configured vendor's). Case is ignored, and '-' and '_' are alike.
		 */
		private @Nullable String grantType;

		/**
		 * Token endpoint, for the client_credentials and refresh_token grants.
		 */
		private @Nullable URI tokenUri;

		/**
		 * Client id at the token endpoint.
		 */
		private @Nullable String clientId;

		/**
		 * Client secret at the token endpoint.
		 */
		private @Nullable String clientSecret;

		/**
		 * How the client authenticates at the token endpoint: an Authorization Basic
		 * header, or client_id and client_secret in the form body.
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
		 * unset for a registration that holds per-user tokens.
		 */
		private @Nullable String refreshToken;

		/**
		 * Request header that carries the token.
		 */
		private String headerName = HttpHeaders.AUTHORIZATION;

		/**
		 * Value of the token header, with {token} where the token goes.
		 */
		private String headerFormat = BearerTokenExchangeFilterFunction.DEFAULT_HEADER_FORMAT;

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
		 * Prefix of every Redis key TokenKit writes.
		 */
		private String redisKeyPrefix = "tokenkit:";

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

		public String getRedisKeyPrefix() {
			return this.redisKeyPrefix;
		}

		public void setRedisKeyPrefix(String redisKeyPrefix) {
			this.redisKeyPrefix = redisKeyPrefix;
		}

		public @Nullable Integer getMaxEntries() {
			return this.maxEntries;
		}

		public void setMaxEntries(@Nullable Integer maxEntries) {
			this.maxEntries = maxEntries;
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

}
