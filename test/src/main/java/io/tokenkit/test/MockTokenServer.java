package io.tokenkit.test;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.test.server.Answer;
import io.tokenkit.test.server.JwtSigner;
import io.tokenkit.test.server.LoopbackServer;
import io.tokenkit.test.server.Tokens;

/**
 * An OAuth 2.0 authorization server for tests, on 127.0.0.1 and a free port: one token
 * endpoint per registration id ({@code client_credentials} and {@code refresh_token}
 * grants, optional rotation of refresh tokens with reuse detection), opaque or JWT access
 * tokens with a chosen lifetime, a JWK Set and discovery metadata (OpenID Connect and RFC
 * 8414) per registration. Each registration, created on first use, is scripted through
 * {@link #registration(String)}: failures, delays, {@code 429} answers, revocations,
 * expiry. Every call is counted and recorded.
 * <p>
 * A plain server (the JDK's {@code com.sun.net.httpserver}), not a Spring application:
 * start it with {@link #start()} and close it, or let
 * {@link AutoConfigureMockTokenServer @AutoConfigureMockTokenServer} do both. Its paths,
 * for a registration {@code <id>}:
 * <ul>
 * <li>{@code POST /<id>/token}: the token endpoint;</li>
 * <li>{@code GET /<id>/jwks}: the JWK Set;</li>
 * <li>{@code GET /<id>/.well-known/openid-configuration} and
 * {@code GET /.well-known/oauth-authorization-server/<id>}: the metadata of the issuer
 * {@code http://127.0.0.1:<port>/<id>}.</li>
 * </ul>
 */
public final class MockTokenServer implements AutoCloseable {

	private static final String TOKEN_PATH = "/token";

	private static final String JWKS_PATH = "/jwks";

	private static final String OIDC_METADATA_PATH = "/.well-known/openid-configuration";

	private static final String OAUTH_METADATA_PREFIX = "/.well-known/oauth-authorization-server/";

	private final Clock clock;

	private final LoopbackServer http;

	private final Map<String, MockRegistration> registrations = new ConcurrentHashMap<>();

	private final Map<String, IssuedAccessToken> accessTokens = new ConcurrentHashMap<>();

	/** Refresh tokens by value; guarded by {@link #refreshLock}. */
	private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();

	private final Set<Long> revokedChains = ConcurrentHashMap.newKeySet();

	private final ReentrantLock refreshLock = new ReentrantLock();

	private final AtomicLong sequence = new AtomicLong();

	/** Access tokens with a sequence number up to this one are expired. */
	private volatile long expiredUpTo;

	/**
	 * Per registration: access tokens with a sequence number up to this one are expired.
	 */
	private final Map<String, Long> registrationExpiredUpTo = new ConcurrentHashMap<>();

	private volatile JwtSigner signer;

	private MockTokenServer(Clock clock) {
		this.clock = clock;
		this.http = new LoopbackServer("mock-token-server", this::answer);
	}

	/**
	 * Start a server on a free loopback port, telling time by the system clock.
	 * @return the running server
	 */
	public static MockTokenServer start() {
		return start(Clock.systemUTC());
	}

	/**
	 * Start a server on a free loopback port that tells time (issue times, expiry) by
	 * {@code clock}.
	 * @param clock the clock
	 * @return the running server
	 */
	public static MockTokenServer start(Clock clock) {
		if (clock == null) {
			throw new IllegalArgumentException("clock must not be null");
		}
		return new MockTokenServer(clock);
	}

	/**
	 * Return the server's base URL, {@code http://127.0.0.1:<port>}.
	 * @return the base URL
	 */
	public String baseUrl() {
		return this.http.baseUrl();
	}

