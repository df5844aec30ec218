package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.support.BlockingCalls;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NonBlockingThreadException;
import io.tokenkit.token.TokenKitException;

import org.springframework.util.Assert;

/**
 * The blocking face of a {@link GmoAozoraClient}, for servlet applications and other code
 * that does not use Reactor: the same authorization steps, returning their values.
 * <p>
 * A typical OAuth 2.0 flow in a servlet controller: <pre class="code">
 * // 1. redirect the customer
 * URI uri = aozora.authorizationUri(session.getId());
 * // 2. on the callback (redirect-uri), with all its query parameters
 * AccessToken token = aozora.completeAuthorization(session.getId(), params);
 * </pre> Each call is the {@link GmoAozoraClient}'s, and the calling thread waits for its
 * answer; the methods that need no I/O ({@link #authorizationUri(String)},
 * {@link #verifyState(String, String)}) do not wait.
 * <p>
 * <strong>Threads.</strong> A waiting call never waits on a Reactor non-blocking thread
 * (an event loop or a parallel scheduler thread): there it throws a
 * {@link NonBlockingThreadException} before anything is sent or saved; reactive code uses
 * the {@link GmoAozoraClient}. Platform and virtual threads wait alike, never inside a
 * {@code synchronized} section, so that a virtual thread does not pin its carrier.
 * <p>
 * <strong>Time limit.</strong> A wait is bounded: by default by the longest a token call
 * with {@link TokenCallPolicy#DEFAULT} can take, every attempt and retry included, and a
 * second (47.6 seconds); the auto-configured bean's limit follows
 * {@code tokenkit.token-calls.*} the same way. The token client's own limits normally end
 * a call first, with its own {@link GmoAozoraTokenException}.
 * <p>
 * <strong>Errors.</strong> The {@link GmoAozoraClient}'s exceptions reach the caller as
 * they are, not wrapped: {@link GmoAozoraAuthorizationException} for a callback with an
 * {@code error}, {@link GmoAozoraStateException} for a missing or foreign {@code state},
 * {@link GmoAozoraTokenException} when the token endpoint refuses the call or does not
 * answer (status {@code 0}), {@link GmoAozoraIdTokenException} for an ID token that fails
 * a check, {@link GmoAozoraIssuerMismatchException} for a callback whose {@code iss} is
 * missing or not the bank's (with the issuer check),
 * {@link GmoAozoraPushedAuthorizationException} when the bank refuses or does not answer
 * a pushed authorization request (with PAR), {@link IllegalStateException} for OpenID
 * Connect without an ID-token verifier. When this client's time limit passes or the
 * waiting thread is interrupted, the call is cancelled and a
 * {@link GmoAozoraTokenException} with status {@code 0} is thrown (a
 * {@link TokenKitException} for the nonce of {@link #openIdAuthorizationUri(String)},
 * which calls no token endpoint); an interrupted thread keeps its interrupt flag.
 */
public final class BlockingGmoAozoraClient {

	private final GmoAozoraClient client;

	private final BlockingCalls calls;

	/**
	 * Create a blocking client whose waits are bounded by the longest token call with
	 * {@link TokenCallPolicy#DEFAULT}, and a second.
	 * @param client the reactive client
	 */
	public BlockingGmoAozoraClient(GmoAozoraClient client) {
		this(client, BlockingCalls.timeout(TokenCallPolicy.DEFAULT));
	}

	/**
	 * Create a blocking client.
	 * @param client the reactive client
	 * @param timeout the longest wait of a call; a call still running then is cancelled
	 */
	public BlockingGmoAozoraClient(GmoAozoraClient client, Duration timeout) {
		Assert.notNull(client, "client must not be null");
		this.client = client;
		this.calls = new BlockingCalls(BlockingGmoAozoraClient.class.getSimpleName(),
				GmoAozoraClient.class.getSimpleName(), timeout);
	}

	/**
	 * Return the longest wait of a call.
	 * @return the time limit
	 */
	public Duration getTimeout() {
		return this.calls.getTimeout();
	}

