package io.tokenkit.aozora;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.http.HttpHeaders;
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
 * Each call is a {@code tokenkit.token.requests} observation with client
 * {@value #CLIENT_NAME} and operation {@code exchange} or {@code refresh}. Error answers
 * become {@link GmoAozoraTokenException}.
 */
public final class GmoAozoraTokenClient {

	/**
	 * The {@code client} tag of this client's observations, and its registration id by
	 * default.
	 */
	public static final String CLIENT_NAME = "gmo-aozora";

	/** The media type the bank's token endpoint is asked for. */
	public static final MediaType ACCEPT = MediaType.parseMediaType("application/json;charset=UTF-8");

	private final WebClient webClient;

	private final URI tokenUri;

	private final String clientId;

	private final String clientSecret;

	private final ClientAuthenticationMethod authenticationMethod;

	private final TokenRequestObserver observer;

	private final OAuth2TokenClient delegate;

	private final @Nullable String basicAuthorization;

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
		this(webClient, tokenUri, clientId, clientSecret, authenticationMethod, observer, null);
	}

	private GmoAozoraTokenClient(WebClient webClient, URI tokenUri, String clientId, String clientSecret,
			ClientAuthenticationMethod authenticationMethod, TokenRequestObserver observer,
			@Nullable String registrationId) {
		Assert.notNull(webClient, "webClient must not be null");
		Assert.notNull(tokenUri, "tokenUri must not be null");
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		Assert.notNull(authenticationMethod, "authenticationMethod must not be null");
		Assert.notNull(observer, "observer must not be null");
		this.webClient = webClient;
		this.tokenUri = tokenUri;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.authenticationMethod = authenticationMethod;
		this.observer = observer;
		this.delegate = new OAuth2TokenClient(webClient, tokenUri, clientId, clientSecret, authenticationMethod,
				registrationId, CLIENT_NAME, observer);
		this.basicAuthorization = (authenticationMethod == ClientAuthenticationMethod.BASIC) ? "Basic "
				+ Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8))
				: null;
	}

	/**
	 * Return a client with the same settings whose observations and errors name a
	 * TokenKit registration.
	 * @param registrationId the registration id
	 * @return the client
	 */
	public GmoAozoraTokenClient forRegistration(String registrationId) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		return new GmoAozoraTokenClient(this.webClient, this.tokenUri, this.clientId, this.clientSecret,
				this.authenticationMethod, this.observer, registrationId);
	}

	/**
	 * Return the client id.
	 * @return the client id
	 */
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * Return the token endpoint.
	 * @return the token URI
	 */
	public URI getTokenUri() {
		return this.tokenUri;
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
		Assert.hasText(code, "code must not be empty");
		Assert.hasText(redirectUri, "redirectUri must not be empty");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "authorization_code");
		form.set("code", code);
		form.set("redirect_uri", redirectUri);
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
		return this.delegate.request(operation, form, (headers) -> {
			headers.setAccept(List.of(ACCEPT));
			if (this.basicAuthorization != null) {
				headers.set(HttpHeaders.AUTHORIZATION, this.basicAuthorization);
			}
		}).onErrorMap(OAuth2TokenException.class, GmoAozoraTokenException::new);
	}

	@Override
	public String toString() {
		return "GmoAozoraTokenClient[tokenUri=" + this.tokenUri + ", clientId=" + this.clientId + ", authentication="
				+ this.authenticationMethod + "]";
	}

}
