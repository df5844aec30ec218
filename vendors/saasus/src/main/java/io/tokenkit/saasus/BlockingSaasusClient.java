package io.tokenkit.saasus;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.BlockingCalls;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.util.Assert;

/**
 * The blocking face of a {@link SaasusClient}, for servlet applications and other code
 * that does not use Reactor: the same calls, returning their values.
 * <ul>
 * <li>{@link #saveCredentials(Credentials) POST /credentials} stores a user's tokens and
 * returns a temporary code, valid for 10 seconds;</li>
 * <li>{@link #getCredentials(String) GET /credentials?code=…&amp;auth-flow=tempCodeAuth}
 * exchanges a temporary code for the tokens;</li>
 * <li>{@link #refreshCredentials(String) GET
 * /credentials?auth-flow=refreshTokenAuth&amp;refresh-token=…} exchanges a refresh token
 * for fresh tokens.</li>
 * </ul>
 * Each call is the {@link SaasusClient}'s (signed, observed, retried as it documents),
 * and the calling thread waits for its answer.
 * <p>
 * <strong>Threads.</strong> A call never waits on a Reactor non-blocking thread (an event
 * loop or a parallel scheduler thread): there it throws a
 * {@link NonBlockingThreadException} before anything is sent; reactive code uses the
 * {@link SaasusClient}. Platform and virtual threads wait alike, never inside a
 * {@code synchronized} section, so that a virtual thread does not pin its carrier.
 * <p>
 * <strong>Time limit.</strong> A wait is bounded: by default by the longest a call of a
 * client with {@link TokenCallPolicy#DEFAULT} can take, every attempt and retry included,
 * and a second (47.6 seconds); the auto-configured bean's limit follows
 * {@code tokenkit.token-calls.*} the same way. The client's own limits normally end a
 * call first, with its own {@link SaasusApiException}.
 * <p>
 * <strong>Errors.</strong> The {@link SaasusClient}'s exceptions reach the caller as they
 * are, not wrapped: a {@link SaasusApiException} for an error answer, an unreadable or
 * too large body, a transport failure or a timeout (status {@code 0}), an
 * {@link IllegalArgumentException} for an invalid argument. When this client's time limit
 * passes or the waiting thread is interrupted, the call is cancelled and a
 * {@link SaasusApiException} with status {@code 0} is thrown; an interrupted thread keeps
 * its interrupt flag.
 */
public final class BlockingSaasusClient {

	private final SaasusClient client;

	private final BlockingCalls calls;

	/**
	 * Create a blocking client whose waits are bounded by the longest call of a client
	 * with {@link TokenCallPolicy#DEFAULT}, and a second.
	 * @param client the reactive client
	 */
	public BlockingSaasusClient(SaasusClient client) {
		this(client, BlockingCalls.timeout(TokenCallPolicy.DEFAULT));
	}

	/**
	 * Create a blocking client.
	 * @param client the reactive client
	 * @param timeout the longest wait of a call; a call still running then is cancelled
	 */
	public BlockingSaasusClient(SaasusClient client, Duration timeout) {
		Assert.notNull(client, "client must not be null");
		this.client = client;
		this.calls = new BlockingCalls(BlockingSaasusClient.class.getSimpleName(), SaasusClient.class.getSimpleName(),
				timeout);
	}

	/**
	 * Return the API base URL.
	 * @return the base URL
	 */
	public URI getBaseUrl() {
		return this.client.getBaseUrl();
	}

	/**
	 * Return the longest wait of a call.
	 * @return the time limit
	 */
	public Duration getTimeout() {
		return this.calls.getTimeout();
	}

	/**
	 * {@code POST /credentials}: store a user's tokens temporarily and get a temporary
	 * code for them, valid for 10 seconds.
	 * @param credentials the tokens to store
	 * @return the temporary code (SaaSus answers {@code 201})
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public AuthorizationTempCode saveCredentials(Credentials credentials) {
		return saveCredentials(credentials, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code POST /credentials} with optional headers.
	 * @param credentials the tokens to store
	 * @param headers optional trace and referer headers
	 * @return the temporary code (SaaSus answers {@code 201})
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public AuthorizationTempCode saveCredentials(Credentials credentials, SaasusRequestHeaders headers) {
		return this.calls.value("saveCredentials", () -> this.client.saveCredentials(credentials, headers),
				noAnswer(SaasusClient.SAVE_CREDENTIALS));
	}

	/**
	 * {@code GET /credentials?code=…&auth-flow=tempCodeAuth}: exchange a temporary code
	 * (from {@code POST /credentials} or the SaaSus login callback) for a user's tokens.
	 * @param code the temporary code
	 * @return the tokens
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public Credentials getCredentials(String code) {
		return getCredentials(code, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code GET /credentials?code=…&auth-flow=tempCodeAuth} with optional headers.
	 * @param code the temporary code
	 * @param headers optional trace and referer headers
	 * @return the tokens
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public Credentials getCredentials(String code, SaasusRequestHeaders headers) {
		return this.calls.value("getCredentials", () -> this.client.getCredentials(code, headers),
				noAnswer(SaasusClient.GET_CREDENTIALS));
	}

	/**
	 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}: exchange a
	 * refresh token for fresh tokens. The answer may omit {@code refresh_token}; the
	 * caller then keeps the one it sent.
	 * @param refreshToken the refresh token
	 * @return the tokens
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public Credentials refreshCredentials(String refreshToken) {
		return refreshCredentials(refreshToken, null, SaasusRequestHeaders.NONE);
	}

	/**
	 * {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…} on behalf of a
	 * registration, with optional headers.
	 * @param refreshToken the refresh token
	 * @param registrationId the registration tag of the observation, or {@code null}
	 * @param headers optional trace and referer headers
	 * @return the tokens
	 * @throws SaasusApiException when SaaSus refuses the call or does not answer
	 * @throws NonBlockingThreadException on a Reactor non-blocking thread
	 */
	public Credentials refreshCredentials(String refreshToken, @Nullable String registrationId,
			SaasusRequestHeaders headers) {
		return this.calls.value("refreshCredentials",
				() -> this.client.refreshCredentials(refreshToken, registrationId, headers),
				noAnswer(SaasusClient.REFRESH));
	}

	private static BlockingCalls.NoAnswer noAnswer(String operation) {
		return (reason, cause) -> new SaasusApiException("SaaSus " + operation + " got no answer: " + reason, 0,
				operation, null, null, Map.of(), null, cause);
	}

	@Override
	public String toString() {
		return "BlockingSaasusClient[baseUrl=" + this.client.getBaseUrl() + ", timeout=" + getTimeout() + "]";
	}

}
