package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.TokenCallAttempt;
import io.tokenkit.support.TokenCallKind;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.support.TokenCallRetry;
import io.tokenkit.support.TransportFailure;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKitException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Revokes a registration's tokens at its revocation endpoint (RFC 7009 §2.1):
 * {@code POST} with the form fields {@code token} and {@code token_type_hint}, the client
 * authenticated as on its token calls, through the same {@link WebClient} (so a client
 * certificate is presented for mutual TLS). The refresh token is revoked, and the access
 * token too when asked and still valid; a {@code 2xx} answer is a success whatever its
 * body. Made by {@link OAuth2TokenClient#revoker}.
 * <p>
 * Each attempt is a {@code tokenkit.token.requests} observation with operation
 * {@value #OPERATION} and grant type {@code none}. A revocation may be sent again (RFC
 * 7009 answers {@code 200} for a token already revoked), so it is retried as the token
 * calls' policy allows. An endpoint resolver that answers empty (an issuer that lists no
 * {@code revocation_endpoint}) means nothing to revoke.
 */
public final class OAuth2TokenRevoker {

	/** The {@code operation} of revocation observations. */
	public static final String OPERATION = "revoke";

	private static final OAuth2TokenErrorMapper errorMapper = new OAuth2TokenErrorMapper();

	private final WebClient webClient;

	private final TokenEndpointResolver endpoint;

	private final ClientAuthentication authentication;

	private final String label;

	private final @Nullable String registrationId;

	private final String clientName;

	private final TokenRequestObserver observer;

	private final TokenCallPolicy policy;

	private final boolean revokeAccessToken;

	private final Clock clock;

	OAuth2TokenRevoker(WebClient webClient, TokenEndpointResolver endpoint, ClientAuthentication authentication,
			@Nullable String registrationId, String label, String clientName, TokenRequestObserver observer,
			TokenCallPolicy policy, boolean revokeAccessToken, Clock clock) {
		Assert.notNull(endpoint, "revocationEndpoint must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.webClient = webClient;
		this.endpoint = endpoint;
		this.authentication = authentication;
		this.registrationId = registrationId;
		this.label = label;
		this.clientName = clientName;
		this.observer = observer;
		this.policy = policy;
		this.revokeAccessToken = revokeAccessToken;
		this.clock = clock;
	}

	/**
	 * Revoke a token's refresh token, and its access token when this revoker is asked to
	 * and it has not expired. Each is revoked even when the other fails; the first
	 * failure is answered.
	 * @param token the token
	 * @return whether a revocation was sent and accepted; {@code false} when there was
	 * nothing to revoke or the endpoint is not listed
	 */
	public Mono<Boolean> revoke(AccessToken token) {
		Assert.notNull(token, "token must not be null");
		List<Mono<Boolean>> calls = new ArrayList<>(2);
		String refreshToken = token.getRefreshToken();
		if (refreshToken != null) {
			calls.add(revoke(refreshToken, "refresh_token"));
		}
		if (this.revokeAccessToken && !token.isExpired(this.clock.millis())) {
			calls.add(revoke(token.getTokenValue(), "access_token"));
		}
		return Flux.concatDelayError(Flux.fromIterable(calls)).reduce(false, (one, other) -> one || other);
	}

	/**
	 * Return whether the access token is revoked as well as the refresh token.
	 * @return whether access tokens are revoked
	 */
	public boolean isRevokeAccessToken() {
		return this.revokeAccessToken;
	}

	/**
	 * Return what tells the revocation endpoint.
	 * @return the resolver
	 */
	public TokenEndpointResolver getRevocationEndpoint() {
		return this.endpoint;
	}

	private Mono<Boolean> revoke(String value, String hint) {
		MultiValueMap<String, String> parameters = new LinkedMultiValueMap<>();
		parameters.set("token", value);
		parameters.set("token_type_hint", hint);
		return this.endpoint.resolve()
			.flatMap((uri) -> TokenCallRetry.execute(this.policy, TokenCallKind.REPEATABLE,
					(attempt) -> send(attempt, uri, parameters, value)))
			.defaultIfEmpty(false);
	}

	private Mono<Boolean> send(TokenCallAttempt attempt, URI uri, MultiValueMap<String, String> parameters,
			String value) {
		return this.observer.observe(this.clientName, this.registrationId, OPERATION, (context) -> Mono.defer(() -> {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>(parameters);
			HttpHeaders authenticationHeaders = new HttpHeaders();
			authenticate(authenticationHeaders, form);
			Mono<Boolean> exchange = this.webClient.post().uri(uri).headers((headers) -> {
				headers.setAccept(Collections.singletonList(MediaType.APPLICATION_JSON));
				headers.putAll(authenticationHeaders);
			})
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.body(BodyInserters.fromFormData(form))
				.exchangeToMono((response) -> {
					context.setStatus(response.statusCode().value());
					return ResponseContent.read(response, this.policy.maxAnswerBytes())
						.map((content) -> accepted(content, value));
				});
			return attempt.limit(exchange)
				.onErrorMap(TokenCallAttempt::isNoAnswer, (error) -> transportFailure(attempt.noAnswer(error)));
		}));
	}

	private boolean accepted(ResponseContent content, String value) {
		if (content.isSuccessful()) {
			return true;
		}
		List<String> secrets = new ArrayList<>(this.authentication.getSecrets());
		secrets.add(value);
		OAuth2TokenException mapped = errorMapper.map(this.label, content.getStatusCode(), content.getJson(),
				content.getContentType(), secrets, content.getRetryAfter());
		String message = String.valueOf(mapped.getMessage()).replaceFirst("^Token endpoint", "Revocation endpoint");
		throw new OAuth2TokenException(this.label, mapped.getStatusCode(), mapped.getError(),
				mapped.getErrorDescription(), mapped.getErrorUri(), mapped.getAdditionalParameters(),
				mapped.getRetryAfter(), message);
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
					"Client authentication of '" + this.label + "' failed before its revocation request: "
							+ ex.getMessage() + "; check its client-key and client-authentication",
					ex);
		}
	}

	private OAuth2TokenException transportFailure(TransportFailure failure) {
		OAuth2TokenException exception = new OAuth2TokenException(this.label, 0, null, null, null,
				"Revocation endpoint of '" + this.label + "' " + failure.describe() + " on " + OPERATION
						+ "; check its revocation-uri (or its issuer's revocation_endpoint) and the network");
		Throwable cause = failure.getCause();
		if (cause != null) {
			exception.initCause(cause);
		}
		return exception;
	}

	@Override
	public String toString() {
		return "OAuth2TokenRevoker[registration=" + this.label + ", endpoint=" + this.endpoint + ", revokeAccessToken="
				+ this.revokeAccessToken + "]";
	}

}