	/**
	 * Return the URL of an OAuth 2.0 authorization request ({@code GET /authorization})
	 * with the configured scopes; no {@code nonce}. Does not wait, unless PKCE or PAR is
	 * on ({@link GmoAozoraClient#prepareAuthorization(String)}: the request saved or
	 * pushed first).
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 * @throws GmoAozoraPushedAuthorizationException with PAR, when the bank refuses the
	 * request or does not answer
	 * @throws NonBlockingThreadException with PKCE or PAR, on a Reactor non-blocking
	 * thread
	 */
	public URI authorizationUri(String sessionId) {
		return authorizationUri(sessionId, null);
	}

	/**
	 * Return the URL of an OAuth 2.0 authorization request ({@code GET /authorization})
	 * for the given scopes; no {@code nonce}. Does not wait, unless PKCE or PAR is on.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @param scopes the scopes, for example {@code private:account}, or {@code null} for
	 * the configured ones
	 * @return the URL to redirect the customer's browser to
	 * @throws GmoAozoraPushedAuthorizationException with PAR, when the bank refuses the
	 * request or does not answer
	 * @throws NonBlockingThreadException with PKCE or PAR, on a Reactor non-blocking
	 * thread
	 */
	public URI authorizationUri(String sessionId, @Nullable Collection<String> scopes) {
		if (!this.client.preparesAuthorization()) {
			return (scopes != null) ? this.client.authorizationUri(sessionId, scopes)
					: this.client.authorizationUri(sessionId);
		}
		return this.calls.value("authorizationUri", () -> (scopes != null)
				? this.client.prepareAuthorization(sessionId, scopes) : this.client.prepareAuthorization(sessionId),
				BlockingGmoAozoraClient::notPrepared);
	}

	/**
	 * Return the URL of an OpenID Connect authorization request
	 * ({@code GET /authorization}) with the configured scopes and a random {@code nonce},
	 * saved in the {@link NonceStore} first.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @return the URL to redirect the customer's browser to
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public URI openIdAuthorizationUri(String sessionId) {
		return this.calls.value("openIdAuthorizationUri", () -> this.client.openIdAuthorizationUri(sessionId),
				BlockingGmoAozoraClient::nonceNotSaved);
	}

	/**
	 * Return the URL of an OpenID Connect authorization request
	 * ({@code GET /authorization}) for the given scopes, with a random {@code nonce}
	 * saved in the {@link NonceStore} first.
	 * @param sessionId the id of the customer's session, from which the state is made
	 * @param scopes the scopes, for example {@code openid} and {@code private:account}
	 * @return the URL to redirect the customer's browser to
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public URI openIdAuthorizationUri(String sessionId, Collection<String> scopes) {
		return this.calls.value("openIdAuthorizationUri", () -> this.client.openIdAuthorizationUri(sessionId, scopes),
				BlockingGmoAozoraClient::nonceNotSaved);
	}

	/**
	 * Check the {@code state} of an authorization callback against the current session.
	 * Does not wait.
	 * @param sessionId the id of the session that delivered the callback
	 * @param state the callback's {@code state}
	 * @throws GmoAozoraStateException if it is missing or was made for another session
	 */
	public void verifyState(String sessionId, @Nullable String state) {
		this.client.verifyState(sessionId, state);
	}

