package io.tokenkit.test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.test.server.Answer;

/**
 * One registration of a {@link MockTokenServer}: its endpoints, how it issues tokens,
 * what it is scripted to answer next, and the calls it received. Obtained from
 * {@link MockTokenServer#registration(String)}; every method may be called while calls
 * are under way, and each setter returns this registration for chaining.
 */
public final class MockRegistration {

	private static final Duration DEFAULT_LIFETIME = Duration.ofHours(1);

	private final MockTokenServer server;

	private final String id;

	private final Queue<Answer> scripted = new ConcurrentLinkedQueue<>();

	private final List<TokenRequest> requests = new CopyOnWriteArrayList<>();

	private final Map<String, AtomicInteger> callsByGrant = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private volatile TokenFormat format = TokenFormat.OPAQUE;

	private volatile Duration lifetime = DEFAULT_LIFETIME;

	private volatile boolean rotateRefreshTokens = true;

	private volatile Duration delay = Duration.ZERO;

	private volatile String requiredClientId;

	private volatile String audience;

	private volatile String requiredClientSecret;

	MockRegistration(MockTokenServer server, String id) {
		this.server = server;
		this.id = id;
	}

	/**
	 * Return the registration's id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the URL of the registration's token endpoint, where {@code token-uri}
	 * points.
	 * @return the token endpoint
	 */
	public String tokenUri() {
		return this.server.tokenUri(this.id);
	}

	/**
	 * Return the registration's issuer: its discovery documents are at
	 * {@code <issuer>/.well-known/openid-configuration} and at
	 * {@code /.well-known/oauth-authorization-server/<id>}.
	 * @return the issuer URI
	 */
	public String issuerUri() {
		return this.server.issuerUri(this.id);
	}

	/**
	 * Return the URL of the JWK Set that verifies the registration's JWT access tokens.
	 * @return the JWK Set URI
	 */
	public String jwkSetUri() {
		return this.server.jwkSetUri(this.id);
	}

	/**
	 * Issue access tokens of this form from now on (opaque unless set).
	 * @param format the form
	 * @return this registration
	 */
	public MockRegistration accessTokens(TokenFormat format) {
		this.format = (format != null) ? format : TokenFormat.OPAQUE;
		return this;
	}

	/**
	 * Issue access tokens valid this long from now on ({@code expires_in}; an hour unless
	 * set).
	 * @param lifetime the lifetime
	 * @return this registration
	 */
	public MockRegistration expiresIn(Duration lifetime) {
		this.lifetime = requirePositive(lifetime, "lifetime");
		return this;
	}

	/**
	 * Name this audience in the {@code aud} claim of JWT access tokens from now on (the
	 * registration's id unless set), such as the resource server's URL.
	 * @param audience the audience, or {@code null} for the registration's id
	 * @return this registration
	 */
	public MockRegistration audience(String audience) {
		this.audience = audience;
		return this;
	}

	/**
	 * Whether a refresh answers a new refresh token and retires the one presented (the
	 * default). A retired refresh token presented again is refused with
	 * {@code invalid_grant} and ends its whole chain, as Keycloak does with single-use
	 * refresh tokens: the refresh token issued for the first use is refused too. Without
	 * rotation, a refresh answers no refresh token and the one presented stays valid.
	 * @param rotate whether refresh tokens rotate
	 * @return this registration
	 */
	public MockRegistration rotateRefreshTokens(boolean rotate) {
		this.rotateRefreshTokens = rotate;
		return this;
	}

	/**
	 * Send every answer this long after the call arrived (counted and recorded at once),
	 * until set again; {@link Duration#ZERO} answers at once.
	 * @param delay the delay
	 * @return this registration
	 */
	public MockRegistration delay(Duration delay) {
		this.delay = (delay != null && !delay.isNegative()) ? delay : Duration.ZERO;
		return this;
	}

	/**
	 * Answer the next {@code times} token calls with {@code status} and a JSON
	 * {@code body}, whatever they ask; the calls are counted and recorded, nothing is
	 * issued. Scripted answers are used in the order they were scripted.
	 * @param times how many calls
	 * @param status the status, such as 503 or 400
	 * @param body the JSON body, such as {@code {"error":"invalid_client"}}
	 * @return this registration
	 */
	public MockRegistration failNext(int times, int status, String body) {
		for (int i = 0; i < times; i++) {
			this.scripted.add(Answer.json(status, (body != null) ? body : ""));
		}
		return this;
	}

	/**
	 * Answer the next {@code times} token calls with {@code 429 Too Many Requests} and a
	 * {@code Retry-After} header of {@code retryAfter}, in whole seconds (rounded up).
	 * @param times how many calls
	 * @param retryAfter the wait the answer asks for
	 * @return this registration
	 */
	public MockRegistration throttleNext(int times, Duration retryAfter) {
		long seconds = (requirePositive(retryAfter, "retryAfter").toMillis() + 999) / 1000;
		for (int i = 0; i < times; i++) {
			this.scripted.add(Answer.json(429, "{\"error\":\"temporarily_unavailable\"}")
				.withHeader("Retry-After", Long.toString(seconds)));
		}
		return this;
	}

