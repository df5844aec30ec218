package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallKind;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TokenCallRetry;
import io.tokenkit.support.TransportFailure;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKitException;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls an OAuth 2.0 token endpoint (RFC 6749 §3.2): {@code POST} with a form body, the
 * client authenticated by a {@link ClientAuthentication}. A success answer is read by an
 * {@link OAuth2TokenResponseParser}, an error answer mapped by an
 * {@link OAuth2TokenErrorMapper}, and a call without an answer (a connection failure or a
 * timeout) becomes an {@link OAuth2TokenException} with status {@code 0}.
 * <p>
 * Each call is bounded by a {@link TokenCallPolicy}: a time limit per attempt, a largest
 * answer, and retries after connection failures, timeouts, {@code 5xx} and {@code 429}. A
 * request that redeems a single-use credential ({@code grant_type} {@code refresh_token}
 * or {@code authorization_code}) is sent again only when it was certainly not sent, or
 * was refused with a {@code 429}.
 * <p>
 * The form is made again for each attempt (each retry, and each send again after a DPoP
 * nonce challenge): a client assertion, and the parameters an {@link AttemptParameters}
 * adds (a JWT-bearer assertion), are signed afresh, so that no {@code jti} repeats.
 * <p>
 * Each attempt is a {@code tokenkit.token.requests} observation. The {@link WebClient}
 * should come from Spring Boot's {@code WebClient.Builder} so that
 * {@code http.client.requests} covers the call too.
 */
public final class OAuth2TokenClient {

	private static final Log logger = LogFactory.getLog(OAuth2TokenClient.class);

	private static final OAuth2TokenResponseParser parser = new OAuth2TokenResponseParser();

	private static final OAuth2TokenErrorMapper errorMapper = new OAuth2TokenErrorMapper();

	private static final List<String> SECRET_PARAMETERS = List.of("refresh_token", "code", "client_secret",
			"code_verifier", "password", "assertion", "client_assertion", "subject_token", "actor_token");

	private final WebClient webClient;

	private final TokenEndpointResolver endpoint;

	/** The endpoint when it is fixed: a call then asks the resolver nothing. */
	private final @Nullable URI tokenUri;

	private final ClientAuthentication authentication;

	private final @Nullable String registrationId;

	private final String label;

	private final String clientName;

	private final TokenRequestObserver observer;

	private final TokenCallPolicy policy;

	private final @Nullable DpopProofs dpop;

	/**
	 * Create a client that authenticates with a client secret.
	 * @param webClient the web client to send requests with
	 * @param tokenUri the token endpoint
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param authenticationMethod how the client authenticates
	 * @param registrationId the registration, named in errors and tags; {@code null} for
	 * a direct call, tagged {@code none} and named by the client name in errors
	 * @param clientName the {@code client} tag of observations, {@code oauth2} for
	 * generic registrations
	 * @param observer the observer of token requests
	 */
	public OAuth2TokenClient(WebClient webClient, URI tokenUri, String clientId, String clientSecret,
			ClientAuthenticationMethod authenticationMethod, @Nullable String registrationId, String clientName,
			TokenRequestObserver observer) {
		this(webClient, tokenUri, authentication(authenticationMethod, clientId, clientSecret), registrationId,
				clientName, observer);
	}

	/**
	 * Create a client.
	 * @param webClient the web client to send requests with
	 * @param tokenUri the token endpoint
	 * @param authentication how the client authenticates
	 * @param registrationId the registration, named in errors and tags; {@code null} for
	 * a direct call, tagged {@code none} and named by the client name in errors
	 * @param clientName the {@code client} tag of observations, {@code oauth2} for
	 * generic registrations
	 * @param observer the observer of token requests
	 */
	public OAuth2TokenClient(WebClient webClient, URI tokenUri, ClientAuthentication authentication,
			@Nullable String registrationId, String clientName, TokenRequestObserver observer) {
		this(webClient, TokenEndpointResolver.fixed(tokenUri), authentication, registrationId, clientName, observer);
	}

