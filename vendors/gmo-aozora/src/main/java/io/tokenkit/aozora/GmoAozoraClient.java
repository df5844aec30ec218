package io.tokenkit.aozora;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.discovery.IssuerMetadata;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.OneTimeValueStore;
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
 * <p>
 * <strong>FAPI 2.0 protections</strong>, each off unless switched on, since the bank
 * documents none of them today:
 * <ul>
 * <li>{@link #withPkce PKCE} (RFC 7636): each request carries a {@code code_challenge}
 * ({@code S256}) and the code exchange its {@code code_verifier}. The request's id
 * travels in the state; its random verifier is kept under the whole state, until the
 * callback of the same session takes it back, in a {@link OneTimeValueStore} (Redis with
 * {@code tokenkit.store.type=redis}), so that any instance of the application completes
 * the callback; the verifier is never put in a URL, logged or shown;</li>
 * <li>{@link #withPushedAuthorization PAR} (RFC 9126): the request's parameters are
 * pushed to the bank first, and the authorization URL carries only {@code client_id} and
 * {@code request_uri};</li>
 * <li>{@link #withIssuerCheck the issuer check} (RFC 9207): a callback is refused with a
 * {@link GmoAozoraIssuerMismatchException} unless its {@code iss} is the bank's
 * issuer;</li>
 * <li>DPoP (RFC 9449), with a token client {@link GmoAozoraTokenClient#withDpop with
 * DPoP}: the code exchange and the refresh carry a new proof on each send, and the token
 * records the key's thumbprint, so that the registration that holds it sends it with
 * proofs of the same key.</li>
 * </ul>
 * With PKCE or PAR an authorization URL needs a saved value or a call to the bank: it is
 * built by {@link #prepareAuthorization(String)} (or {@link #openIdAuthorizationUri}),
 * and the callback completed by {@link #completeAuthorization} (or
 * {@link #completeOpenIdAuthorization}).
 */
public final class GmoAozoraClient {

	/** The namespace of the pending PKCE authorization requests in the store. */
	public static final String PKCE_NAMESPACE = "gmo-aozora-pkce";

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private final URI authorizationUri;

	private final String redirectUri;

	private final List<String> scopes;

	private final GmoAozoraState state;

	private final GmoAozoraTokenClient tokenClient;

	private final NonceStore nonceStore;

	private final @Nullable GmoAozoraIdTokenVerifier idTokenVerifier;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	/** Where the code verifiers of pending PKCE requests are kept, or {@code null}. */
	private final @Nullable PkceRequests pkceRequests;

	private final @Nullable GmoAozoraPushedAuthorizationClient pushedAuthorization;

	/** The issuer a callback's {@code iss} must be, or {@code null} when not checked. */
	private final @Nullable String callbackIssuer;

	/**
	 * The issuer's metadata, read on a callback when there is no issuer check, or
	 * {@code null}.
	 */
	private final @Nullable IssuerMetadata issuerMetadata;

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
		this(authorizationUri, redirectUri, scopes, state, tokenClient, nonceStore, idTokenVerifier, clock, lifetimes,
				null, null, null, null);
	}

	private GmoAozoraClient(URI authorizationUri, String redirectUri, Collection<String> scopes, GmoAozoraState state,
			GmoAozoraTokenClient tokenClient, NonceStore nonceStore, @Nullable GmoAozoraIdTokenVerifier idTokenVerifier,
			Clock clock, TokenLifetimes lifetimes, @Nullable PkceRequests pkceRequests,
			@Nullable GmoAozoraPushedAuthorizationClient pushedAuthorization, @Nullable String callbackIssuer,
			@Nullable IssuerMetadata issuerMetadata) {
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
		this.pkceRequests = pkceRequests;
		this.pushedAuthorization = pushedAuthorization;
		this.callbackIssuer = callbackIssuer;
		this.issuerMetadata = issuerMetadata;
	}

	/**
	 * Return a client with the same settings that sends PKCE (RFC 7636, method
	 * {@code S256}) with each authorization request. Each request gets a random
	 * {@code code_verifier} of 256 bits, kept in the store under the request's whole
	 * state (the session's part and the request id) until the callback of that same
	 * session takes it back, once.
	 * @param requests where the code verifiers of pending requests are kept until their
	 * callback: a store shared by the application's instances (Redis) lets any of them
	 * complete it
	 * @param timeToLive how long a request's callback can be completed
	 * @return the client
	 */
	public GmoAozoraClient withPkce(OneTimeValueStore requests, Duration timeToLive) {
		Assert.notNull(requests, "requests must not be null");
		Assert.notNull(timeToLive, "timeToLive must not be null");
		return new GmoAozoraClient(this.authorizationUri, this.redirectUri, this.scopes, this.state, this.tokenClient,
				this.nonceStore, this.idTokenVerifier, this.clock, this.lifetimes,
				new PkceRequests(requests, timeToLive), this.pushedAuthorization, this.callbackIssuer,
				this.issuerMetadata);
	}

	/**
	 * Return a client with the same settings that pushes each authorization request (RFC
	 * 9126) and sends the browser with {@code client_id} and {@code request_uri} only.
	 * @param pushedAuthorization pushes the requests, authenticating the client as its
	 * token calls do
	 * @return the client
	 */
	public GmoAozoraClient withPushedAuthorization(GmoAozoraPushedAuthorizationClient pushedAuthorization) {
		Assert.notNull(pushedAuthorization, "pushedAuthorization must not be null");
		return new GmoAozoraClient(this.authorizationUri, this.redirectUri, this.scopes, this.state, this.tokenClient,
				this.nonceStore, this.idTokenVerifier, this.clock, this.lifetimes, this.pkceRequests,
				pushedAuthorization, this.callbackIssuer, this.issuerMetadata);
	}

	/**
	 * Return a client with the same settings that checks the {@code iss} of a callback
	 * (RFC 9207): compared exactly with the issuer, and refused with a
	 * {@link GmoAozoraIssuerMismatchException} when it differs or is missing (RFC 9207
	 * §2.4: a client that expects {@code iss} refuses a response without it).
	 * @param issuer the bank's issuer identifier
	 * @return the client
	 */
	public GmoAozoraClient withIssuerCheck(String issuer) {
		Assert.hasText(issuer, "issuer must not be empty");
		return new GmoAozoraClient(this.authorizationUri, this.redirectUri, this.scopes, this.state, this.tokenClient,
				this.nonceStore, this.idTokenVerifier, this.clock, this.lifetimes, this.pkceRequests,
				this.pushedAuthorization, issuer, this.issuerMetadata);
	}

	/**
	 * Return a client with the same settings that, when the issuer's metadata says
	 * {@code authorization_response_iss_parameter_supported: true} (RFC 9207 §3), checks
	 * every callback's {@code iss} against the metadata's issuer as
	 * {@link #withIssuerCheck} does, a missing one refused. The metadata is read on the
	 * callback; with {@link #withIssuerCheck} on, the configured issuer is used instead.
	 * @param metadata the bank's metadata
	 * @return the client
	 */
	public GmoAozoraClient withIssuerMetadata(IssuerMetadata metadata) {
		Assert.notNull(metadata, "metadata must not be null");
		return new GmoAozoraClient(this.authorizationUri, this.redirectUri, this.scopes, this.state, this.tokenClient,
				this.nonceStore, this.idTokenVerifier, this.clock, this.lifetimes, this.pkceRequests,
				this.pushedAuthorization, this.callbackIssuer, metadata);
	}

	/**
	 * Return whether an authorization URL needs a saved value or a call to the bank (PKCE
	 * or PAR on), so that only {@link #prepareAuthorization(String)} and
	 * {@link #openIdAuthorizationUri(String)} build it.
	 * @return whether PKCE or PAR is on
	 */
	public boolean preparesAuthorization() {
		return this.pkceRequests != null || this.pushedAuthorization != null;
	}

	/**
	 * Return the URL of an OAuth 2.0 authorization request ({@code GET /authorization})
	 * with the configured scopes: {@code client_id}, {@code redirect_uri},
	 * {@code response_type=code}, {@code scope} and {@code state}; no {@code nonce}.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 * @throws IllegalStateException with PKCE or PAR, whose URL
	 * {@link #prepareAuthorization(String)} builds
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
	 * @throws IllegalStateException with PKCE or PAR, whose URL
	 * {@link #prepareAuthorization(String, Collection)} builds
	 */
	public URI authorizationUri(String sessionId, Collection<String> scopes) {
		if (preparesAuthorization()) {
			throw new IllegalStateException("With PKCE or PAR (tokenkit.gmo-aozora.pkce, par) an authorization URL "
					+ "needs a saved value or a call to the bank: use prepareAuthorization(sessionId), or "
					+ "BlockingGmoAozoraClient.authorizationUri, which waits for it");
		}
		return buildUri(parameters(sessionId, scopes, null));
	}

	/**
	 * Prepare an OAuth 2.0 authorization request with the configured scopes and return
	 * its URL: as {@link #authorizationUri(String)}, and with PKCE its
	 * {@code code_challenge} (the request saved first), with PAR pushed to the bank
	 * ({@code POST} to its pushed authorization request endpoint) and the URL carrying
	 * {@code client_id} and {@code request_uri} only. With PAR the URL lasts only as long
	 * as the bank's {@code expires_in} (counted from the push): redirect to it at once,
	 * never keep it; an answer that arrives after that time fails with a
	 * {@link GmoAozoraPushedAuthorizationException} instead of giving a URL that ends on
	 * the bank's error page. With PKCE, the code verifier of a request whose push failed
	 * is removed from the store.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 */
	public Mono<URI> prepareAuthorization(String sessionId) {
		return prepareAuthorization(sessionId, this.scopes);
	}

	/**
	 * Prepare an OAuth 2.0 authorization request for the given scopes and return its URL,
	 * as {@link #prepareAuthorization(String)}.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @param scopes the scopes, for example {@code private:account}
	 * @return the URL to redirect the customer's browser to
	 */
	public Mono<URI> prepareAuthorization(String sessionId, Collection<String> scopes) {
		return Mono.defer(() -> prepare(sessionId, scopes, null));
	}

	/**
	 * Return the URL of an OpenID Connect authorization request
	 * ({@code GET /authorization}) with the configured scopes: as for OAuth 2.0 plus a
	 * random {@code nonce}, saved in the {@link NonceStore} first; with PKCE and PAR as
	 * {@link #prepareAuthorization(String)}.
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
			return prepare(sessionId, scopes, UUID.randomUUID().toString());
		});
	}

	private Mono<URI> prepare(String sessionId, Collection<String> scopes, @Nullable String nonce) {
		Map<String, String> parameters = parameters(sessionId, scopes, nonce);
		Mono<Void> saved = (nonce != null) ? this.nonceStore.save(nonce) : Mono.empty();
		PkceRequests pkce = this.pkceRequests;
		String requestState = null;
		if (pkce != null) {
			requestState = this.state.generate(sessionId, randomBase64Url());
			String codeVerifier = randomBase64Url();
			parameters.put("state", requestState);
			parameters.put("code_challenge", GmoAozoraState.codeChallenge(codeVerifier));
			parameters.put("code_challenge_method", "S256");
			saved = saved.then(pkce.store().keep(PKCE_NAMESPACE, requestState, codeVerifier, pkce.timeToLive()));
		}
		GmoAozoraPushedAuthorizationClient pushed = this.pushedAuthorization;
		if (pushed == null) {
			return saved.thenReturn(buildUri(parameters));
		}
		Mono<URI> uri = saved.then(pushed.push(parameters)).map((answer) -> {
			if (answer.isExpired(pushed.now())) {
				throw new GmoAozoraPushedAuthorizationException("The request_uri of the pushed authorization request "
						+ "expired before its authorization URL was built (the bank gave it "
						+ answer.expiresIn().toSeconds() + " s, counted from the push), so the customer would land on "
						+ "the bank's error page; prepare the authorization again, and if this repeats, the pushes "
						+ "answer too slowly for that lifetime (check the network and tokenkit.token-calls.*)", 0, null,
						null);
			}
			Map<String, String> reference = new LinkedHashMap<>();
			reference.put("client_id", this.tokenClient.getClientId());
			reference.put("request_uri", answer.requestUri());
			return buildUri(reference);
		});
		return (pkce != null && requestState != null) ? discardOnError(uri, pkce, requestState) : uri;
	}

	/**
	 * Take back, unused, the code verifier of a request whose push failed, so that it
	 * does not wait in the store for a callback that cannot come; the push's error is
	 * passed on, whether or not the store answers.
	 */
	private static Mono<URI> discardOnError(Mono<URI> uri, PkceRequests pkce, String requestState) {
		return uri.onErrorResume((error) -> pkce.store()
			.take(PKCE_NAMESPACE, requestState)
			.onErrorResume((storeError) -> Mono.empty())
			.then(Mono.error(error)));
	}

	/** Return 256 random bits in base64url, 43 characters. */
	private static String randomBase64Url() {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return base64Url.encodeToString(bytes);
	}

	private Map<String, String> parameters(String sessionId, Collection<String> scopes, @Nullable String nonce) {
		Assert.notNull(scopes, "scopes must not be null");
		if (scopes.isEmpty()) {
			throw new IllegalArgumentException(
					"No scopes to ask for: set tokenkit.gmo-aozora.scopes or pass them to this method");
		}
		Map<String, String> parameters = new LinkedHashMap<>();
		parameters.put("client_id", this.tokenClient.getClientId());
		parameters.put("redirect_uri", this.redirectUri);
		parameters.put("response_type", "code");
		parameters.put("scope", String.join(" ", scopes));
		parameters.put("state", this.state.generate(sessionId));
		if (nonce != null) {
			parameters.put("nonce", nonce);
		}
		return parameters;
	}

	private URI buildUri(Map<String, String> parameters) {
		StringBuilder uri = new StringBuilder(this.authorizationUri.toString());
		char separator = (this.authorizationUri.getRawQuery() != null) ? '&' : '?';
		for (Map.Entry<String, String> parameter : parameters.entrySet()) {
			append(uri.append(separator), parameter.getKey(), parameter.getValue());
			separator = '&';
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
	 * (with PKCE: or names no request)
	 */
	public void verifyState(String sessionId, @Nullable String state) {
		if (this.pkceRequests != null) {
			this.state.verifyRequest(sessionId, state);
		}
		else {
			this.state.verify(sessionId, state);
		}
	}

	/**
	 * Exchange an authorization code for tokens: {@code POST /token} with
	 * {@code grant_type=authorization_code}, {@code code} and the configured
	 * {@code redirect_uri}.
	 * @param code the callback's {@code code}
	 * @return the token, with its refresh token (and the raw ID token, if any)
	 * @throws IllegalStateException with PKCE, whose code verifier only
	 * {@link #completeAuthorization} finds
	 */
	public Mono<AccessToken> exchangeCode(String code) {
		return Mono.defer(() -> {
			requireNoPkce();
			return exchange(code, null);
		});
	}

	private Mono<AccessToken> exchange(String code, @Nullable String codeVerifier) {
		Instant sentAt = this.clock.instant();
		return this.tokenClient.exchange(code, this.redirectUri, codeVerifier)
			.map((response) -> toAccessToken(response, sentAt, null, Set.of()));
	}

	private void requireNoPkce() {
		if (this.pkceRequests != null) {
			throw new IllegalStateException("With PKCE (tokenkit.gmo-aozora.pkce) the code verifier is found "
					+ "through the callback's state: use completeAuthorization or completeOpenIdAuthorization");
		}
	}

	/**
	 * Exchange an authorization code of an OpenID Connect authorization for tokens
	 * ({@code POST /token}) and verify the ID token, nonce included (which uses the nonce
	 * up).
	 * @param code the callback's {@code code}
	 * @return the tokens and the verified ID token
	 * @throws IllegalStateException with PKCE, whose code verifier only
	 * {@link #completeOpenIdAuthorization} finds
	 */
	public Mono<GmoAozoraOpenIdTokens> exchangeCodeForOpenId(String code) {
		return Mono.defer(() -> {
			requireNoPkce();
			return exchangeForOpenId(code, null);
		});
	}

	private Mono<GmoAozoraOpenIdTokens> exchangeForOpenId(String code, @Nullable String codeVerifier) {
		GmoAozoraIdTokenVerifier verifier = requireOpenId();
		Instant sentAt = this.clock.instant();
		return this.tokenClient.exchange(code, this.redirectUri, codeVerifier).flatMap((response) -> {
			String idToken = response.idToken();
			if (idToken == null) {
				return Mono.error(new GmoAozoraIdTokenException(GmoAozoraIdTokenException.Check.MISSING,
						"the token response has no id_token"));
			}
			return verifier.verify(idToken)
				.map((verified) -> new GmoAozoraOpenIdTokens(toAccessToken(response, sentAt, null, Set.of()),
						verified));
		});
	}

	/**
	 * Handle the callback of an OAuth 2.0 authorization: with the issuer check, refuse a
	 * foreign {@code iss}; fail on an {@code error}; check the {@code state} against the
	 * session; with PKCE, use the pending request up; and exchange the {@code code} for
	 * tokens ({@code POST /token}, with PKCE its {@code code_verifier}).
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the token to save with {@link io.tokenkit.token.TokenManager#save}; a
	 * {@link GmoAozoraIssuerMismatchException}, {@link GmoAozoraAuthorizationException}
	 * or {@link GmoAozoraStateException} when the callback is refused
	 */
	public Mono<AccessToken> completeAuthorization(String sessionId, Map<String, String> callbackParameters) {
		return Mono.defer(() -> checkedCallback(sessionId, callbackParameters)
			.flatMap((callback) -> redeem(callback, this::exchange)));
	}

	/**
	 * Handle the callback of an OpenID Connect authorization: as
	 * {@link #completeAuthorization}, then verify the ID token and its nonce.
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the tokens and the verified ID token
	 */
	public Mono<GmoAozoraOpenIdTokens> completeOpenIdAuthorization(String sessionId,
			Map<String, String> callbackParameters) {
		return Mono.defer(() -> {
			requireOpenId();
			return checkedCallback(sessionId, callbackParameters)
				.flatMap((callback) -> redeem(callback, this::exchangeForOpenId));
		});
	}

	/**
	 * Check a callback against the issuer expected: the configured one with the issuer
	 * check, else the metadata's when it says the bank sends {@code iss}, else none.
	 */
	private Mono<Callback> checkedCallback(String sessionId, Map<String, String> parameters) {
		Assert.notNull(parameters, "callbackParameters must not be null");
		IssuerMetadata metadata = this.issuerMetadata;
		if (this.callbackIssuer != null || metadata == null) {
			return Mono.fromCallable(() -> checkCallback(sessionId, parameters, this.callbackIssuer));
		}
		return metadata.get()
			.map((server) -> checkCallback(sessionId, parameters,
					server.authorizationResponseIssParameterSupported() ? server.issuer() : null));
	}

	private Callback checkCallback(String sessionId, Map<String, String> parameters, @Nullable String expectedIssuer) {
		String issuer = parameters.get("iss");
		if (expectedIssuer != null && !expectedIssuer.equals(issuer)) {
			throw (issuer != null) ? new GmoAozoraIssuerMismatchException(expectedIssuer, issuer)
					: GmoAozoraIssuerMismatchException.missing(expectedIssuer);
		}
		String error = parameters.get("error");
		if (error != null) {
			throw new GmoAozoraAuthorizationException(error, parameters.get("error_description"),
					parameters.get("error_uri"), parameters.get("state"));
		}
		String requestState = null;
		if (this.pkceRequests != null) {
			// the key of the request is rebuilt from this session, never taken from the
			// callback, so that another session's request cannot be completed here
			requestState = this.state.generate(sessionId, this.state.verifyRequest(sessionId, parameters.get("state")));
		}
		else {
			this.state.verify(sessionId, parameters.get("state"));
		}
		String code = parameters.get("code");
		if (code == null || code.isEmpty()) {
			throw new GmoAozoraAuthorizationException(null, null, null, parameters.get("state"));
		}
		return new Callback(code, requestState);
	}

	/**
	 * Exchange the code of a checked callback; with PKCE, once its pending request is
	 * used up, with the request's code verifier.
	 */
	private <T> Mono<T> redeem(Callback callback, BiFunction<String, @Nullable String, Mono<T>> exchange) {
		String requestState = callback.requestState();
		PkceRequests pkce = this.pkceRequests;
		if (requestState == null || pkce == null) {
			return exchange.apply(callback.code(), null);
		}
		return pkce.store()
			.take(PKCE_NAMESPACE, requestState)
			.switchIfEmpty(Mono.error(() -> new GmoAozoraStateException("The authorization request of this callback is "
					+ "unknown, expired (tokenkit.gmo-aozora.nonce-time-to-live), already completed or was started "
					+ "by another session: start a new authorization; with several instances, keep the requests "
					+ "in a shared store (tokenkit.store.type=redis)")))
			.flatMap((codeVerifier) -> exchange.apply(callback.code(), codeVerifier));
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
			return this.tokenClient.bind(response.toAccessToken(GmoAozoraTokenClient.CLIENT_NAME, sentAt,
					this.lifetimes, previousRefreshToken, previousScopes));
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
				+ this.tokenClient.getClientId() + ", openId=" + (this.idTokenVerifier != null) + ", pkce="
				+ (this.pkceRequests != null) + ", par=" + (this.pushedAuthorization != null) + ", issuerCheck="
				+ (this.callbackIssuer != null) + "]";
	}

	/**
	 * A callback that passed the checks: its code, and with PKCE the state its request's
	 * code verifier is kept under, rebuilt for the session that delivered it.
	 */
	private record Callback(String code, @Nullable String requestState) {

	}

	/**
	 * Where the code verifiers of pending PKCE requests are kept, and for how long.
	 */
	private record PkceRequests(OneTimeValueStore store, Duration timeToLive) {

	}

}
