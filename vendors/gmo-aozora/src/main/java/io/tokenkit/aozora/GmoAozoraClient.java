package io.tokenkit.aozora;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.util.Assert;
import org.springframework.web.util.UriUtils;

/**
 * The GMO Aozora Net Bank authorization client: builds the authorization URL the
 * customer's browser is sent to ({@code GET {AUTH}/authorization}), checks the callback's
 * {@code state}, exchanges the code for tokens and refreshes them ({@code POST
 * {AUTH}/token}), and for OpenID Connect saves a nonce per request and verifies the ID
 * token.
 * <p>
 * A typical OAuth 2.0 flow in a controller: <pre class="code">
 * // 1. redirect the customer
 * URI uri = aozora.authorizationUri(session.getId());
 * // 2. on the callback (redirect-uri), with all its query parameters
 * aozora.completeAuthorization(session.getId(), params)
 *     .flatMap((token) -&gt; tokenManager.save(TokenKey.of("bank", customerId), token));
 * </pre> The state is {@code hex(SHA-256(sessionId + salt))} as in the bank's SDKs (see
 * {@link GmoAozoraState}).
 */
public final class GmoAozoraClient {

	private final URI authorizationUri;

	private final String redirectUri;

	private final List<String> scopes;

	private final GmoAozoraState state;

	private final GmoAozoraTokenClient tokenClient;

	private final NonceStore nonceStore;

	private final @Nullable GmoAozoraIdTokenVerifier idTokenVerifier;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	/**
	 * Create a client with the {@link TokenLifetimes#DEFAULT default token lifetimes}.
	 * @param authorizationUri the authorization endpoint, {@code {AUTH}/authorization}
	 * @param redirectUri the redirect URI registered with the bank
	 * @param scopes the scopes to ask for when a call names none
	 * @param state builds and checks the {@code state}
	 * @param tokenClient the token endpoint client (which also holds the client id)
	 * @param nonceStore where OpenID Connect nonces are saved
	 * @param idTokenVerifier the ID-token verifier, or {@code null} when OpenID Connect
	 * is not available (nimbus-jose-jwt missing)
	 * @param clock the clock that stamps token issue times
	 */
	public GmoAozoraClient(URI authorizationUri, String redirectUri, Collection<String> scopes, GmoAozoraState state,
			GmoAozoraTokenClient tokenClient, NonceStore nonceStore, @Nullable GmoAozoraIdTokenVerifier idTokenVerifier,
			Clock clock) {
		this(authorizationUri, redirectUri, scopes, state, tokenClient, nonceStore, idTokenVerifier, clock,
				TokenLifetimes.DEFAULT);
	}

