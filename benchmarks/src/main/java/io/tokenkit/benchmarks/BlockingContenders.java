package io.tokenkit.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Function;

import io.tokenkit.restclient.BearerTokenClientHttpRequestInterceptor;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.AbstractClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.RestClientClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.client.OAuth2ClientHttpRequestInterceptor;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.client.RestClient;

/**
 * Builds the contenders of the blocking benchmarks, the {@link RestClient} counterparts
 * of {@link Contenders}, set up the way a user would set them up:
 * <ol>
 * <li>a: a {@link RestClient} with no interceptor;</li>
 * <li>a′: a {@link RestClient} with an interceptor that passes the request on, the floor
 * (a {@code RestClient} with any interceptor buffers the request and wraps the
 * execution);</li>
 * <li>b: TokenKit's {@link BearerTokenClientHttpRequestInterceptor}, from
 * {@link BearerTokenInterceptors}, over a {@link TokenManager} with an in-memory
 * store;</li>
 * <li>c: Spring Security's {@link OAuth2ClientHttpRequestInterceptor} with a
 * {@code client_credentials} {@link ClientRegistration}, the in-memory registration
 * repository and authorized-client service, and an
 * {@link AuthorizedClientServiceOAuth2AuthorizedClientManager}.</li>
 * </ol>
 * Requests go to a {@link ClientHttpRequestFactory} that answers in memory, with no I/O,
 * as the {@code WebClient} benchmarks use an in-memory {@code ExchangeFunction}.
 */
public final class BlockingContenders {

	private BlockingContenders() {
	}

	/**
	 * Return a request factory whose requests answer {@code 200 OK} with no body at once,
	 * in memory.
	 * @return the request factory
	 */
	public static ClientHttpRequestFactory inMemoryOk() {
		return inMemory((headers) -> HttpStatus.OK);
	}

	/**
	 * Return a request factory whose requests answer at once, in memory, with no body and
	 * the status the given function chooses from the headers sent.
	 * @param status the status of the answer to a request with the given headers
	 * @return the request factory
	 */
	public static ClientHttpRequestFactory inMemory(Function<HttpHeaders, HttpStatus> status) {
		return (uri, method) -> new InMemoryRequest(uri, method, status);
	}

	/**
	 * Return a builder of clients whose requests go to the given request factory.
	 * @param requestFactory the request factory
	 * @return the builder
	 */
	public static RestClient.Builder builder(ClientHttpRequestFactory requestFactory) {
		return RestClient.builder().requestFactory(requestFactory);
	}

	/**
	 * Build a client with no interceptor.
	 * @param base the builder to start from; it is cloned, not changed
	 * @return the client
	 */
	public static RestClient noInterceptor(RestClient.Builder base) {
		return base.clone().build();
	}

	/**
	 * Build a client with an interceptor that passes the request on: the floor.
	 * @param base the builder to start from; it is cloned, not changed
	 * @return the client
	 */
	public static RestClient noopInterceptor(RestClient.Builder base) {
		return base.clone().requestInterceptor((request, body, execution) -> execution.execute(request, body)).build();
	}

	/**
	 * Build a client with TokenKit's interceptor for {@link Contenders#REGISTRATION_ID},
	 * as {@link BearerTokenInterceptors} hands it out.
	 * @param base the builder to start from; it is cloned, not changed
	 * @param manager the token manager
	 * @return the client
	 */
	public static RestClient tokenKit(RestClient.Builder base, TokenManager manager) {
		ClientHttpRequestInterceptor interceptor = new BearerTokenInterceptors(manager, TokenEventListener.NONE)
			.interceptor(Contenders.REGISTRATION_ID);
		return base.clone().requestInterceptor(interceptor).build();
	}

	/**
	 * Build Spring Security's side.
	 * @param tokenUri the token endpoint
	 * @param clock the clock that decides expiry
	 * @return the setup
	 */
	public static SpringSecurity springSecurity(String tokenUri, Clock clock) {
		return new SpringSecurity(tokenUri, clock);
	}

	/**
	 * Call the resource as the benchmarks do.
	 * @param client the client
	 * @return the status of the answer
	 */
	public static HttpStatusCode call(RestClient client) {
		return client.get().uri(Contenders.RESOURCE).retrieve().toBodilessEntity().getStatusCode();
	}

