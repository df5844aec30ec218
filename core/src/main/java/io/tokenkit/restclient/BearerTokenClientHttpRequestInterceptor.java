package io.tokenkit.restclient;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.Exceptions;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NonBlockingThreadException;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenKitException;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.util.Assert;

/**
 * A {@link ClientHttpRequestInterceptor}, for a {@code RestClient} or a
 * {@code RestTemplate}, that puts the current token of one registration into each request
 * with the registration's {@link TokenAuthorizer} ({@code Authorization: Bearer <token>}
 * unless configured otherwise) and replays a request once on a {@code 401}: the blocking
 * counterpart of the {@code WebClient} filter, with the same semantics.
 * <p>
 * The token comes from the {@link TokenManager}: a usable cached token costs no I/O and
 * no lock, and a token inside its refresh window starts one background refresh. With no
 * usable token the calling thread, platform or virtual, waits for the acquisition the
 * manager shares between every caller of the key; it waits with {@code block(timeout)},
 * never inside a {@code synchronized} section, so that a virtual thread is not pinned. On
 * a {@code 401}, whatever its {@code WWW-Authenticate} header says, the interceptor
 * closes the response, asks the manager to replace the rejected token, and sends the same
 * body bytes again once with the new token; a second {@code 401} goes back to the caller.
 * It tells the manager how the replay went ({@link TokenManager#replayed}), as the
 * {@code WebClient} filter does. When the manager can only give the same token back (a
 * static token), the first {@code 401} goes back to the caller as it is. With an
 * authorizer that reads the answers (DPoP), a nonce challenge is met once with the same
 * token, as the {@code WebClient} filter does, and is no rejection.
 * <p>
 * The token's headers are set on the request object itself, as Spring Security's
 * {@code OAuth2ClientHttpRequestInterceptor} does: interceptors after this one, and the
 * observation of the request, see it. A request whose headers cannot be changed through
 * {@code getHeaders()} (an earlier interceptor's wrapper that answers read-only headers,
 * or a new copy on each call) is sent as a wrapper with the headers set on a copy
 * instead.
 * <p>
 * <strong>Reactor threads.</strong> On a Reactor non-blocking thread
 * ({@link Schedulers#isInNonBlockingThread()}) the interceptor uses a cached token but
 * never waits for a token call: it fails fast with a {@link NonBlockingThreadException}.
 * Reactive code uses the {@code WebClient} filter.
 * <p>
 * <strong>Per-user tokens.</strong> The subject whose token to use is taken from the
 * request attribute {@link TokenRequestAttributes#SUBJECT}: <pre class="code">
 * restClient.get().uri("/accounts").attributes(TokenRequestAttributes.subject(customerId))...
 * </pre> A request without the attribute uses the registration's application token; for a
 * registration of per-user tokens, which has none, it fails with a
 * {@link io.tokenkit.token.SubjectRequiredException} naming the attribute, and a user
 * with no token fails with a {@link io.tokenkit.token.NoTokenForSubjectException}.
 * <p>
 * A token that cannot be had reaches the caller as TokenKit's typed exception (a
 * {@link TokenKitException}), not wrapped by Reactor.
 */