	/**
	 * Create a client.
	 * @param authorizationUri the authorization endpoint, {@code {AUTH}/authorization}
	 * @param redirectUri the redirect URI registered with the bank
	 * @param scopes the scopes to ask for when a call names none
	 * @param state builds and checks the {@code state}
	 * @param tokenClient the token endpoint client (which also holds the client id)
	 * @param nonceStore where OpenID Connect nonces are saved
	 * @param idTokenVerifier the ID-token verifier, or {@code null} when OpenID Connect
	 * is not available (nimbus-jose-jwt missing)
	 * @param clock the clock read when a token request is sent: the issue time, from
	 * which {@code expires_in} counts
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any (TokenKit's own lifetimes set none: the bank's
	 * 30-day tokens keep their 30 days)
	 */
	public GmoAozoraClient(URI authorizationUri, String redirectUri, Collection<String> scopes, GmoAozoraState state,
			GmoAozoraTokenClient tokenClient, NonceStore nonceStore, @Nullable GmoAozoraIdTokenVerifier idTokenVerifier,
			Clock clock, TokenLifetimes lifetimes) {
		Assert.notNull(lifetimes, "lifetimes must not be null");
		Assert.notNull(authorizationUri, "authorizationUri must not be null");
		Assert.hasText(redirectUri, "redirectUri must not be empty");
		Assert.notNull(scopes, "scopes must not be null");
		Assert.notNull(state, "state must not be null");
		Assert.notNull(tokenClient, "tokenClient must not be null");
		Assert.notNull(nonceStore, "nonceStore must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.authorizationUri = authorizationUri;
		this.redirectUri = redirectUri;
		this.scopes = List.copyOf(scopes);
		this.state = state;
		this.tokenClient = tokenClient;
		this.nonceStore = nonceStore;
		this.idTokenVerifier = idTokenVerifier;
		this.clock = clock;
		this.lifetimes = lifetimes;
	}

	/**
	 * Return the URL of an OAuth 2.0 authorization request ({@code GET /authorization})
	 * with the configured scopes: {@code client_id}, {@code redirect_uri},
	 * {@code response_type=code}, {@code scope} and {@code state}; no {@code nonce}.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 */
	public URI authorizationUri(String sessionId) {
		return authorizationUri(sessionId, this.scopes);
	}

	/**
	 * Return the URL of an OAuth 2.0 authorization request ({@code GET /authorization})
	 * for the given scopes; no {@code nonce}.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @param scopes the scopes, for example {@code private:account}
	 * @return the URL to redirect the customer's browser to
	 */
	public URI authorizationUri(String sessionId, Collection<String> scopes) {
		return buildUri(sessionId, scopes, null);
	}

	/**
	 * Return the URL of an OpenID Connect authorization request
	 * ({@code GET /authorization}) with the configured scopes: as for OAuth 2.0 plus a
	 * random {@code nonce}, saved in the {@link NonceStore} first.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 */
	public Mono<URI> openIdAuthorizationUri(String sessionId) {
		return openIdAuthorizationUri(sessionId, this.scopes);
	}

	/**
	 * Return the URL of an OpenID Connect authorization request
	 * ({@code GET /authorization}) for the given scopes, with a random {@code nonce}
	 * saved in the {@link NonceStore} first.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @param scopes the scopes, for example {@code openid} and {@code private:account}
	 * @return the URL to redirect the customer's browser to
	 */
	public Mono<URI> openIdAuthorizationUri(String sessionId, Collection<String> scopes) {
		return Mono.defer(() -> {
			requireOpenId();
			String nonce = UUID.randomUUID().toString();
			URI uri = buildUri(sessionId, scopes, nonce);
			return this.nonceStore.save(nonce).thenReturn(uri);
		});
	}

	private URI buildUri(String sessionId, Collection<String> scopes, @Nullable String nonce) {
		Assert.notNull(scopes, "scopes must not be null");
		if (scopes.isEmpty()) {
			throw new IllegalArgumentException(
					"No scopes to ask for: set tokenkit.gmo-aozora.scopes or pass them to this method");
		}
		StringBuilder uri = new StringBuilder(this.authorizationUri.toString());
		uri.append((this.authorizationUri.getRawQuery() != null) ? '&' : '?');
		append(uri, "client_id", this.tokenClient.getClientId()).append('&');
		append(uri, "redirect_uri", this.redirectUri).append('&');
		append(uri, "response_type", "code").append('&');
		append(uri, "scope", String.join(" ", scopes)).append('&');
		append(uri, "state", this.state.generate(sessionId));
		if (nonce != null) {
			append(uri.append('&'), "nonce", nonce);
		}
		return URI.create(uri.toString());
	}

	private static StringBuilder append(StringBuilder uri, String name, String value) {
		return uri.append(name).append('=').append(UriUtils.encode(value, StandardCharsets.UTF_8));
	}

	/**
	 * Check the {@code state} of an authorization callback against the current session.
	 * @param sessionId the id of the session that delivered the callback
	 * @param state the callback's {@code state}
	 * @throws GmoAozoraStateException if it is missing or was made for another session
	 */
	public void verifyState(String sessionId, @Nullable String state) {
		this.state.verify(sessionId, state);
	}

	/**
	 * Exchange an authorization code for tokens: {@code POST /token} with
	 * {@code grant_type=authorization_code}, {@code code} and the configured
	 * {@code redirect_uri}.
	 * @param code the callback's {@code code}
	 * @return the token, with its refresh token (and the raw ID token, if any)
	 */
	public Mono<AccessToken> exchangeCode(String code) {
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.tokenClient.exchange(code, this.redirectUri)
				.map((response) -> toAccessToken(response, sentAt, null, Set.of()));
		});
	}

	/**
	 * Exchange an authorization code of an OpenID Connect authorization for tokens
	 * ({@code POST /token}) and verify the ID token, nonce included (which uses the nonce
	 * up).
	 * @param code the callback's {@code code}
	 * @return the tokens and the verified ID token
	 */
	public Mono<GmoAozoraOpenIdTokens> exchangeCodeForOpenId(String code) {
		return Mono.defer(() -> {
			GmoAozoraIdTokenVerifier verifier = requireOpenId();
			Instant sentAt = this.clock.instant();
			return this.tokenClient.exchange(code, this.redirectUri).flatMap((response) -> {
				String idToken = response.idToken();
				if (idToken == null) {
					return Mono.error(new GmoAozoraIdTokenException(GmoAozoraIdTokenException.Check.MISSING,
							"the token response has no id_token"));
				}
				return verifier.verify(idToken)
					.map((verified) -> new GmoAozoraOpenIdTokens(toAccessToken(response, sentAt, null, Set.of()),
							verified));
			});
		});
	}

	/**
	 * Handle the callback of an OAuth 2.0 authorization: fail on an {@code error}, check
	 * the {@code state} against the session, and exchange the {@code code} for tokens
	 * ({@code POST /token}).
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the token to save with {@link io.tokenkit.token.TokenManager#save}; a
	 * {@link GmoAozoraAuthorizationException} or {@link GmoAozoraStateException} when the
	 * callback is refused
	 */
	public Mono<AccessToken> completeAuthorization(String sessionId, Map<String, String> callbackParameters) {
		return Mono.defer(() -> exchangeCode(checkCallback(sessionId, callbackParameters)));
	}

	/**
	 * Handle the callback of an OpenID Connect authorization: fail on an {@code error},
	 * check the {@code state}, exchange the {@code code} ({@code POST /token}) and verify
	 * the ID token and its nonce.
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the tokens and the verified ID token
	 */
	public Mono<GmoAozoraOpenIdTokens> completeOpenIdAuthorization(String sessionId,
			Map<String, String> callbackParameters) {
		return Mono.defer(() -> {
			requireOpenId();
			return exchangeCodeForOpenId(checkCallback(sessionId, callbackParameters));
		});
	}

	private String checkCallback(String sessionId, Map<String, String> parameters) {
		Assert.notNull(parameters, "callbackParameters must not be null");
		String error = parameters.get("error");
		if (error != null) {
			throw new GmoAozoraAuthorizationException(error, parameters.get("error_description"),
					parameters.get("error_uri"), parameters.get("state"));
		}
		verifyState(sessionId, parameters.get("state"));
		String code = parameters.get("code");
		if (code == null || code.isEmpty()) {
			throw new GmoAozoraAuthorizationException(null, null, null, parameters.get("state"));
		}
		return code;
	}

	/**
	 * Refresh tokens: {@code POST /token} with {@code grant_type=refresh_token}.
	 * @param refreshToken the refresh token
	 * @return the new token; its refresh token is the rotated one, or the one passed in
	 * when the bank sent none
	 */
	public Mono<AccessToken> refresh(String refreshToken) {
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.tokenClient.refresh(refreshToken)
				.map((response) -> toAccessToken(response, sentAt, refreshToken, Set.of()));
		});
	}

	/**
	 * Return the token endpoint client.
	 * @return the token client
	 */
	public GmoAozoraTokenClient getTokenClient() {
		return this.tokenClient;
	}

	private AccessToken toAccessToken(OAuth2TokenResponse response, Instant sentAt,
			@Nullable String previousRefreshToken, Set<String> previousScopes) {
		try {
			return response.toAccessToken(GmoAozoraTokenClient.CLIENT_NAME, sentAt, this.lifetimes,
					previousRefreshToken, previousScopes);
		}
		catch (OAuth2TokenException ex) {
			throw new GmoAozoraTokenException(ex);
		}
	}

	private GmoAozoraIdTokenVerifier requireOpenId() {
		if (this.idTokenVerifier == null) {
			throw new IllegalStateException("OpenID Connect needs an ID-token verifier: add "
					+ "com.nimbusds:nimbus-jose-jwt to the classpath (tokenkit-spring-boot-starter brings it), "
					+ "or define a GmoAozoraIdTokenVerifier bean");
		}
		return this.idTokenVerifier;
	}

	@Override
	public String toString() {
		return "GmoAozoraClient[authorizationUri=" + this.authorizationUri + ", clientId="
				+ this.tokenClient.getClientId() + ", openId=" + (this.idTokenVerifier != null) + "]";
	}

}