	/**
	 * Spring Security's OAuth2 client interceptor and the beans behind it.
	 */
	public static final class SpringSecurity {

		private final ClientRegistration registration;

		private final InMemoryOAuth2AuthorizedClientService service;

		private final OAuth2ClientHttpRequestInterceptor interceptor;

		SpringSecurity(String tokenUri, Clock clock) {
			this.registration = ClientRegistration.withRegistrationId(Contenders.REGISTRATION_ID)
				.clientId("bench-client")
				.clientSecret("bench-secret")
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenUri(tokenUri)
				.build();
			InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(
					this.registration);
			this.service = new InMemoryOAuth2AuthorizedClientService(registrations);
			ClientCredentialsOAuth2AuthorizedClientProvider provider = new ClientCredentialsOAuth2AuthorizedClientProvider();
			provider.setClock(clock);
			provider.setAccessTokenResponseClient(new RestClientClientCredentialsTokenResponseClient());
			AuthorizedClientServiceOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
					registrations, this.service);
			manager.setAuthorizedClientProvider(provider);
			this.interceptor = new OAuth2ClientHttpRequestInterceptor(manager);
			// Every request of the client uses the one registration, as TokenKit's
			// interceptor does; the default resolver reads a request attribute instead.
			this.interceptor.setClientRegistrationIdResolver((request) -> Contenders.REGISTRATION_ID);
			// Spring Security's reference setup: a 401 or 403 removes the authorized
			// client.
			this.interceptor.setAuthorizationFailureHandler(
					OAuth2ClientHttpRequestInterceptor.authorizationFailureHandler(this.service));
		}

		/**
		 * Store an authorized client holding the given token, as if it had been obtained
		 * earlier, for the principal the interceptor uses when the security context holds
		 * no authentication.
		 * @param tokenValue the token
		 * @param issuedAt when it was issued
		 * @param expiresAt when it expires
		 */
		public void seed(String tokenValue, Instant issuedAt, Instant expiresAt) {
			OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, tokenValue, issuedAt,
					expiresAt);
			this.service.saveAuthorizedClient(
					new OAuth2AuthorizedClient(this.registration, Contenders.ANONYMOUS.getName(), token),
					Contenders.ANONYMOUS);
		}

		/**
		 * Build a client with Spring Security's interceptor.
		 * @param base the builder to start from; it is cloned, not changed
		 * @return the client
		 */
		public RestClient client(RestClient.Builder base) {
			return base.clone().requestInterceptor(this.interceptor).build();
		}

	}

	/**
	 * A request that is answered in memory when executed: no connection, no bytes on a
	 * wire.
	 */
	private static final class InMemoryRequest extends AbstractClientHttpRequest {

		private final URI uri;

		private final HttpMethod method;

		private final Function<HttpHeaders, HttpStatus> status;

		InMemoryRequest(URI uri, HttpMethod method, Function<HttpHeaders, HttpStatus> status) {
			this.uri = uri;
			this.method = method;
			this.status = status;
		}

		@Override
		public HttpMethod getMethod() {
			return this.method;
		}

		@Override
		public URI getURI() {
			return this.uri;
		}

		@Override
		protected OutputStream getBodyInternal(HttpHeaders headers) {
			return OutputStream.nullOutputStream();
		}

		@Override
		protected ClientHttpResponse executeInternal(HttpHeaders headers) {
			return new InMemoryResponse(this.status.apply(headers));
		}

	}

	/**
	 * A response with a status, no headers and no body.
	 */
	private static final class InMemoryResponse implements ClientHttpResponse {

		private final HttpStatus status;

		private final HttpHeaders headers = new HttpHeaders();

		InMemoryResponse(HttpStatus status) {
			this.status = status;
		}

		@Override
		public HttpStatusCode getStatusCode() {
			return this.status;
		}

		@Override
		public String getStatusText() {
			return this.status.getReasonPhrase();
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		@Override
		public InputStream getBody() throws IOException {
			return InputStream.nullInputStream();
		}

		@Override
		public void close() {
		}

	}

}
