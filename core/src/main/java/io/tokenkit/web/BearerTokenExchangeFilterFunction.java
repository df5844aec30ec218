package io.tokenkit.web;

import java.util.Map;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
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
		return this.manager.reacquire(key, rejected)
			.onErrorResume((error) -> unauthorized.releaseBody().then(Mono.error(error)))
			.flatMap((fresh) -> {
				if (fresh.getTokenValue().equals(rejected.getTokenValue())) {
					return Mono.just(unauthorized);
				}
				this.listener.retried(this.registrationId);
				// the manager learns whether the replacement works: a replay answered 401
				// means the API rejects whatever token it gets
				return unauthorized.releaseBody()
					.then(next.exchange(withToken(request, fresh)))
					.flatMap((replayed) -> reported(key, fresh, replayed));
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

	@Override
	public String toString() {
		return "BearerTokenExchangeFilterFunction[registration=" + this.registrationId + ", authorizer="
				+ this.authorizer + "]";
	}

}