	/**
	 * Return a registration, created with the defaults (opaque tokens valid an hour,
	 * rotating refresh tokens, no script) on first use. A call to an id's token endpoint
	 * creates it too.
	 * @param id the registration id, as in {@code tokenkit.registrations.<id>}
	 * @return the registration
	 */
	public MockRegistration registration(String id) {
		if (id == null || id.isEmpty()) {
			throw new IllegalArgumentException("A registration id must not be empty");
		}
		return this.registrations.computeIfAbsent(id, (key) -> new MockRegistration(this, key));
	}

	/**
	 * Return the token endpoint of a registration.
	 * @param id the registration id
	 * @return the URL of its token endpoint
	 */
	public String tokenUri(String id) {
		return issuerUri(id) + TOKEN_PATH;
	}

	/**
	 * Return the issuer of a registration, whose discovery metadata names its token
	 * endpoint and JWK Set.
	 * @param id the registration id
	 * @return the issuer URI
	 */
	public String issuerUri(String id) {
		return baseUrl() + "/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
	}

	/**
	 * Return the JWK Set URL of a registration.
	 * @param id the registration id
	 * @return the JWK Set URI
	 */
	public String jwkSetUri(String id) {
		return issuerUri(id) + JWKS_PATH;
	}

	/**
	 * Return how many token calls a registration received.
	 * @param id the registration id
	 * @return the count
	 */
	public int tokenCalls(String id) {
		return registration(id).tokenCalls();
	}

	/**
	 * Return how many token calls of one grant a registration received.
	 * @param id the registration id
	 * @param grantType the grant type, such as {@code refresh_token}
	 * @return the count
	 */
	public int tokenCalls(String id, String grantType) {
		return registration(id).tokenCalls(grantType);
	}

	/**
	 * Return every token call a registration received, in order of arrival.
	 * @param id the registration id
	 * @return the calls
	 */
	public List<TokenRequest> requests(String id) {
		return registration(id).requests();
	}

	/**
	 * Return the last token call a registration received, or {@code null}.
	 * @param id the registration id
	 * @return the last call
	 */
	public TokenRequest lastRequest(String id) {
		return registration(id).lastRequest();
	}

	/**
	 * Expire every access token issued so far, by every registration: the resource-server
	 * stand-in refuses them from now on. Refresh tokens stay valid.
	 */
	public void expireAllTokens() {
		this.expiredUpTo = this.sequence.get();
	}

	/**
	 * Return whether this server issued {@code accessToken} (or accepts it as a static
	 * token), expired or not.
	 * @param accessToken the token
	 * @return whether it is one of this server's
	 */
	public boolean issued(String accessToken) {
		return accessToken != null && this.accessTokens.containsKey(accessToken);
	}

	/**
	 * Return whether {@code accessToken} is valid now: issued by this server, not past
	 * its lifetime, not expired by {@link #expireAllTokens()} or
	 * {@link MockRegistration#expireTokens()}, and not of a revoked refresh-token chain.
	 * @param accessToken the token
	 * @return whether a resource server would accept it
	 */
	public boolean isActive(String accessToken) {
		IssuedAccessToken token = (accessToken != null) ? this.accessTokens.get(accessToken) : null;
		if (token == null || token.sequence() <= this.expiredUpTo
				|| token.sequence() <= this.registrationExpiredUpTo.getOrDefault(token.registrationId(), 0L)) {
			return false;
		}
		if (token.chain() != 0 && this.revokedChains.contains(token.chain())) {
			return false;
		}
		return token.expiresAt() == null || this.clock.instant().isBefore(token.expiresAt());
	}

	/**
	 * Return the registration that issued {@code accessToken}, or {@code null}.
	 * @param accessToken the token
	 * @return the registration id
	 */
	public String registrationOf(String accessToken) {
		IssuedAccessToken token = (accessToken != null) ? this.accessTokens.get(accessToken) : null;
		return (token != null) ? token.registrationId() : null;
	}