	/**
	 * Create a client whose token endpoint is resolved on each attempt, for example from
	 * an authorization server's metadata.
	 * @param webClient the web client to send requests with
	 * @param endpoint tells the token endpoint
	 * @param authentication how the client authenticates
	 * @param registrationId the registration, named in errors and tags; {@code null} for
	 * a direct call, tagged {@code none} and named by the client name in errors
	 * @param clientName the {@code client} tag of observations, {@code oauth2} for
	 * generic registrations
	 * @param observer the observer of token requests
	 */
	public OAuth2TokenClient(WebClient webClient, TokenEndpointResolver endpoint, ClientAuthentication authentication,
			@Nullable String registrationId, String clientName, TokenRequestObserver observer) {
		this(webClient, endpoint, authentication, registrationId, clientName, observer, TokenCallPolicy.DEFAULT, null);
	}

	private OAuth2TokenClient(WebClient webClient, TokenEndpointResolver endpoint, ClientAuthentication authentication,
			@Nullable String registrationId, String clientName, TokenRequestObserver observer, TokenCallPolicy policy,
			@Nullable DpopProofs dpop) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(endpoint, "endpoint must not be null");
		Assert.notNull(authentication, "authentication must not be null");
		Assert.isTrue(registrationId == null || !registrationId.isBlank(), "registrationId must not be empty");
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(observer, "observer must not be null");
		this.webClient = webClient;
		this.endpoint = endpoint;
		this.tokenUri = endpoint.getFixedUri();
		this.authentication = authentication;
		this.registrationId = registrationId;
		this.label = (registrationId != null) ? registrationId : clientName;
		this.clientName = clientName;
		this.observer = observer;
		this.policy = policy;
		this.dpop = dpop;
	}

	private static ClientAuthentication authentication(ClientAuthenticationMethod method, String clientId,
			String clientSecret) {
		Assert.notNull(method, "authenticationMethod must not be null");
		return method.toClientAuthentication(clientId, clientSecret);
	}

	/**
	 * Return a client with the same settings whose observations and errors name a
	 * registration.
	 * @param registrationId the registration id
	 * @return the client
	 */
	public OAuth2TokenClient forRegistration(String registrationId) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		return new OAuth2TokenClient(this.webClient, this.endpoint, this.authentication, registrationId,
				this.clientName, this.observer, this.policy, this.dpop);
	}

	/**
	 * Return a client with the same settings whose calls are bounded by another policy.
	 * @param policy the timeouts, retries and largest answer of the calls
	 * @return the client
	 */
	public OAuth2TokenClient withPolicy(TokenCallPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		return new OAuth2TokenClient(this.webClient, this.endpoint, this.authentication, this.registrationId,
				this.clientName, this.observer, policy, this.dpop);
	}

	/**
	 * Return a client with the same settings that sends a new DPoP proof (RFC 9449 §5)
	 * with each attempt of each call, keeps the {@code DPoP-Nonce} of each answer, and
	 * sends a call refused with a {@code use_dpop_nonce} error and a new nonce once more
	 * with a proof that carries it (not counted as a retry of the call's policy).
	 * @param dpop the proofs of the registration's key
	 * @return the client
	 */
	public OAuth2TokenClient withDpop(DpopProofs dpop) {
		Assert.notNull(dpop, "dpop must not be null");
		return new OAuth2TokenClient(this.webClient, this.endpoint, this.authentication, this.registrationId,
				this.clientName, this.observer, this.policy, dpop);
	}

	/**
	 * Return the DPoP proofs the calls send.
	 * @return the proofs, or {@code null} when the calls send none
	 */
	public @Nullable DpopProofs getDpop() {
		return this.dpop;
	}

	/**
	 * Return a token acquired by this client as it is stored: with the DPoP key's
	 * thumbprint when the call sent proofs. A server that answers a DPoP token request
	 * with a {@code Bearer} token (RFC 9449 §5 lets it) is warned of: that token is sent
	 * as a bearer token, not bound to the key.
	 * @param token a token this client acquired
	 * @return the token as it is stored
	 */
	public AccessToken bind(AccessToken token) {
		if (this.dpop == null) {
			return token;
		}
		if (!DpopProofs.DPOP.equalsIgnoreCase(token.getTokenType())) {
			logger.warn("The token endpoint of '" + this.label + "' answered a DPoP token request with token_type "
					+ token.getTokenType() + ": the token is not bound to the DPoP key and is sent as a bearer token; "
					+ "enable DPoP-bound tokens for the client at the authorization server");
		}
		return this.dpop.bind(token);
	}

	/**
	 * Return a revoker of this client's tokens (RFC 7009) that calls a revocation
	 * endpoint with this client's web client, authentication, policy and observer.
	 * @param revocationEndpoint tells the revocation endpoint; an empty answer means the
	 * server lists none
	 * @param revokeAccessToken whether the access token is revoked too, not only the
	 * refresh token
	 * @param clock tells whether an access token has expired
	 * @return the revoker
	 */
	public OAuth2TokenRevoker revoker(TokenEndpointResolver revocationEndpoint, boolean revokeAccessToken,
			Clock clock) {
		return new OAuth2TokenRevoker(this.webClient, revocationEndpoint, this.authentication, this.registrationId,
				this.label, this.clientName, this.observer, this.policy, revokeAccessToken, clock);
	}

	/**
	 * Return the timeouts, retries and largest answer of the calls.
	 * @return the policy
	 */
	public TokenCallPolicy getPolicy() {
		return this.policy;
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String getClientId() {
		return this.authentication.getClientId();
	}

	/**
	 * Return the token endpoint when it is fixed.
	 * @return the token URI, or {@code null} when it is resolved on each call (found in
	 * an authorization server's metadata)
	 */
	public @Nullable URI getTokenUri() {
		return this.tokenUri;
	}

	/**
	 * Return what tells the token endpoint.
	 * @return the resolver
	 */
	public TokenEndpointResolver getTokenEndpoint() {
		return this.endpoint;
	}

	/**
	 * Return whether the token endpoint is known, for a health check.
	 * @return the readiness of the endpoint's resolver
	 * @see TokenEndpointResolver#checkReadiness()
	 */
	public TokenSourceReadiness checkReadiness() {
		return this.endpoint.checkReadiness();
	}

	/**
	 * Return how the client authenticates.
	 * @return the client authentication
	 */
	public ClientAuthentication getAuthentication() {
		return this.authentication;
	}

	/**
	 * Send a token request.
	 * @param operation the operation tag, for example {@code acquire}, {@code refresh} or
	 * {@code exchange}
	 * @param parameters the form parameters, {@code grant_type} included; client
	 * credentials are added here
	 * @return the token response
	 */
	public Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> parameters) {
		return request(operation, parameters, (headers) -> {
		});
	}

	/**
	 * Send a token request with extra request headers.
	 * @param operation the operation tag
	 * @param parameters the form parameters, {@code grant_type} included; client
	 * credentials are added here
	 * @param headers customizes the request headers, for example {@code Accept}
	 * @return the token response
	 */
	public Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> parameters,
			Consumer<HttpHeaders> headers) {
		return request(operation, parameters, AttemptParameters.NONE, headers);
	}

	/**
	 * Send a token request some of whose form parameters are made again for each attempt:
	 * a signed assertion whose {@code jti} a server remembers (RFC 7523 §3), which a
	 * retry must not repeat.
	 * @param operation the operation tag
	 * @param parameters the form parameters that stay the same, {@code grant_type}
	 * included; client credentials are added here
	 * @param perAttempt adds the parameters made for each attempt
	 * @param headers customizes the request headers, for example {@code Accept}
	 * @return the token response
	 */
	public Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> parameters,
			AttemptParameters perAttempt, Consumer<HttpHeaders> headers) {
		Assert.hasText(operation, "operation must not be empty");
		Assert.notNull(parameters, "parameters must not be null");
		Assert.notNull(perAttempt, "perAttempt must not be null");
		Assert.notNull(headers, "headers must not be null");
		TokenCallKind kind = redeemsSingleUseCredential(parameters) ? TokenCallKind.ONCE : TokenCallKind.REPEATABLE;
		// Each attempt is its own observation. The form is built on each subscription, so
		// that what is signed (a client assertion, a JWT-bearer assertion) is signed
		// afresh for each attempt, and a failure to make it ends the observation as an
		// error. A resolved endpoint is asked for before the observation: an endpoint
		// that is not known yet sends no token request.
		URI fixed = this.tokenUri;
		Attempt call = new Attempt(operation, parameters, perAttempt, headers);
		return TokenCallRetry.execute(this.policy, kind,
				(attempt) -> (fixed != null) ? sendWithNonce(attempt, fixed, call)
						: this.endpoint.resolve().flatMap((uri) -> sendWithNonce(attempt, uri, call)));
	}

	/**
	 * Send an attempt, and once more when a DPoP token endpoint refuses it with a
	 * {@code use_dpop_nonce} error and sends a nonce (RFC 9449 §8): the second proof
	 * carries it. A second challenge goes to the caller.
	 */
	private Mono<OAuth2TokenResponse> sendWithNonce(TokenCallAttempt attempt, URI uri, Attempt call) {
		Mono<OAuth2TokenResponse> first = send(attempt, uri, call);
		if (this.dpop == null) {
			return first;
		}
		return first
			.onErrorResume(DpopNonceChallenge.class,
					(challenge) -> send(attempt, uri, call).onErrorMap(DpopNonceChallenge.class,
							DpopNonceChallenge::error))
			.onErrorMap(DpopNonceChallenge.class, DpopNonceChallenge::error);
	}

	private Mono<OAuth2TokenResponse> send(TokenCallAttempt attempt, URI uri, Attempt call) {
		String operation = call.operation();
		return this.observer.observe(this.clientName, this.registrationId, operation, (context) -> Mono.defer(() -> {
			context.setGrantType(call.parameters().getFirst("grant_type"));
			HttpHeaders authenticationHeaders = new HttpHeaders();
			MultiValueMap<String, String> form = form(call, authenticationHeaders);
			DpopProofs dpop = this.dpop;
			if (dpop != null) {
				authenticationHeaders.set(DpopProofs.DPOP, dpop.proof(HttpMethod.POST, uri, null));
			}
			Mono<OAuth2TokenResponse> exchange = this.webClient.post().uri(uri).headers((h) -> {
				h.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
				h.putAll(authenticationHeaders);
				call.headers().accept(h);
			})
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> {
					context.setStatus(response.statusCode().value());
					boolean newNonce = dpop != null && dpop.remember(uri, response.headers().asHttpHeaders());
					return ResponseContent.read(response, this.policy.maxAnswerBytes())
						.map((content) -> read(content, form.getFirst("grant_type"), secretsOf(form), newNonce));
				});
			return attempt.limit(exchange)
				.onErrorMap(TokenCallAttempt::isNoAnswer,
						(error) -> transportFailure(operation, attempt.noAnswer(error)));
		}));
	}

	private static boolean redeemsSingleUseCredential(MultiValueMap<String, String> parameters) {
		String grantType = parameters.getFirst("grant_type");
		return "refresh_token".equals(grantType) || "authorization_code".equals(grantType);
	}

	private OAuth2TokenResponse read(ResponseContent content, @Nullable String grantType, List<String> secrets,
			boolean newNonce) {
		if (content.isTooLarge()) {
			throw new OAuth2TokenException(this.label, content.getStatusCode(), null, null, null,
					"Token endpoint of '" + this.label + "' answered " + content.getStatusCode()
							+ " with an answer larger than " + this.policy.describeMaxAnswerSize()
							+ "; check its token-uri and tokenkit.token-calls.max-answer-size");
		}
		if (content.isSuccessful()) {
			return parser.parse(this.label, content.getStatusCode(), content.getJson(), content.getContentType());
		}
		OAuth2TokenException error = errorMapper.map(this.label, grantType, content.getStatusCode(), content.getJson(),
				content.getContentType(), secrets, content.getRetryAfter());
		if (newNonce && content.getStatusCode() == HttpStatus.BAD_REQUEST.value()
				&& DpopProofs.USE_DPOP_NONCE.equals(error.getError())) {
			throw new DpopNonceChallenge(error);
		}
		throw error;
	}

	/**
	 * The secrets a token request sends, which a server may echo in its error answer.
	 */
	private List<String> secretsOf(MultiValueMap<String, String> form) {
		List<String> secrets = new ArrayList<>(this.authentication.getSecrets());
		for (String name : SECRET_PARAMETERS) {
			List<String> values = form.get(name);
			if (values != null) {
				values.stream().filter((value) -> value != null && !value.isEmpty()).forEach(secrets::add);
			}
		}
		return secrets;
	}

	/**
	 * Make the form of one send: the call's parameters, those made for this attempt, then
	 * the client's credentials (a client assertion signed for this attempt).
	 */
	private MultiValueMap<String, String> form(Attempt call, HttpHeaders headers) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>(call.parameters());
		try {
			call.perAttempt().addTo(form);
			this.authentication.authenticate(headers, form);
		}
		catch (TokenKitException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// built-in authentications' and assertions' messages show no key material
			throw new ClientAuthenticationException(this.label,
					"Client authentication of '" + this.label + "' failed before its token request: " + ex.getMessage()
							+ "; check its client-key and client-authentication",
					ex);
		}
		return form;
	}

	private OAuth2TokenException transportFailure(String operation, TransportFailure failure) {
		String message = "Token endpoint of '" + this.label + "' " + failure.describe() + " on " + operation + (failure
			.isTimeout()
					? "; check its token-uri, the network and tokenkit.token-calls.connect-timeout and response-timeout"
					: "; check its token-uri and the network");
		OAuth2TokenException exception = new OAuth2TokenException(this.label, 0, null, null, null, message);
		Throwable cause = failure.getCause();
		if (cause != null) {
			exception.initCause(cause);
		}
		return exception;
	}

	/**
	 * Adds the form parameters of a token request that are made again for each attempt of
	 * a call (each retry, and each send again after a DPoP nonce challenge), for example
	 * an assertion signed afresh so that its {@code jti} never repeats. Called when the
	 * attempt is subscribed to, before the client authentication, on the subscribing
	 * thread: a retry's is a Reactor thread, so it must never block (sign with randomness
	 * that does not read {@code /dev/urandom}).
	 */
	@FunctionalInterface
	public interface AttemptParameters {

		/** Adds nothing. */
		AttemptParameters NONE = (form) -> {
		};

		/**
		 * Add this attempt's parameters.
		 * @param form the form of the attempt, holding the call's parameters
		 */
		void addTo(MultiValueMap<String, String> form);

	}

	/**
	 * What each attempt of a call sends.
	 */
	private record Attempt(String operation, MultiValueMap<String, String> parameters, AttemptParameters perAttempt,
			Consumer<HttpHeaders> headers) {
	}

	/**
	 * A token endpoint's nonce challenge, met by sending the call once more; when that is
	 * not possible (a second challenge), the endpoint's error goes to the caller.
	 */
	private static final class DpopNonceChallenge extends OAuth2TokenException {

		private final OAuth2TokenException error;

		DpopNonceChallenge(OAuth2TokenException error) {
			super(error.getRegistrationId(), error.getStatusCode(), error.getError(), error.getErrorDescription(),
					error.getErrorUri(), error.getMessage());
			this.error = error;
		}

		OAuth2TokenException error() {
			return this.error;
		}

	}

	@Override
	public String toString() {
		return "OAuth2TokenClient[registration=" + this.label + ", tokenUri="
				+ ((this.tokenUri != null) ? BaseUrls.describe(this.tokenUri.toString()) : this.endpoint)
				+ ", clientId=" + getClientId() + ", authentication=" + this.authentication + "]";
	}

}