	/**
	 * Accept only calls authenticated as this client (HTTP Basic or form parameters); any
	 * other is answered {@code 401 invalid_client}. Unset, any client is accepted.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return this registration
	 */
	public MockRegistration requireClient(String clientId, String clientSecret) {
		this.requiredClientId = clientId;
		this.requiredClientSecret = clientSecret;
		return this;
	}

	/**
	 * Issue a user's first tokens, as an authorization-code exchange would, without a
	 * token call: an access token and a refresh token that starts a new chain. An
	 * application saves them as the user's first token.
	 * @param subject the user, the {@code sub} of a JWT access token
	 * @return the tokens
	 */
	public IssuedTokens issueRefreshToken(String subject) {
		return this.server.issueFirstTokens(this, subject);
	}

	/**
	 * Accept {@code token} as an access token of this registration (a {@code static}
	 * grant's token) until every token is expired.
	 * @param token the token
	 * @return this registration
	 */
	public MockRegistration acceptStaticToken(String token) {
		this.server.acceptStaticToken(this, token);
		return this;
	}

	/**
	 * Revoke the chain of this refresh token: it and every refresh token rotated from it
	 * or to it are refused with {@code invalid_grant}, and the access tokens issued with
	 * them are no longer accepted.
	 * @param refreshToken a refresh token this registration issued
	 */
	public void revokeRefreshToken(String refreshToken) {
		this.server.revokeRefreshToken(this, refreshToken);
	}

	/**
	 * Expire every access token this registration issued so far: the resource-server
	 * stand-in refuses them from now on. Refresh tokens stay valid.
	 */
	public void expireTokens() {
		this.server.expireTokens(this);
	}

	/**
	 * Return how many token calls the registration received.
	 * @return the count
	 */
	public int tokenCalls() {
		return this.calls.get();
	}

	/**
	 * Return how many token calls of one grant the registration received.
	 * @param grantType the grant type, such as {@code client_credentials}
	 * @return the count
	 */
	public int tokenCalls(String grantType) {
		AtomicInteger count = this.callsByGrant.get(String.valueOf(grantType));
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Return how many token calls were answered with this OAuth 2.0 error.
	 * @param error the error code, such as {@code invalid_grant}
	 * @return the count
	 */
	public int errors(String error) {
		return (int) this.requests.stream().filter((request) -> error.equals(request.error())).count();
	}

	/**
	 * Return every token call received, in order of arrival.
	 * @return the calls
	 */
	public List<TokenRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Return the last token call received, or {@code null} when none was.
	 * @return the last call
	 */
	public TokenRequest lastRequest() {
		List<TokenRequest> requests = requests();
		return requests.isEmpty() ? null : requests.get(requests.size() - 1);
	}

	/**
	 * Forget the calls received and every script: no answer scripted, opaque access
	 * tokens valid an hour for the registration's id as audience, rotated refresh tokens,
	 * any client, answers at once. Tokens already issued stay as they are.
	 */
	public void reset() {
		this.scripted.clear();
		this.requests.clear();
		this.callsByGrant.clear();
		this.calls.set(0);
		this.delay = Duration.ZERO;
		this.format = TokenFormat.OPAQUE;
		this.lifetime = DEFAULT_LIFETIME;
		this.rotateRefreshTokens = true;
		this.audience = null;
		requireClient(null, null);
	}

	TokenFormat format() {
		return this.format;
	}

	Duration lifetime() {
		return this.lifetime;
	}

	boolean rotatesRefreshTokens() {
		return this.rotateRefreshTokens;
	}

	String audience() {
		String audience = this.audience;
		return (audience != null) ? audience : this.id;
	}

	/**
	 * The client named in a JWT access token issued without client authentication (a
	 * user's first tokens, a public client's call): the required client, else the
	 * registration's id.
	 */
	String defaultClientId() {
		String required = this.requiredClientId;
		return (required != null) ? required : this.id;
	}

	Duration currentDelay() {
		return this.delay;
	}

	Answer nextScripted() {
		return this.scripted.poll();
	}

	boolean acceptsClient(String clientId, String clientSecret) {
		String requiredId = this.requiredClientId;
		return requiredId == null || (requiredId.equals(clientId) && this.requiredClientSecret != null
				&& this.requiredClientSecret.equals(clientSecret));
	}

	void count(String grantType) {
		this.calls.incrementAndGet();
		this.callsByGrant.computeIfAbsent(String.valueOf(grantType), (grant) -> new AtomicInteger()).incrementAndGet();
	}

	void record(TokenRequest request) {
		this.requests.add(request);
	}

	private static Duration requirePositive(Duration duration, String name) {
		if (duration == null || duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(name + " must be a positive duration, not " + duration);
		}
		return duration;
	}

	@Override
	public String toString() {
		return "MockRegistration[" + this.id + ", " + this.calls.get() + " token calls]";
	}

}
