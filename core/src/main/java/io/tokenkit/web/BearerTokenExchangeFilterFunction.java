package io.tokenkit.web;

import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * An {@link ExchangeFilterFunction} that puts the current token of one registration into
 * each request with the registration's {@link TokenAuthorizer}
 * ({@code Authorization: Bearer <token>} unless configured otherwise) and retries once on
 * a {@code 401}.
 * <p>
 * The token comes from the {@link TokenManager}: this filter never calls a token endpoint
 * itself. On a {@code 401} it releases the response body, asks the manager to replace the
 * rejected token, and sends the request again once with the new token; a second
 * {@code 401} goes back to the caller. It tells the manager how the replay went
 * ({@link TokenManager#replayed}): a replacement that was accepted is an ordinary token
 * whose own rejection later is replaced again, while a rejected replay makes the key rest
 * with no token call. When the manager can only give the same token back (a static
 * token), the first {@code 401} goes back to the caller as it is.
 * <p>
 * <strong>DPoP.</strong> With an authorizer that reads the answers
 * ({@link TokenAuthorizer#readsAnswers()}, such as a DPoP one), a nonce challenge
 * ({@code 401} with {@code use_dpop_nonce}) is met by sending the request once more with
 * the same token and a new proof: no reacquisition, nothing told to the manager, and a
 * second challenge goes back to the caller. A token the authorizer may not send (bound to
 * another key) is replaced before the first send, which then counts as the replay.
 * <p>
 * <strong>Per-user tokens.</strong> The subject whose token to use is taken from the
 * request attribute {@link #SUBJECT_ATTRIBUTE}, most easily set with
 * {@link #subject(String)}: <pre class="code">
 * webClient.get().uri("/accounts").attributes(BearerTokenExchangeFilterFunction.subject(customerId))...
 * </pre> A request without the attribute uses the registration's application token; for a
 * registration of per-user tokens, which has none, it fails with a
 * {@link io.tokenkit.token.SubjectRequiredException} naming the attribute, and a user
 * with no token fails with a {@link io.tokenkit.token.NoTokenForSubjectException}.
 */
public final class BearerTokenExchangeFilterFunction implements ExchangeFilterFunction {

	/**
	 * The name of the request attribute that holds the subject of a per-user token: the
	 * same for every TokenKit client, {@link TokenRequestAttributes#SUBJECT}.
	 */
	public static final String SUBJECT_ATTRIBUTE = TokenRequestAttributes.SUBJECT;

	private final TokenManager manager;

	private final String registrationId;

	private final TokenKey applicationKey;

	private final TokenAuthorizer authorizer;

	private final TokenKeyResolver keyResolver;

	private final TokenEventListener listener;

	/** Whether the authorizer reads the answers (DPoP): asked once, here. */
	private final boolean readsAnswers;

	/**
	 * Create a filter.
	 * @param manager the token manager
	 * @param registrationId the registration whose tokens to send
	 * @throws IllegalArgumentException if the manager has no such registration
	 */
	public BearerTokenExchangeFilterFunction(TokenManager manager, String registrationId) {
		this(manager, registrationId, TokenEventListener.NONE);
	}

	/**
	 * Create a filter that sets the token with the registration's
	 * {@link TokenAuthorizer}.
	 * @param manager the token manager
	 * @param registrationId the registration whose tokens to send
	 * @param listener told of each retry
	 * @throws IllegalArgumentException if the manager has no such registration
	 */
	public BearerTokenExchangeFilterFunction(TokenManager manager, String registrationId, TokenEventListener listener) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(listener, "listener must not be null");
		TokenRegistration registration = manager.getRegistration(registrationId);
		this.authorizer = registration.authorizer();
		this.keyResolver = registration.keyResolver();
		this.manager = manager;
		this.registrationId = registrationId;
		this.applicationKey = TokenKey.of(registrationId);
		this.listener = listener;
		this.readsAnswers = this.authorizer.readsAnswers();
	}

	/**
	 * Return a consumer of request attributes that selects the per-user token of
	 * {@code subject}, for {@code WebClient.RequestHeadersSpec#attributes}; the same as
	 * {@link TokenRequestAttributes#subject(String)}.
	 * @param subject the subject, for example a customer id
	 * @return the attributes consumer
	 */
	public static Consumer<Map<String, Object>> subject(String subject) {
		return TokenRequestAttributes.subject(subject);
	}

	/**
	 * Return the registration whose tokens this filter sends.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		if (this.keyResolver == TokenKeyResolver.attributes()) {
			// the usual path: the key is in the request's attributes, no context to read
			return filter(request, next, TokenRequestAttributes.keyOf(request.attributes(), this.applicationKey));
		}
		return this.keyResolver.resolveReactive(request.attributes(), this.applicationKey)
			.flatMap((key) -> filter(request, next, key));
	}

	private Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next, TokenKey key) {
		if (this.readsAnswers) {
			// state of its own for each subscription: an outer retry starts afresh
			return Mono.defer(() -> new AnsweredExchange(request, next, key).exchange());
		}
		AccessToken token = this.manager.getCachedToken(key);
		if (token != null) {
			return exchange(request, next, key, token);
		}
		return this.manager.acquire(key).flatMap((acquired) -> exchange(request, next, key, acquired));
	}

	private Mono<ClientResponse> exchange(ClientRequest request, ExchangeFunction next, TokenKey key,
			AccessToken token) {
		return next.exchange(withToken(request, token)).flatMap((response) -> {
			if (response.statusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
				return Mono.just(response);
			}
			return retry(request, next, key, token, response);
		});
	}

	private Mono<ClientResponse> retry(ClientRequest request, ExchangeFunction next, TokenKey key, AccessToken rejected,
			ClientResponse unauthorized) {
		// the manager learns whether the replacement works: a replay answered 401 means
		// the API rejects whatever token it gets
		return retry(key, rejected, unauthorized, (fresh) -> next.exchange(withToken(request, fresh))
			.flatMap((replayed) -> reported(key, fresh, replayed)));
	}

	/**
	 * Ask the manager to replace a rejected token and replay the request once with the
	 * replacement; a static token's rejection goes back to the caller as it is.
	 */
	private Mono<ClientResponse> retry(TokenKey key, AccessToken rejected, ClientResponse unauthorized,
			Function<AccessToken, Mono<ClientResponse>> replay) {
		return this.manager.reacquire(key, rejected)
			.onErrorResume((error) -> unauthorized.releaseBody().then(Mono.error(error)))
			.flatMap((fresh) -> {
				if (fresh.getTokenValue().equals(rejected.getTokenValue())) {
					return Mono.just(unauthorized);
				}
				this.listener.retried(this.registrationId);
				return unauthorized.releaseBody().then(replay.apply(fresh));
			});
	}

	/**
	 * Tell the manager how the replay went; when that fails (a custom store that throws),
	 * release the replayed response before the failure goes on.
	 */
	private Mono<ClientResponse> reported(TokenKey key, AccessToken fresh, ClientResponse replayed) {
		try {
			this.manager.replayed(key, fresh, replayed.statusCode().value() != HttpStatus.UNAUTHORIZED.value());
		}
		catch (RuntimeException ex) {
			return replayed.releaseBody().then(Mono.error(ex));
		}
		return Mono.just(replayed);
	}

	private ClientRequest withToken(ClientRequest request, AccessToken token) {
		return new TokenClientRequest(request, this.authorizer, token);
	}

	/**
	 * One request of an authorizer that reads the answers (DPoP): a token it may not send
	 * (bound to another key) is replaced before the first send, and that send is the
	 * request's replay; a challenge ({@link TokenAuthorizer#answered}) is met once by
	 * sending again with the same token, and is not a rejection; a {@code 401} that is
	 * not a challenge is replayed as on the usual path. At most one challenge retry plus
	 * one replay per request.
	 */
	private final class AnsweredExchange {

		private final ClientRequest request;

		private final ExchangeFunction next;

		private final TokenKey key;

		private volatile boolean challengeLeft = true;

		private volatile boolean challenged;

		AnsweredExchange(ClientRequest request, ExchangeFunction next, TokenKey key) {
			this.request = request;
			this.next = next;
			this.key = key;
		}

		Mono<ClientResponse> exchange() {
			Mono<AccessToken> token = BearerTokenExchangeFilterFunction.this.manager.getToken(this.key);
			return token.flatMap((held) -> {
				if (!BearerTokenExchangeFilterFunction.this.authorizer.fits(held)) {
					return replacementOfUnfit(held).flatMap(
							(fresh) -> send(fresh).flatMap((response) -> reportedUnlessChallenged(fresh, response)));
				}
				return send(held).flatMap((response) -> {
					if (this.challenged || response.statusCode().value() != HttpStatus.UNAUTHORIZED.value()) {
						return Mono.just(response);
					}
					return replay(held, response);
				});
			});
		}

		private Mono<ClientResponse> replay(AccessToken rejected, ClientResponse unauthorized) {
			return retry(this.key, rejected, unauthorized,
					(fresh) -> send(fresh).flatMap((replayed) -> reportedUnlessChallenged(fresh, replayed)));
		}

		/**
		 * Send with the token, and once more when the answer is the request's first
		 * challenge.
		 */
		private Mono<ClientResponse> send(AccessToken token) {
			return this.next.exchange(withToken(this.request, token)).flatMap((response) -> {
				this.challenged = challenged(response);
				if (!this.challenged || !this.challengeLeft) {
					return Mono.just(response);
				}
				this.challengeLeft = false;
				return response.releaseBody().then(this.next.exchange(withToken(this.request, token))).map((again) -> {
					this.challenged = challenged(again);
					return again;
				});
			});
		}

		private boolean challenged(ClientResponse response) {
			return BearerTokenExchangeFilterFunction.this.authorizer.answered(this.request.url(),
					response.statusCode().value(), response.headers().asHttpHeaders());
		}

		/**
		 * A challenge says nothing of the token: the manager is told of an answer as
		 * usual, and of a challenge only that the replay is over.
		 */
		private Mono<ClientResponse> reportedUnlessChallenged(AccessToken fresh, ClientResponse response) {
			if (this.challenged) {
				BearerTokenExchangeFilterFunction.this.manager.replayChallenged(this.key, fresh);
				return Mono.just(response);
			}
			return reported(this.key, fresh, response);
		}

		/**
		 * Replace a token the authorizer may not send (bound to another DPoP key), as the
		 * manager replaces a rejected one; a replacement it may not send either fails.
		 */
		private Mono<AccessToken> replacementOfUnfit(AccessToken token) {
			String id = BearerTokenExchangeFilterFunction.this.registrationId;
			return BearerTokenExchangeFilterFunction.this.manager.reacquire(this.key, token).handle((fresh, sink) -> {
				if (BearerTokenExchangeFilterFunction.this.authorizer.fits(fresh)) {
					sink.next(fresh);
				}
				else {
					sink.error(new TokenAcquisitionException(id, "The token of registration '" + id
							+ "' is bound to another DPoP key and could not be replaced by one bound to this "
							+ "instance's key; check that every instance is configured with the same client-key"));
				}
			});
		}

	}

	@Override
	public String toString() {
		return "BearerTokenExchangeFilterFunction[registration=" + this.registrationId + ", authorizer="
				+ this.authorizer + "]";
	}

}
