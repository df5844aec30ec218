package io.tokenkit.authlete;

import java.net.URI;
import java.time.Duration;

import io.tokenkit.support.BlockingCalls;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.util.Assert;

/**
 * The blocking face of an {@link AuthleteClient}, for servlet applications and other code
 * that does not use Reactor: the same calls of Authlete's token management API, returning
 * their values. Each call is the {@link AuthleteClient}'s (observed, retried as it
 * documents), and the calling thread waits for its answer.
 * <p>
 * <strong>Threads.</strong> A call never waits on a Reactor non-blocking thread (an event
 * loop or a parallel scheduler thread): there it throws a
 * {@link NonBlockingThreadException} before anything is sent; reactive code uses the
 * {@link AuthleteClient}. Platform and virtual threads wait alike, never inside a
 * {@code synchronized} section, so that a virtual thread does not pin its carrier.
 * <p>
 * <strong>Time limit.</strong> A wait is bounded: by default by the longest a call of a
 * client with {@link TokenCallPolicy#DEFAULT} can take, every attempt and retry included,
 * and a second (47.6 seconds); the auto-configured bean's limit follows
 * {@code tokenkit.token-calls.*} the same way. The client's own limits normally end a
 * call first, with its own {@link AuthleteApiException}.
 * <p>
 * <strong>Errors.</strong> As with the {@link AuthleteClient}, a {@code 200} answer whose
 * {@code action} is not {@code OK} is a value, not an exception: check its
 * {@code action}. The client's exceptions reach the caller as they are, not wrapped: an
 * {@link AuthleteApiException} for an error status, an unreadable or too large body, a
 * transport failure or a timeout (status {@code 0}), an {@link IllegalArgumentException}
 * for an invalid argument. When this client's time limit passes or the waiting thread is
 * interrupted, the call is cancelled and an {@link AuthleteApiException} with status
 * {@code 0} is thrown; an interrupted thread keeps its interrupt flag.
 */
public final class BlockingAuthleteClient {

	private final AuthleteClient client;

	private final BlockingCalls calls;

	/**
	 * Create a blocking client whose waits are bounded by the longest call of a client
	 * with {@link TokenCallPolicy#DEFAULT}, and a second.
	 * @param client the reactive client
	 */
	public BlockingAuthleteClient(AuthleteClient client) {
		this(client, BlockingCalls.timeout(TokenCallPolicy.DEFAULT));
	}

	/**
	 * Create a blocking client.
	 * @param client the reactive client
	 * @param timeout the longest wait of a call; a call still running then is cancelled
	 */
	public BlockingAuthleteClient(AuthleteClient client, Duration timeout) {
		Assert.notNull(client, "client must not be null");
		this.client = client;
		this.calls = new BlockingCalls(BlockingAuthleteClient.class.getSimpleName(),
				AuthleteClient.class.getSimpleName(), timeout);
	}

	/**
	 * Return the base URL requests go to.
	 * @return the base URL, without a trailing slash
	 */
	public URI getBaseUrl() {
		return this.client.getBaseUrl();
	}

	/**
	 * Return the service ID in the request paths.
	 * @return the service ID
	 */
	public String getServiceId() {
		return this.client.getServiceId();
	}

	/**
	 * Return the longest wait of a call.
	 * @return the time limit
	 */
	public Duration getTimeout() {
		return this.calls.getTimeout();
	}

	/**
	 * Reissue an ID token in a refresh token flow: {@code POST
	 * /api/{serviceId}/idtoken/reissue}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public IdTokenReissueResponse reissueIdToken(IdTokenReissueRequest request) {
		return this.calls.value("reissueIdToken", () -> this.client.reissueIdToken(request),
				noAnswer("reissue-id-token"));
	}

	/**
	 * List the first access tokens of the service with Authlete's default range:
	 * {@code GET /api/{serviceId}/auth/token/get/list}.
	 * @return the response
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public TokenListResponse listAccessTokens() {
		return listAccessTokens(TokenListRequest.all());
	}

	/**
	 * List access tokens: {@code GET /api/{serviceId}/auth/token/get/list}. Only the
	 * query parameters set in {@code request} are sent.
	 * @param request the filter and range
	 * @return the response
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public TokenListResponse listAccessTokens(TokenListRequest request) {
		return this.calls.value("listAccessTokens", () -> this.client.listAccessTokens(request), noAnswer("list"));
	}

	/**
	 * Create an access token: {@code POST /api/{serviceId}/auth/token/create}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public TokenCreateResponse createAccessToken(TokenCreateRequest request) {
		return this.calls.value("createAccessToken", () -> this.client.createAccessToken(request), noAnswer("create"));
	}

	/**
	 * Update an access token: {@code POST /api/{serviceId}/auth/token/update}.
	 * @param request the request
	 * @return the response; check its {@code action}
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public TokenUpdateResponse updateAccessToken(TokenUpdateRequest request) {
		return this.calls.value("updateAccessToken", () -> this.client.updateAccessToken(request), noAnswer("update"));
	}

	/**
	 * Delete an access token: {@code DELETE
	 * /api/{serviceId}/auth/token/delete/{accessTokenIdentifier}}. Authlete answers
	 * {@code 204 No Content}; this method returns on any 2xx.
	 * @param accessTokenIdentifier the access token value or its hash (percent-encoded
	 * into the path)
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public void deleteAccessToken(String accessTokenIdentifier) {
		this.calls.completion("deleteAccessToken", () -> this.client.deleteAccessToken(accessTokenIdentifier),
				noAnswer("delete"));
	}

	/**
	 * Revoke access tokens: {@code POST /api/{serviceId}/auth/token/revoke}.
	 * @param request which tokens to revoke
	 * @return the response, with the number of tokens revoked
	 * @throws AuthleteApiException when Authlete refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public TokenRevokeResponse revokeTokens(TokenRevokeRequest request) {
		return this.calls.value("revokeTokens", () -> this.client.revokeTokens(request), noAnswer("revoke"));
	}

	private BlockingCalls.NoAnswer noAnswer(String operation) {
		return (reason, cause) -> new AuthleteApiException(
				"Authlete API call '" + operation + "' to " + this.client.getBaseUrl() + " got no answer: " + reason,
				operation, 0, null, null, null, cause);
	}

	@Override
	public String toString() {
		return "BlockingAuthleteClient[baseUrl=" + this.client.getBaseUrl() + ", serviceId="
				+ this.client.getServiceId() + ", timeout=" + getTimeout() + "]";
	}

}
