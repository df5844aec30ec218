package io.tokenkit.aozora;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.AccessToken;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls the bank's token endpoint, {@code POST {AUTH}/token}: exchanges an authorization
 * code for tokens and refreshes them. Sends
 * {@code Accept: application/json;charset=UTF-8} and authenticates the client as
 * registered with the bank:
 * <ul>
 * <li>{@link ClientAuthenticationMethod#BASIC basic} ({@code client_secret_basic}):
 * {@code Authorization: Basic base64(client_id ":" client_secret)}, the bank's documented
 * rule (no URL-encoding of id and secret before Base64), no credentials in the form;</li>
 * <li>{@link ClientAuthenticationMethod#POST post} ({@code client_secret_post}):
 * {@code client_id} and {@code client_secret} in the form, no {@code Authorization}
 * header.</li>
 * </ul>
 * The calls are made by an {@link OAuth2TokenClient} with the bank's client
 * authentication. Each call is a {@code tokenkit.token.requests} observation with client
 * {@value #CLIENT_NAME} and operation {@code exchange} or {@code refresh}. Error answers,
 * and calls that get no answer (status {@code 0}, a timeout included), become
 * {@link GmoAozoraTokenException}; an {@code invalid_grant} requires a new authorization.
 * <p>
 * {@link #withDpop With DPoP} (RFC 9449, which the bank does not document today), each
 * send of the code exchange and of the refresh carries a new proof of the key, a
 * {@code use_dpop_nonce} challenge is met once with the nonce, and the tokens record the
 * key's thumbprint.
 */
public final class GmoAozoraTokenClient {

	/**
	 * The {@code client} tag of this client's observations, and its registration id by
	 * default.
	 */
	public static final String CLIENT_NAME = "gmo-aozora";

	/** The media type the bank's token endpoint is asked for. */
	public static final MediaType ACCEPT = MediaType.parseMediaType("application/json;charset=UTF-8");

	private final OAuth2TokenClient delegate;

	/**
	 * Create a client.
	 * @param webClient the web client to send requests with, best built from Spring
	 * Boot's {@code WebClient.Builder}
	 * @param tokenUri the token endpoint, {@code {AUTH}/token}
	 * @param clientId the client id issued by the bank
	 * @param clientSecret the client secret issued by the bank
	 * @param authenticationMethod how the client authenticates, as registered with the
	 * bank
	 * @param observer the observer of token requests
	 */
	public GmoAozoraTokenClient(WebClient webClient, URI tokenUri, String clientId, String clientSecret,
			ClientAuthenticationMethod authenticationMethod, TokenRequestObserver observer) {
		this(webClient, tokenUri, clientId, clientSecret, authenticationMethod, observer, TokenCallPolicy.DEFAULT);
	}

	/**
	 * Create a client whose calls are bounded by a policy.
	 * @param webClient the web client to send requests with, best built from Spring
	 * Boot's {@code WebClient.Builder}
	 * @param tokenUri the token endpoint, {@code {AUTH}/token}
	 * @param clientId the client id issued by the bank
	 * @param clientSecret the client secret issued by the bank
	 * @param authenticationMethod how the client authenticates, as registered with the
	 * bank
	 * @param observer the observer of token requests
	 * @param policy the timeouts, retries and largest answer of the calls; the code
	 * exchange and the refresh redeem single-use credentials and are sent again only when
	 * they were certainly not sent or were refused with a {@code 429}
	 */
	public GmoAozoraTokenClient(WebClient webClient, URI tokenUri, String clientId, String clientSecret,
			ClientAuthenticationMethod authenticationMethod, TokenRequestObserver observer, TokenCallPolicy policy) {
		this(new OAuth2TokenClient(webClient, tokenUri, authentication(authenticationMethod, clientId, clientSecret),
				null, CLIENT_NAME, observer)
			.withPolicy(policy));
	}

	/**
	 * Create a client that authenticates another way than the bank documents today, for
	 * example with {@link ClientAuthentication#privateKeyJwt private_key_jwt}, as FAPI
	 * 2.0 asks of a client of a bank that would follow it.
	 * @param webClient the web client to send requests with, best built from Spring
	 * Boot's {@code WebClient.Builder}
	 * @param tokenUri the token endpoint
	 * @param authentication how the client authenticates
	 * @param observer the observer of token requests
	 * @param policy the timeouts, retries and largest answer of the calls
	 */
	public GmoAozoraTokenClient(WebClient webClient, URI tokenUri, ClientAuthentication authentication,
			TokenRequestObserver observer, TokenCallPolicy policy) {
		this(new OAuth2TokenClient(webClient, tokenUri, authentication, null, CLIENT_NAME, observer)
			.withPolicy(policy));
	}

	private GmoAozoraTokenClient(OAuth2TokenClient delegate) {
		this.delegate = delegate;
	}

	/**
	 * The bank's client authentication: its {@code client_secret_basic} Base64-encodes id
	 * and secret without form-encoding them first.
	 */
	private static ClientAuthentication authentication(ClientAuthenticationMethod method, String clientId,
			String clientSecret) {
		Assert.notNull(method, "authenticationMethod must not be null");
		return switch (method) {
			case BASIC -> ClientAuthentication.clientSecretBasicWithoutFormEncoding(clientId, clientSecret);
			case POST -> ClientAuthentication.clientSecretPost(clientId, clientSecret);
			default -> throw new IllegalArgumentException("GMO Aozora Net Bank authenticates clients with "
					+ "client_secret_basic or client_secret_post only, not " + method.registeredName());
		};
	}

	/**
	 * Return a client with the same settings whose observations and errors name a
	 * TokenKit registration.
	 * @param registrationId the registration id
	 * @return the client
	 */
	public GmoAozoraTokenClient forRegistration(String registrationId) {
		return new GmoAozoraTokenClient(this.delegate.forRegistration(registrationId));
	}

	/**
	 * Return a client with the same settings that sends a new DPoP proof with each send
	 * of the code exchange and of the refresh, and records the key's thumbprint on the
	 * tokens it acquires: see {@link OAuth2TokenClient#withDpop(DpopProofs)}.
	 * @param dpop the proofs of the key the tokens are bound to, the same as the
	 * registration's requests send
	 * @return the client
	 */
	public GmoAozoraTokenClient withDpop(DpopProofs dpop) {
		return new GmoAozoraTokenClient(this.delegate.withDpop(dpop));
	}

	/**
	 * Return the DPoP proofs the calls send.
	 * @return the proofs, or {@code null} when the calls send none
	 */
	public @Nullable DpopProofs getDpop() {
		return this.delegate.getDpop();
	}

	/**
	 * Return a token this client acquired as it is stored: with DPoP, with the key's
	 * thumbprint.
	 */
	AccessToken bind(AccessToken token) {
		return this.delegate.bind(token);
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String getClientId() {
		return this.delegate.getClientId();
	}

	/**
	 * Return how the client authenticates, which a pushed authorization request does as a
	 * token call does.
	 * @return the client authentication
	 */
	public ClientAuthentication getAuthentication() {
		return this.delegate.getAuthentication();
	}

	/**
	 * Return the token endpoint.
	 * @return the token URI
	 */
	public URI getTokenUri() {
		return this.delegate.getTokenUri();
	}

	/**
	 * Exchange an authorization code for tokens: {@code POST /token} with
	 * {@code grant_type=authorization_code}, {@code code} and {@code redirect_uri}.
	 * @param code the {@code code} of the authorization callback
	 * @param redirectUri the {@code redirect_uri} sent in the authorization request
	 * @return the tokens; an {@code id_token} too when the authorization was an OpenID
	 * Connect one
	 */
	public Mono<OAuth2TokenResponse> exchange(String code, String redirectUri) {
		return exchange(code, redirectUri, null);
	}

	/**
	 * Exchange the authorization code of a request with PKCE for tokens:
	 * {@code POST /token} with {@code grant_type=authorization_code}, {@code code},
	 * {@code redirect_uri} and {@code code_verifier} (RFC 7636 §4.5).
	 * @param code the {@code code} of the authorization callback
	 * @param redirectUri the {@code redirect_uri} sent in the authorization request
	 * @param codeVerifier the {@code code_verifier} of the request's
	 * {@code code_challenge}, or {@code null} when it had none
	 * @return the tokens; an {@code id_token} too when the authorization was an OpenID
	 * Connect one
	 */
	public Mono<OAuth2TokenResponse> exchange(String code, String redirectUri, @Nullable String codeVerifier) {
		Assert.hasText(code, "code must not be empty");
		Assert.hasText(redirectUri, "redirectUri must not be empty");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "authorization_code");
		form.set("code", code);
		form.set("redirect_uri", redirectUri);
		if (codeVerifier != null) {
			form.set("code_verifier", codeVerifier);
		}
		return request("exchange", form);
	}

	/**
	 * Refresh tokens: {@code POST /token} with {@code grant_type=refresh_token} and
	 * {@code refresh_token}.
	 * @param refreshToken the refresh token
	 * @return the new tokens
	 */
	public Mono<OAuth2TokenResponse> refresh(String refreshToken) {
		Assert.hasText(refreshToken, "refreshToken must not be empty");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "refresh_token");
		form.set("refresh_token", refreshToken);
		return request("refresh", form);
	}

	private Mono<OAuth2TokenResponse> request(String operation, MultiValueMap<String, String> form) {
		return this.delegate.request(operation, form, (headers) -> headers.setAccept(List.of(ACCEPT)))
			.onErrorMap(OAuth2TokenException.class, GmoAozoraTokenException::new);
	}

	@Override
	public String toString() {
		return "GmoAozoraTokenClient[tokenUri=" + getTokenUri() + ", clientId=" + getClientId() + ", authentication="
				+ this.delegate.getAuthentication() + ((getDpop() != null) ? ", dpop=" + getDpop() : "") + "]";
	}

}