	/**
	 * Exchange an authorization code for tokens: {@code POST /token} with
	 * {@code grant_type=authorization_code}, {@code code} and the configured
	 * {@code redirect_uri}.
	 * @param code the callback's {@code code}
	 * @return the token, with its refresh token (and the raw ID token, if any)
	 * @throws GmoAozoraTokenException when the token endpoint refuses the call or does
	 * not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public AccessToken exchangeCode(String code) {
		return this.calls.value("exchangeCode", () -> this.client.exchangeCode(code), noAnswer("exchange"));
	}

	/**
	 * Exchange an authorization code of an OpenID Connect authorization for tokens
	 * ({@code POST /token}) and verify the ID token, nonce included (which uses the nonce
	 * up).
	 * @param code the callback's {@code code}
	 * @return the tokens and the verified ID token
	 * @throws GmoAozoraTokenException when the token endpoint refuses the call or does
	 * not answer
	 * @throws GmoAozoraIdTokenException when the ID token is missing or fails a check
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public GmoAozoraOpenIdTokens exchangeCodeForOpenId(String code) {
		return this.calls.value("exchangeCodeForOpenId", () -> this.client.exchangeCodeForOpenId(code),
				noAnswer("exchange"));
	}

	/**
	 * Handle the callback of an OAuth 2.0 authorization: fail on an {@code error}, check
	 * the {@code state} against the session, and exchange the {@code code} for tokens
	 * ({@code POST /token}).
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the token to save with {@link io.tokenkit.token.TokenManager#save}
	 * @throws GmoAozoraAuthorizationException when the callback carries an error or no
	 * code
	 * @throws GmoAozoraStateException when its state is missing or was made for another
	 * session
	 * @throws GmoAozoraTokenException when the token endpoint refuses the call or does
	 * not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public AccessToken completeAuthorization(String sessionId, Map<String, String> callbackParameters) {
		return this.calls.value("completeAuthorization",
				() -> this.client.completeAuthorization(sessionId, callbackParameters), noAnswer("exchange"));
	}

	/**
	 * Handle the callback of an OpenID Connect authorization: fail on an {@code error},
	 * check the {@code state}, exchange the {@code code} ({@code POST /token}) and verify
	 * the ID token and its nonce.
	 * @param sessionId the id of the session that delivered the callback
	 * @param callbackParameters the callback's query parameters
	 * @return the tokens and the verified ID token
	 * @throws GmoAozoraAuthorizationException when the callback carries an error or no
	 * code
	 * @throws GmoAozoraStateException when its state is missing or was made for another
	 * session
	 * @throws GmoAozoraTokenException when the token endpoint refuses the call or does
	 * not answer
	 * @throws GmoAozoraIdTokenException when the ID token is missing or fails a check
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public GmoAozoraOpenIdTokens completeOpenIdAuthorization(String sessionId, Map<String, String> callbackParameters) {
		return this.calls.value("completeOpenIdAuthorization",
				() -> this.client.completeOpenIdAuthorization(sessionId, callbackParameters), noAnswer("exchange"));
	}

	/**
	 * Refresh tokens: {@code POST /token} with {@code grant_type=refresh_token}.
	 * @param refreshToken the refresh token
	 * @return the new token; its refresh token is the rotated one, or the one passed in
	 * when the bank sent none
	 * @throws GmoAozoraTokenException when the token endpoint refuses the call or does
	 * not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public AccessToken refresh(String refreshToken) {
		return this.calls.value("refresh", () -> this.client.refresh(refreshToken), noAnswer("refresh"));
	}

	private static BlockingCalls.NoAnswer noAnswer(String operation) {
		return (reason, cause) -> {
			OAuth2TokenException exception = new OAuth2TokenException(GmoAozoraTokenClient.CLIENT_NAME, 0, null, null,
					null, "GMO Aozora token endpoint got no answer on " + operation + ": " + reason);
			if (cause != null) {
				exception.initCause(cause);
			}
			return new GmoAozoraTokenException(exception);
		};
	}

	private static TokenKitException notPrepared(String reason, @Nullable Throwable cause) {
		GmoAozoraPushedAuthorizationException exception = new GmoAozoraPushedAuthorizationException(
				"GMO Aozora authorization URL: the request was not saved or pushed: " + reason
						+ "; check the one-time-value store (Redis with tokenkit.store.type=redis) and "
						+ "tokenkit.gmo-aozora.par-uri",
				0, null, null);
		if (cause != null) {
			exception.initCause(cause);
		}
		return exception;
	}

	private static TokenKitException nonceNotSaved(String reason, @Nullable Throwable cause) {
		return new TokenKitException(
				"GMO Aozora OpenID Connect authorization URL: the nonce store did not save the nonce: " + reason
						+ "; check the nonce store (Redis with tokenkit.store.type=redis)",
				cause);
	}

	@Override
	public String toString() {
		return "BlockingGmoAozoraClient[" + this.client + ", timeout=" + getTimeout() + "]";
	}

}
