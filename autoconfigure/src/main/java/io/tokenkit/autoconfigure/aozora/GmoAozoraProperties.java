package io.tokenkit.autoconfigure.aozora;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tokenkit.aozora.InMemoryNonceStore;
import io.tokenkit.oauth2.ClientAuthenticationMethod;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the GMO Aozora Net Bank authorization client
 * ({@code tokenkit.gmo-aozora.*}). The client is on when {@code client-id} has text.
 * <p>
 * Per-customer tokens go through a registration with {@code grant-type: gmo-aozora},
 * which must send the token the way the bank's APIs take it: <pre class="code">
 * tokenkit:
 *   registrations:
 *     bank:
 *       grant-type: gmo-aozora
 *       header-name: x-access-token
 *       header-format: "{token}"
 * </pre>
 */
@ConfigurationProperties("tokenkit.gmo-aozora")
public class GmoAozoraProperties {

	/** The production authorization API. */
	public static final String PRODUCTION_BASE_URL = "https://api.gmo-aozora.com/ganb/api/auth/v1";

	/** The staging authorization API. */
	public static final String STAGING_BASE_URL = "https://stg-api.gmo-aozora.com/ganb/api/auth/v1";

	/**
	 * Base URL of the bank's authorization API, holding /authorization and /token.
	 * Staging is https://stg-api.gmo-aozora.com/ganb/api/auth/v1.
	 */
	private String baseUrl = PRODUCTION_BASE_URL;

	/**
	 * Client id issued by the bank. Setting it switches the client on.
	 */
	private @Nullable String clientId;

	/**
	 * Client secret issued by the bank; also the HS256 key of OpenID Connect ID tokens.
	 */
	private @Nullable String clientSecret;

	/**
	 * How the client authenticates at the token endpoint, as registered with the bank:
	 * basic (an Authorization Basic header) or post (client_id and client_secret in the
	 * form body).
	 */
	private ClientAuthenticationMethod authMethod = ClientAuthenticationMethod.BASIC;

	/**
	 * Redirect URI registered with the bank, where the customer comes back with a code.
	 */
	private @Nullable String redirectUri;

	/**
	 * Scopes to ask for, for example private:account, private:transfer, offline_access,
	 * and openid for OpenID Connect.
	 */
	private List<String> scopes = new ArrayList<>();

	/**
	 * Secret salt of the state parameter: state = hex(SHA-256(session id + salt)).
	 */
	private @Nullable String stateSalt;

	/**
	 * Expected iss of ID tokens, and with check-iss of callbacks, compared exactly (a
	 * trailing slash matters). Defaults to the scheme and host of base-url with a
	 * trailing slash, such as https://api.gmo-aozora.com/; check-iss needs it set unless
	 * par reads the issuer's metadata.
	 */
	private @Nullable String issuer;

	/**
	 * Clock skew allowed when checking the exp and iat of ID tokens.
	 */
	private Duration idTokenLeeway = Duration.ofSeconds(60);

	/**
	 * How long the nonce of an OpenID Connect authorization request, and with pkce a
	 * pending authorization request, stays valid in the auto-configured store (in memory,
	 * or in Redis with tokenkit.store.type=redis).
	 */
	private Duration nonceTimeToLive = InMemoryNonceStore.DEFAULT_TIME_TO_LIVE;

	/**
	 * Whether to send PKCE (RFC 7636, method S256) with each authorization request. The
	 * pending requests are kept for nonce-time-to-live in the one-time-value store (Redis
	 * with tokenkit.store.type=redis, so that any instance completes the callback; in
	 * memory otherwise). The bank does not document PKCE today.
	 */
	private boolean pkce;

	/**
	 * Whether to push each authorization request to the bank first (RFC 9126), the
	 * authorization URL then carrying only client_id and request_uri. The bank does not
	 * document pushed authorization requests today.
	 */
	private boolean par;

	/**
	 * Pushed authorization request endpoint, when par is true. Defaults to the
	 * pushed_authorization_request_endpoint of the metadata published by the issuer.
	 */
	private @Nullable String parUri;

	/**
	 * Whether to refuse an authorization callback whose iss (RFC 9207) is not the issuer
	 * or is missing. Needs issuer set, unless par reads the issuer's metadata (no
	 * par-uri). The bank does not document iss today.
	 */
	private boolean checkIss;

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
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

	public ClientAuthenticationMethod getAuthMethod() {
		return this.authMethod;
	}

	public void setAuthMethod(ClientAuthenticationMethod authMethod) {
		this.authMethod = authMethod;
	}

	public @Nullable String getRedirectUri() {
		return this.redirectUri;
	}

	public void setRedirectUri(@Nullable String redirectUri) {
		this.redirectUri = redirectUri;
	}

	public List<String> getScopes() {
		return this.scopes;
	}

	public void setScopes(List<String> scopes) {
		this.scopes = scopes;
	}

	public @Nullable String getStateSalt() {
		return this.stateSalt;
	}

	public void setStateSalt(@Nullable String stateSalt) {
		this.stateSalt = stateSalt;
	}

	public @Nullable String getIssuer() {
		return this.issuer;
	}

	public void setIssuer(@Nullable String issuer) {
		this.issuer = issuer;
	}

	public Duration getIdTokenLeeway() {
		return this.idTokenLeeway;
	}

	public void setIdTokenLeeway(Duration idTokenLeeway) {
		this.idTokenLeeway = idTokenLeeway;
	}

	public Duration getNonceTimeToLive() {
		return this.nonceTimeToLive;
	}

	public void setNonceTimeToLive(Duration nonceTimeToLive) {
		this.nonceTimeToLive = nonceTimeToLive;
	}

	public boolean isPkce() {
		return this.pkce;
	}

	public void setPkce(boolean pkce) {
		this.pkce = pkce;
	}

	public boolean isPar() {
		return this.par;
	}

	public void setPar(boolean par) {
		this.par = par;
	}

	public @Nullable String getParUri() {
		return this.parUri;
	}

	public void setParUri(@Nullable String parUri) {
		this.parUri = parUri;
	}

	public boolean isCheckIss() {
		return this.checkIss;
	}

	public void setCheckIss(boolean checkIss) {
		this.checkIss = checkIss;
	}

}
