package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

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
import io.tokenkit.token.TokenKitException;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.http.HttpHeaders;
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
 * Each attempt is a {@code tokenkit.token.requests} observation. The {@link WebClient}
 * should come from Spring Boot's {@code WebClient.Builder} so that
 * {@code http.client.requests} covers the call too.
 */
public final class OAuth2TokenClient {

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
		this(webClient, endpoint, authentication, registrationId, clientName, observer, TokenCallPolicy.DEFAULT);
	}

	private OAuth2TokenClient(WebClient webClient, TokenEndpointResolver endpoint, ClientAuthentication authentication,
			@Nullable String registrationId, String clientName, TokenRequestObserver observer, TokenCallPolicy policy) {
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
				this.clientName, this.observer, this.policy);
	}

	/**
	 * Return a client with the same settings whose calls are bounded by another policy.
	 * @param policy the timeouts, retries and largest answer of the calls
	 * @return the client
	 */
	public OAuth2TokenClient withPolicy(TokenCallPolicy policy) {
		Assert.notNull(policy, "policy must not be null");
		return new OAuth2TokenClient(this.webClient, this.endpoint, this.authentication, this.registrationId,
				this.clientName, this.observer, policy);
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
		Assert.hasText(operation, "operation must not be empty");
		Assert.notNull(parameters, "parameters must not be null");
		Assert.notNull(headers, "headers must not be null");
		TokenCallKind kind = redeemsSingleUseCredential(parameters) ? TokenCallKind.ONCE : TokenCallKind.REPEATABLE;
		// Each attempt is its own observation. The form is built on each subscription, so
		// that an authentication that signs something (a client assertion) signs it
		// afresh for each attempt, and a failure of the authentication ends the
		// observation as an error. A resolved endpoint is asked for before the
		// observation: an endpoint that is not known yet sends no token request.
		URI fixed = this.tokenUri;
		return TokenCallRetry.execute(this.policy, kind,
				(attempt) -> (fixed != null) ? send(attempt, fixed, operation, parameters, headers)
						: this.endpoint.resolve().flatMap((uri) -> send(attempt, uri, operation, parameters, headers)));
	}

	private Mono<OAuth2TokenResponse> send(TokenCallAttempt attempt, URI uri, String operation,
			MultiValueMap<String, String> parameters, Consumer<HttpHeaders> headers) {
		return this.observer.observe(this.clientName, this.registrationId, operation, (context) -> Mono.defer(() -> {
			context.setGrantType(parameters.getFirst("grant_type"));
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>(parameters);
			HttpHeaders authenticationHeaders = new HttpHeaders();
			authenticate(authenticationHeaders, form);
			Mono<OAuth2TokenResponse> exchange = this.webClient.post().uri(uri).headers((h) -> {
				h.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
				h.putAll(authenticationHeaders);
				headers.accept(h);
			})
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> {
					context.setStatus(response.statusCode().value());
					return ResponseContent.read(response, this.policy.maxAnswerBytes())
						.map((content) -> read(content, secretsOf(form)));
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

	private OAuth2TokenResponse read(ResponseContent content, List<String> secrets) {
		if (content.isTooLarge()) {
			throw new OAuth2TokenException(this.label, content.getStatusCode(), null, null, null,
					"Token endpoint of '" + this.label + "' answered " + content.getStatusCode()
							+ " with an answer larger than " + this.policy.describeMaxAnswerSize()
							+ "; check its token-uri and tokenkit.token-calls.max-answer-size");
		}
		if (content.isSuccessful()) {
			return parser.parse(this.label, content.getStatusCode(), content.getJson(), content.getContentType());
		}
		throw errorMapper.map(this.label, content.getStatusCode(), content.getJson(), content.getContentType(), secrets,
				content.getRetryAfter());
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

	private void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
		try {
			this.authentication.authenticate(headers, form);
		}
		catch (TokenKitException ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			// built-in authentications' messages show no key material
			throw new ClientAuthenticationException(this.label,
					"Client authentication of '" + this.label + "' failed before its token request: " + ex.getMessage()
							+ "; check its client-key and client-authentication",
					ex);
		}
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

	@Override
	public String toString() {
		return "OAuth2TokenClient[registration=" + this.label + ", tokenUri="
				+ ((this.tokenUri != null) ? BaseUrls.describe(this.tokenUri.toString()) : this.endpoint)
				+ ", clientId=" + getClientId() + ", authentication=" + this.authentication + "]";
	}

}