	/**
	 * Return the user {@code accessToken} was issued for (the subject of
	 * {@link MockRegistration#issueRefreshToken(String)} and of the refreshes that
	 * followed), or {@code null} for an application's token.
	 * @param accessToken the token
	 * @return the subject
	 */
	public String subjectOf(String accessToken) {
		IssuedAccessToken token = (accessToken != null) ? this.accessTokens.get(accessToken) : null;
		return (token != null) ? token.subject() : null;
	}

	/**
	 * Forget every registration's calls and scripts ({@link MockRegistration#reset()});
	 * tokens already issued stay valid.
	 */
	public void reset() {
		this.registrations.values().forEach(MockRegistration::reset);
	}

	/**
	 * Wait until no call has been running, received or answered for {@code quiet}, at
	 * most {@code atMost}: a call an application starts in the background (a refresh
	 * ahead of expiry) is then counted.
	 * @param quiet how long the server must have been quiet
	 * @param atMost the longest wait
	 * @return whether the server was quiet in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitQuiet(Duration quiet, Duration atMost) throws InterruptedException {
		return this.http.awaitQuiet(quiet, atMost);
	}

	@Override
	public void close() {
		this.http.close();
	}

	@Override
	public String toString() {
		return "MockTokenServer[" + baseUrl() + ", registrations=" + this.registrations.keySet() + "]";
	}

	IssuedTokens issueFirstTokens(MockRegistration registration, String subject) {
		long chain = this.sequence.incrementAndGet();
		String refreshToken = newRefreshToken(registration, subject, chain, List.of());
		IssuedAccessToken accessToken = issueAccessToken(registration, subject, null, List.of(), chain);
		return new IssuedTokens(accessToken.value(), refreshToken, accessToken.issuedAt(), accessToken.expiresAt(),
				List.of());
	}

	void acceptStaticToken(MockRegistration registration, String token) {
		this.accessTokens.put(token, new IssuedAccessToken(token, registration.id(), null,
				this.sequence.incrementAndGet(), 0, this.clock.instant(), null));
	}

	void revokeRefreshToken(MockRegistration registration, String refreshToken) {
		RefreshToken token = this.refreshTokens.get(refreshToken);
		if (token == null || !token.registrationId().equals(registration.id())) {
			throw new IllegalArgumentException("Registration '" + registration.id()
					+ "' did not issue this refresh token: pass one it issued (from issueRefreshToken or a refresh)");
		}
		this.revokedChains.add(token.chain());
	}

	void expireTokens(MockRegistration registration) {
		this.registrationExpiredUpTo.put(registration.id(), this.sequence.get());
	}

	private Answer answer(HttpExchange exchange) {
		String path = exchange.getRequestURI().getRawPath();
		String method = exchange.getRequestMethod();
		if (path.startsWith(OAUTH_METADATA_PREFIX) && "GET".equals(method)) {
			return metadata(decode(path.substring(OAUTH_METADATA_PREFIX.length())), false);
		}
		int slash = path.indexOf('/', 1);
		if (slash < 0) {
			return notFound(path);
		}
		String id = decode(path.substring(1, slash));
		String rest = path.substring(slash);
		if (TOKEN_PATH.equals(rest) && "POST".equals(method)) {
			return token(registration(id), exchange);
		}
		if (JWKS_PATH.equals(rest) && "GET".equals(method)) {
			return Answer.json(200, signer().jwkSet());
		}
		if (OIDC_METADATA_PATH.equals(rest) && "GET".equals(method)) {
			return metadata(id, true);
		}
		return notFound(path);
	}

	private Answer token(MockRegistration registration, HttpExchange exchange) {
		Instant receivedAt = this.clock.instant();
		Map<String, String> form = LoopbackServer.form(LoopbackServer.body(exchange));
		Map<String, String> headers = new LinkedHashMap<>();
		exchange.getRequestHeaders().forEach((name, values) -> headers.put(name, values.get(0)));
		String[] client = client(exchange.getRequestHeaders().getFirst("Authorization"), form);
		String grantType = form.get("grant_type");
		registration.count(grantType);
		Answer answer = registration.nextScripted();
		if (answer == null) {
			answer = grant(registration, grantType, client, form);
		}
		registration.record(new TokenRequest(registration.id(), grantType, client[0], client[1], form, headers,
				answer.status(), error(answer), receivedAt));
		return answer.delayedBy(registration.currentDelay());
	}

	private Answer grant(MockRegistration registration, String grantType, String[] client, Map<String, String> form) {
		if (!registration.acceptsClient(client[0], client[1])) {
			return error(401, "invalid_client", "client authentication failed").withHeader("WWW-Authenticate",
					"Basic realm=\"" + registration.id() + "\"");
		}
		List<String> scopes = scopes(form.get("scope"));
		if ("client_credentials".equals(grantType)) {
			IssuedAccessToken token = issueAccessToken(registration, null, client[0], scopes, 0);
			return tokenAnswer(token, null, scopes);
		}
		if ("refresh_token".equals(grantType)) {
			return refresh(registration, form.get("refresh_token"), client[0], scopes);
		}
		return error(400, "unsupported_grant_type",
				"the mock token server answers client_credentials and refresh_token, not " + grantType);
	}

	private Answer refresh(MockRegistration registration, String presented, String clientId, List<String> asked) {
		this.refreshLock.lock();
		try {
			RefreshToken token = (presented != null) ? this.refreshTokens.get(presented) : null;
			if (token == null || !token.registrationId().equals(registration.id())) {
				return error(400, "invalid_grant", "unknown refresh token");
			}
			if (this.revokedChains.contains(token.chain())) {
				return error(400, "invalid_grant", "refresh token revoked");
			}
			if (token.retired()) {
				// reuse detected: the whole chain (the user's session) ends
				this.revokedChains.add(token.chain());
				return error(400, "invalid_grant", "Maximum allowed refresh token reuse exceeded");
			}
			List<String> scopes = asked.isEmpty() ? token.scopes() : asked;
			String next = null;
			if (registration.rotatesRefreshTokens()) {
				this.refreshTokens.put(presented, token.retire());
				next = newRefreshToken(registration, token.subject(), token.chain(), scopes);
			}
			IssuedAccessToken accessToken = issueAccessToken(registration, token.subject(), clientId, scopes,
					token.chain());
			return tokenAnswer(accessToken, next, asked);
		}
		finally {
			this.refreshLock.unlock();
		}
	}

	private String newRefreshToken(MockRegistration registration, String subject, long chain, List<String> scopes) {
		String value = "rt-" + this.sequence.incrementAndGet() + "-" + randomText();
		this.refreshTokens.put(value, new RefreshToken(registration.id(), subject, chain, scopes, false));
		return value;
	}

	private IssuedAccessToken issueAccessToken(MockRegistration registration, String subject, String clientId,
			List<String> scopes, long chain) {
		long sequence = this.sequence.incrementAndGet();
		Instant issuedAt = this.clock.instant();
		Instant expiresAt = issuedAt.plus(registration.lifetime());
		String value;
		if (registration.format() == TokenFormat.JWT) {
			Map<String, Object> claims = new LinkedHashMap<>();
			claims.put("iss", issuerUri(registration.id()));
			String client = (clientId != null) ? clientId : registration.defaultClientId();
			claims.put("aud", registration.audience());
			claims.put("sub", (subject != null) ? subject : client);
			claims.put("client_id", client);
			if (!scopes.isEmpty()) {
				claims.put("scope", String.join(" ", scopes));
			}
			claims.put("iat", issuedAt.getEpochSecond());
			claims.put("exp", expiresAt.getEpochSecond());
			claims.put("jti", "at-" + sequence);
			value = signer().sign(claims);
		}
		else {
			value = "at-" + sequence + "-" + randomText();
		}
		IssuedAccessToken token = new IssuedAccessToken(value, registration.id(), subject, sequence, chain, issuedAt,
				expiresAt);
		this.accessTokens.put(value, token);
		return token;
	}

	private Answer tokenAnswer(IssuedAccessToken token, String refreshToken, List<String> scopes) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", token.value());
		body.put("token_type", "Bearer");
		body.put("expires_in", Duration.between(token.issuedAt(), token.expiresAt()).toSeconds());
		if (refreshToken != null) {
			body.put("refresh_token", refreshToken);
		}
		if (!scopes.isEmpty()) {
			body.put("scope", String.join(" ", scopes));
		}
		return notCached(Answer.json(200, JsonMapper.shared().writeValueAsString(body)));
	}

	private Answer metadata(String id, boolean openIdConnect) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("issuer", issuerUri(id));
		metadata.put("token_endpoint", tokenUri(id));
		metadata.put("jwks_uri", jwkSetUri(id));
		metadata.put("grant_types_supported", List.of("client_credentials", "refresh_token"));
		metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		if (openIdConnect) {
			metadata.put("authorization_endpoint", issuerUri(id) + "/authorize");
			metadata.put("response_types_supported", List.of("code"));
			metadata.put("subject_types_supported", List.of("public"));
			metadata.put("id_token_signing_alg_values_supported", List.of("RS256"));
		}
		return Answer.json(200, JsonMapper.shared().writeValueAsString(metadata));
	}

	private JwtSigner signer() {
		JwtSigner signer = this.signer;
		if (signer == null) {
			this.refreshLock.lock();
			try {
				if (this.signer == null) {
					this.signer = new JwtSigner();
				}
				signer = this.signer;
			}
			finally {
				this.refreshLock.unlock();
			}
		}
		return signer;
	}

	private static String randomText() {
		return Tokens.random(18);
	}

	/**
	 * Return the client id and secret, from HTTP Basic or the form; either may be null.
	 */
	private static String[] client(String authorization, Map<String, String> form) {
		if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
			try {
				String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
						StandardCharsets.UTF_8);
				int colon = decoded.indexOf(':');
				if (colon >= 0) {
					return new String[] { decode(decoded.substring(0, colon)), decode(decoded.substring(colon + 1)) };
				}
			}
			catch (IllegalArgumentException ex) {
				// not Base64: treated as no credentials
			}
		}
		return new String[] { form.get("client_id"), form.get("client_secret") };
	}

	private static List<String> scopes(String scope) {
		return (scope == null || scope.isBlank()) ? List.of() : List.of(scope.trim().split("\\s+"));
	}

	private static String error(Answer answer) {
		if (answer.status() < 400 || answer.body().isEmpty()) {
			return null;
		}
		try {
			Object error = JsonMapper.shared().readValue(answer.body(), Map.class).get("error");
			return (error instanceof String text) ? text : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private static Answer error(int status, String error, String description) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("error", error);
		body.put("error_description", description);
		return notCached(Answer.json(status, JsonMapper.shared().writeValueAsString(body)));
	}

	/** A token endpoint's answer, which no cache keeps (RFC 6749 5.1 and 5.2). */
	private static Answer notCached(Answer answer) {
		return answer.withHeader("Cache-Control", "no-store").withHeader("Pragma", "no-cache");
	}

	private static Answer notFound(String path) {
		return error(404, "not_found", "the mock token server has no " + path + " (see MockTokenServer's javadoc)");
	}

	private static String decode(String text) {
		return URLDecoder.decode(text, StandardCharsets.UTF_8);
	}

	private record IssuedAccessToken(String value, String registrationId, String subject, long sequence, long chain,
			Instant issuedAt, Instant expiresAt) {

	}

	private record RefreshToken(String registrationId, String subject, long chain, List<String> scopes,
			boolean retired) {

		RefreshToken retire() {
			return new RefreshToken(this.registrationId, this.subject, this.chain, this.scopes, true);
		}

	}

}