public final class BearerTokenClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

	/**
	 * A header name no request carries, removed to learn whether headers are writable.
	 */
	private static final String WRITABLE_PROBE = "x-tokenkit-writable-probe";

	private final TokenManager manager;

	private final String registrationId;

	private final TokenKey applicationKey;

	private final TokenAuthorizer authorizer;

	private final TokenKeyResolver keyResolver;

	private final TokenEventListener listener;

	private final Duration waitLimit;

	/** Whether the authorizer reads the answers (DPoP): asked once, here. */
	private final boolean readsAnswers;

	/**
	 * Create an interceptor.
	 * @param manager the token manager
	 * @param registrationId the registration whose tokens to send
	 * @throws IllegalArgumentException if the manager has no such registration
	 */
	public BearerTokenClientHttpRequestInterceptor(TokenManager manager, String registrationId) {
		this(manager, registrationId, TokenEventListener.NONE);
	}

	/**
	 * Create an interceptor that sets the token with the registration's
	 * {@link TokenAuthorizer}.
	 * @param manager the token manager
	 * @param registrationId the registration whose tokens to send
	 * @param listener told of each replay
	 * @throws IllegalArgumentException if the manager has no such registration
	 */
	public BearerTokenClientHttpRequestInterceptor(TokenManager manager, String registrationId,
			TokenEventListener listener) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(listener, "listener must not be null");
		TokenRegistration registration = manager.getRegistration(registrationId);
		this.authorizer = registration.authorizer();
		this.keyResolver = registration.keyResolver();
		this.manager = manager;
		this.registrationId = registrationId;
		this.applicationKey = TokenKey.of(registrationId);
		this.listener = listener;
		// a reacquisition may join an acquisition in flight and then start its own
		this.waitLimit = manager.getAcquireTimeout().multipliedBy(2).plusSeconds(1);
		this.readsAnswers = this.authorizer.readsAnswers();
	}

	/**
	 * Return the registration whose tokens this interceptor sends.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		TokenKey key = this.keyResolver.resolve(request.getAttributes(), this.applicationKey);
		AccessToken token = this.manager.getCachedToken(key);
		if (token == null) {
			token = await(this.manager.acquire(key));
		}
		if (this.readsAnswers) {
			return interceptAnswered(request, body, execution, key, token);
		}
		ClientHttpResponse response = execution.execute(withToken(request, token), body);
		if (response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
			return response;
		}
		AccessToken fresh = reacquired(key, token, response);
		if (fresh.getTokenValue().equals(token.getTokenValue())) {
			return response;
		}
		response.close();
		this.listener.retried(this.registrationId);
		return reported(key, fresh, execution.execute(withToken(request, fresh), body));
	}

	/**
	 * The path of an authorizer that reads the answers (DPoP): a token it may not send
	 * (bound to another key) is replaced before the first send, and that send is the
	 * request's replay; a challenge ({@link TokenAuthorizer#answered}) is met once by
	 * sending again with the same token, and is not a rejection; a {@code 401} that is
	 * not a challenge is replayed as on the usual path. At most one challenge retry plus
	 * one replay per request.
	 */
	private ClientHttpResponse interceptAnswered(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
			TokenKey key, AccessToken token) throws IOException {
		Challenges challenges = new Challenges();
		if (!this.authorizer.fits(token)) {
			AccessToken fresh = replacementOfUnfit(key, token);
			return reportedReplay(key, fresh, sendAnswered(request, body, execution, fresh, challenges), challenges);
		}
		ClientHttpResponse response = sendAnswered(request, body, execution, token, challenges);
		if (challenges.last || response.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
			return response;
		}
		AccessToken fresh = reacquired(key, token, response);
		if (fresh.getTokenValue().equals(token.getTokenValue())) {
			return response;
		}
		response.close();
		this.listener.retried(this.registrationId);
		return reportedReplay(key, fresh, sendAnswered(request, body, execution, fresh, challenges), challenges);
	}

	/**
	 * A challenge says nothing of the token: the manager is told of an answer as usual,
	 * and of a challenge only that the replay is over.
	 */
	private ClientHttpResponse reportedReplay(TokenKey key, AccessToken fresh, ClientHttpResponse replayed,
			Challenges challenges) throws IOException {
		if (challenges.last) {
			this.manager.replayChallenged(key, fresh);
			return replayed;
		}
		return reported(key, fresh, replayed);
	}

	/**
	 * Send with the token, and once more when the answer is the first challenge of the
	 * request.
	 */
	private ClientHttpResponse sendAnswered(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
			AccessToken token, Challenges challenges) throws IOException {
		ClientHttpResponse response = execution.execute(withToken(request, token), body);
		challenges.last = challenged(request, response);
		if (challenges.last && challenges.left) {
			challenges.left = false;
			response.close();
			response = execution.execute(withToken(request, token), body);
			challenges.last = challenged(request, response);
		}
		return response;
	}

	private boolean challenged(HttpRequest request, ClientHttpResponse response) throws IOException {
		try {
			return this.authorizer.answered(request.getURI(), response.getStatusCode().value(), response.getHeaders());
		}
		catch (IOException | RuntimeException ex) {
			response.close();
			throw ex;
		}
	}

	/**
	 * Replace a token the authorizer may not send (bound to another DPoP key), as the
	 * manager replaces a rejected one; a replacement it may not send either fails.
	 */
	private AccessToken replacementOfUnfit(TokenKey key, AccessToken token) throws IOException {
		AccessToken fresh = await(this.manager.reacquire(key, token));
		if (!this.authorizer.fits(fresh)) {
			throw new TokenAcquisitionException(this.registrationId,
					"The token of registration '" + this.registrationId
							+ "' is bound to another DPoP key and could not be replaced by one bound to "
							+ "this instance's key; check that every instance is configured with the same client-key");
		}
		return fresh;
	}

	/**
	 * Ask the manager to replace a rejected token; when that fails, close the rejection
	 * before the failure goes on.
	 */
	private AccessToken reacquired(TokenKey key, AccessToken rejected, ClientHttpResponse response) throws IOException {
		try {
			return await(this.manager.reacquire(key, rejected));
		}
		catch (IOException | RuntimeException ex) {
			response.close();
			throw ex;
		}
	}

	/**
	 * Tell the manager how the replay with a replacement went: a replay answered
	 * {@code 401} means the API rejects whatever token it gets. The replayed response is
	 * closed when that fails (a custom store that throws).
	 */
	private ClientHttpResponse reported(TokenKey key, AccessToken fresh, ClientHttpResponse replayed)
			throws IOException {
		try {
			this.manager.replayed(key, fresh, replayed.getStatusCode().value() != HttpStatus.UNAUTHORIZED.value());
		}
		catch (IOException | RuntimeException ex) {
			replayed.close();
			throw ex;
		}
		return replayed;
	}

	/**
	 * Wait for the manager's shared acquisition, unless this is a Reactor non-blocking
	 * thread, and hand its failure on as TokenKit's typed exception.
	 */
	private AccessToken await(Mono<AccessToken> acquisition) throws IOException {
		if (Schedulers.isInNonBlockingThread()) {
			throw new NonBlockingThreadException(this.registrationId, Thread.currentThread().getName());
		}
		AccessToken token;
		try {
			token = acquisition.block(this.waitLimit);
		}
		catch (RuntimeException ex) {
			Throwable cause = Exceptions.unwrap(ex);
			if (cause instanceof TokenKitException typed) {
				throw typed;
			}
			if (cause instanceof InterruptedException) {
				Thread.currentThread().interrupt();
				InterruptedIOException interrupted = new InterruptedIOException(
						"Interrupted while waiting for a token of registration '" + this.registrationId + "'");
				interrupted.initCause(cause);
				throw interrupted;
			}
			throw new TokenAcquisitionException(this.registrationId, "No token for registration '" + this.registrationId
					+ "' within " + this.waitLimit + ": the token call failed or did not end", cause);
		}
		if (token == null) {
			throw new TokenAcquisitionException(this.registrationId,
					"The token acquisition of registration '" + this.registrationId + "' ended without a token");
		}
		return token;
	}

	/**
	 * Set the token's headers on the request itself, as the framework's own interceptors
	 * do: the execution copies the request's headers into the request it sends, and a
	 * replay sets them again, replacing the rejected token. Only a request whose headers
	 * cannot be changed is sent with a copy: a wrapper of another interceptor that
	 * answers read-only headers, or a new copy on each call (the headers set are then not
	 * the ones read back: compared by identity).
	 */
	private HttpRequest withToken(HttpRequest request, AccessToken token) {
		// the authorizer is asked once per send (a DPoP proof is new on each call):
		// into the request's own headers when they can be changed, else into a copy
		HttpHeaders headers = request.getHeaders();
		if (request.getHeaders() == headers && writable(headers)) {
			this.authorizer.authorize(token, request.getMethod(), request.getURI(), headers);
			return request;
		}
		HttpHeaders copy = new HttpHeaders();
		copy.putAll(headers);
		this.authorizer.authorize(token, request.getMethod(), request.getURI(), copy);
		return new TokenHttpRequest(request, copy);
	}

	/**
	 * Whether headers can be changed, asked before the authorizer runs so that it runs
	 * once: read-only headers refuse any change, even the removal of a name they do not
	 * hold, which changes nothing (and allocates nothing) in writable ones.
	 */
	private static boolean writable(HttpHeaders headers) {
		try {
			headers.remove(WRITABLE_PROBE);
			return true;
		}
		catch (UnsupportedOperationException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return "BearerTokenClientHttpRequestInterceptor[registration=" + this.registrationId + ", authorizer="
				+ this.authorizer + "]";
	}

	/**
	 * The challenges of one request: whether its one challenge retry is left, and whether
	 * the last answer was a challenge.
	 */
	private static final class Challenges {

		boolean left = true;

		boolean last;

	}

	/**
	 * The request as sent when the caller's headers cannot be changed: the caller's
	 * request, with the token's headers set on a copy of its headers.
	 */
	private static final class TokenHttpRequest extends HttpRequestWrapper {

		private final HttpHeaders headers;

		TokenHttpRequest(HttpRequest request, HttpHeaders headers) {
			super(request);
			this.headers = headers;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public String toString() {
			return "TokenHttpRequest[" + getMethod() + "]";
		}

	}

}
