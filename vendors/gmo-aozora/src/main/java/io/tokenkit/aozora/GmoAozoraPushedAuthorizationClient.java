package io.tokenkit.aozora;

import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import io.tokenkit.discovery.IssuerMetadata;
import io.tokenkit.discovery.ServerMetadataException;
import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.ResponseBodies;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.SecretRedactor;
import io.tokenkit.support.ServerText;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallKind;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TokenCallRetry;
import io.tokenkit.support.TransportFailure;
import io.tokenkit.token.TokenKitException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Pushes authorization requests (RFC 9126): {@code POST} of the authorization request's
 * parameters as a form to the pushed authorization request endpoint, the client
 * authenticated as at the token endpoint, and reads the {@code request_uri} of the answer
 * ({@code 201}). The endpoint is configured, or found in the authorization server's
 * metadata ({@code pushed_authorization_request_endpoint}).
 * <p>
 * Each push is bounded by a {@link TokenCallPolicy} (a request can be pushed again
 * safely: a second push only makes a second {@code request_uri}) and is a
 * {@code tokenkit.token.requests} observation with operation {@value #OPERATION}. Every
 * failure is a {@link GmoAozoraPushedAuthorizationException}.
 */
public final class GmoAozoraPushedAuthorizationClient {

	/** The {@code operation} tag of a push. */
	public static final String OPERATION = "par";

	private final WebClient webClient;

	private final TokenEndpointResolver endpoint;

	private final ClientAuthentication authentication;

	private final TokenRequestObserver observer;

	private final TokenCallPolicy policy;

	private final Clock clock;

	/**
	 * Create a client whose answers' {@code expires_in} count on the system clock.
	 * @param webClient the web client of token calls, best built from Spring Boot's
	 * {@code WebClient.Builder}
	 * @param endpoint tells the pushed authorization request endpoint, see
	 * {@link TokenEndpointResolver#fixed(URI)} and {@link #endpointOf(IssuerMetadata)}
	 * @param authentication how the client authenticates, the one of its token calls
	 * @param observer the observer of token requests
	 * @param policy the timeouts, retries and largest answer of a push
	 */
	public GmoAozoraPushedAuthorizationClient(WebClient webClient, TokenEndpointResolver endpoint,
			ClientAuthentication authentication, TokenRequestObserver observer, TokenCallPolicy policy) {
		this(webClient, endpoint, authentication, observer, policy, Clock.systemUTC());
	}

	/**
	 * Create a client.
	 * @param webClient the web client of token calls, best built from Spring Boot's
	 * {@code WebClient.Builder}
	 * @param endpoint tells the pushed authorization request endpoint, see
	 * {@link TokenEndpointResolver#fixed(URI)} and {@link #endpointOf(IssuerMetadata)}
	 * @param authentication how the client authenticates, the one of its token calls
	 * @param observer the observer of token requests
	 * @param policy the timeouts, retries and largest answer of a push
	 * @param clock the clock read when a push is sent, from which its answer's
	 * {@code expires_in} counts
	 */
	public GmoAozoraPushedAuthorizationClient(WebClient webClient, TokenEndpointResolver endpoint,
			ClientAuthentication authentication, TokenRequestObserver observer, TokenCallPolicy policy, Clock clock) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(endpoint, "endpoint must not be null");
		Assert.notNull(authentication, "authentication must not be null");
		Assert.notNull(observer, "observer must not be null");
		Assert.notNull(policy, "policy must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.webClient = webClient;
		this.endpoint = endpoint;
		this.authentication = authentication;
		this.observer = observer;
		this.policy = policy;
		this.clock = clock;
	}

	/**
	 * Return the pushed authorization request endpoint of an issuer's metadata: its
	 * {@code pushed_authorization_request_endpoint}, fetched when first asked for; a
	 * {@link GmoAozoraPushedAuthorizationException} when the metadata cannot be had or
	 * names none.
	 * @param metadata the metadata of the authorization server's issuer
	 * @return the resolver
	 */
	public static TokenEndpointResolver endpointOf(IssuerMetadata metadata) {
		Assert.notNull(metadata, "metadata must not be null");
		String fix = "; set tokenkit.gmo-aozora.par-uri to the bank's pushed authorization request endpoint, "
				+ "or switch tokenkit.gmo-aozora.par off";
		return new TokenEndpointResolver() {

			@Override
			public Mono<URI> resolve() {
				return metadata.get()
					.onErrorMap(ServerMetadataException.class,
							(ex) -> new GmoAozoraPushedAuthorizationException(
									"No pushed authorization request endpoint: " + ex.getMessage() + fix, 0, null,
									null))
					.flatMap((found) -> {
						URI uri = found.pushedAuthorizationRequestEndpoint();
						if (uri == null) {
							String unusable = found.unusableEndpoints().get("pushed_authorization_request_endpoint");
							return Mono
								.error(new GmoAozoraPushedAuthorizationException(
										"The metadata of issuer '" + BaseUrls.describe(found.issuer())
												+ "' names no usable pushed_authorization_request_endpoint"
												+ ((unusable != null) ? " (" + unusable + ")" : "") + fix,
										0, null, null));
						}
						return Mono.just(uri);
					});
			}

			@Override
			public String toString() {
				return "PushedAuthorizationRequestEndpoint[issuer=" + BaseUrls.describe(metadata.getIssuer()) + "]";
			}

		};
	}

	/**
	 * Push an authorization request: {@code POST} its parameters to the pushed
	 * authorization request endpoint.
	 * @param parameters the parameters of the authorization request
	 * ({@code response_type}, {@code client_id}, {@code redirect_uri}, {@code scope},
	 * {@code state}, …); the client's credentials are added here
	 * @return the {@code request_uri} and its lifetime, which counts from the send of the
	 * attempt that got it
	 */
	public Mono<GmoAozoraPushedAuthorization> push(Map<String, String> parameters) {
		Assert.notNull(parameters, "parameters must not be null");
		return TokenCallRetry.execute(this.policy, TokenCallKind.REPEATABLE,
				(attempt) -> this.endpoint.resolve().flatMap((uri) -> send(attempt, uri, parameters)));
	}

	private Mono<GmoAozoraPushedAuthorization> send(TokenCallAttempt attempt, URI uri, Map<String, String> parameters) {
		return this.observer.observe(GmoAozoraTokenClient.CLIENT_NAME, null, OPERATION, (context) -> Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			parameters.forEach(form::set);
			HttpHeaders authentication = new HttpHeaders();
			this.authentication.authenticate(authentication, form);
			List<String> secrets = new ArrayList<>(this.authentication.getSecrets());
			Mono<GmoAozoraPushedAuthorization> exchange = this.webClient.post().uri(uri).headers((headers) -> {
				headers.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
				headers.putAll(authentication);
			})
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> {
					context.setStatus(response.statusCode().value());
					return ResponseContent.read(response, this.policy.maxAnswerBytes())
						.map((content) -> read(uri, content, secrets, sentAt));
				});
			return attempt.limit(exchange)
				.onErrorMap(TokenCallAttempt::isNoAnswer, (error) -> noAnswer(uri, attempt.noAnswer(error)));
		}));
	}

	/**
	 * Return the time on the clock from which answers' {@code expires_in} count, against
	 * which their expiry is judged.
	 */
	Instant now() {
		return this.clock.instant();
	}

	private GmoAozoraPushedAuthorization read(URI uri, ResponseContent content, List<String> secrets, Instant sentAt) {
		int status = content.getStatusCode();
		String where = "GMO Aozora pushed authorization request endpoint " + BaseUrls.describe(uri.toString());
		if (content.isTooLarge()) {
			throw new GmoAozoraPushedAuthorizationException(where + " answered " + status + " with more than "
					+ this.policy.describeMaxAnswerSize() + "; check tokenkit.gmo-aozora.par-uri", status, null, null);
		}
		JsonNode body = content.getJsonObject();
		if (!content.isSuccessful()) {
			String error = (body != null) ? ResponseBodies.text(body, "error") : null;
			String description = (body != null) ? ResponseBodies.text(body, "error_description") : null;
			description = (description != null) ? ServerText.truncate(SecretRedactor.of(secrets).redact(description))
					: null;
			throw new GmoAozoraPushedAuthorizationException(
					where + " refused the authorization request with " + status
							+ ((error != null) ? " " + ServerText.truncate(error) : "")
							+ ((description != null) ? " (" + description + ")" : "")
							+ "; check the client's registration with the bank (redirect URI, scopes, PKCE), "
							+ "or switch tokenkit.gmo-aozora.par off if the bank does not take pushed requests",
					status, error, description);
		}
		String requestUri = (body != null) ? ResponseBodies.text(body, "request_uri") : null;
		JsonNode expiresIn = (body != null) ? body.get("expires_in") : null;
		if (requestUri == null || requestUri.isBlank() || expiresIn == null || !expiresIn.canConvertToLong()
				|| expiresIn.asLong() <= 0) {
			throw new GmoAozoraPushedAuthorizationException(where + " answered " + status + " ("
					+ content.getContentType() + ") without a request_uri and a positive expires_in (RFC 9126 §2.2); "
					+ "check tokenkit.gmo-aozora.par-uri", status, null, null);
		}
		Duration lifetime = Duration.ofSeconds(expiresIn.asLong());
		Instant expiresAt;
		try {
			expiresAt = sentAt.plus(lifetime);
		}
		catch (DateTimeException | ArithmeticException ex) {
			expiresAt = Instant.MAX;
		}
		return new GmoAozoraPushedAuthorization(requestUri, lifetime, expiresAt);
	}

	private static TokenKitException noAnswer(URI uri, TransportFailure failure) {
		GmoAozoraPushedAuthorizationException exception = new GmoAozoraPushedAuthorizationException(
				"GMO Aozora pushed authorization request endpoint " + BaseUrls.describe(uri.toString()) + " "
						+ failure.describe() + "; check tokenkit.gmo-aozora.par-uri and the network",
				0, null, null);
		Throwable cause = failure.getCause();
		if (cause != null) {
			exception.initCause(cause);
		}
		return exception;
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String getClientId() {
		return this.authentication.getClientId();
	}

	@Override
	public String toString() {
		return "GmoAozoraPushedAuthorizationClient[endpoint=" + this.endpoint + ", clientId=" + getClientId()
				+ ", authentication=" + this.authentication + "]";
	}

}
