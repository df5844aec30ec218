package io.tokenkit.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.client.AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ClientCredentialsReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.endpoint.WebClientReactiveClientCredentialsTokenResponseClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.reactive.function.client.ServerOAuth2AuthorizedClientExchangeFilterFunction;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Builds the three contenders every benchmark compares, set up the way a user would set
 * them up:
 * <ol>
 * <li>a: a {@link WebClient} with no filter, the floor;</li>
 * <li>b: TokenKit's {@link BearerTokenExchangeFilterFunction} over a {@link TokenManager}
 * with an {@link InMemoryTokenStore};</li>
 * <li>c: Spring Security's {@link ServerOAuth2AuthorizedClientExchangeFilterFunction}
 * with a {@code client_credentials} {@link ClientRegistration}, the in-memory
 * registration repository and authorized-client service, and an
 * {@link AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager}.</li>
 * </ol>
 */
public final class Contenders {

	/** The registration id used by TokenKit and Spring Security alike. */
	public static final String REGISTRATION_ID = "bench";

	/**
	 * The principal Spring Security's filter uses when the Reactor context holds no
	 * authentication.
	 */
	public static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("anonymous", "anonymousUser",
			AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

	/** The resource the benchmarks call. */
	public static final URI RESOURCE = URI.create("http://127.0.0.1/api/resource");

	private Contenders() {
	}

	/**
	 * Return an exchange function that answers {@code 200 OK} with no body at once, in
	 * memory.
	 * @return the exchange function
	 */
	public static ExchangeFunction inMemoryOk() {
		return (request) -> Mono.just(ClientResponse.create(HttpStatus.OK).build());
	}

	/**
	 * Return a builder of clients whose requests go to the given exchange function.
	 * @param exchange the exchange function
	 * @return the builder
	 */
	public static WebClient.Builder builder(ExchangeFunction exchange) {
		return WebClient.builder().exchangeFunction(exchange);
	}

	/**
	 * Build a client with no filter.
	 * @param base the builder to start from; it is cloned, not changed
	 * @return the client
	 */
	public static WebClient floor(WebClient.Builder base) {
		return base.clone().build();
	}

	/**
	 * Build a TokenKit token manager with one registration.
	 * @param source the registration's token source
	 * @param clock the clock that decides expiry
	 * @return the manager
	 */
	public static TokenManager tokenKitManager(TokenSource source, Clock clock) {
		return new TokenManager(List.of(TokenRegistration.of(REGISTRATION_ID, source)), new InMemoryTokenStore(), clock,
				TokenEventListener.NONE, TokenManager.DEFAULT_ACQUIRE_TIMEOUT);
	}

	/**
	 * Build a TokenKit token manager whose registration holds a token valid for an hour
	 * from now: every request finds it cached. The registration's source is a static one
	 * that is never asked.
	 * @param token the token held
	 * @param clock the clock that decides expiry
	 * @return the manager
	 */
	public static TokenManager tokenKitManagerHolding(String token, Clock clock) {
		TokenManager manager = tokenKitManager(new StaticTokenSource("unused-static-token"), clock);
		Instant now = clock.instant();
		manager
			.save(applicationKey(),
					AccessToken.withValue(token).issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).build())
			.block();
		return manager;
	}

	/**
	 * Build a client with TokenKit's bearer filter.
	 * @param base the builder to start from; it is cloned, not changed
	 * @param manager the token manager
	 * @return the client
	 */
	public static WebClient tokenKit(WebClient.Builder base, TokenManager manager) {
		return base.clone().filter(new BearerTokenExchangeFilterFunction(manager, REGISTRATION_ID)).build();
	}

	/**
	 * Return the key of the application token TokenKit caches.
	 * @return the key
	 */
	public static TokenKey applicationKey() {
		return TokenKey.of(REGISTRATION_ID);
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
	 * Spring Security's OAuth2 client filter and the beans behind it.
	 */
	public static final class SpringSecurity {

		private final ClientRegistration registration;

		private final InMemoryReactiveOAuth2AuthorizedClientService service;

		private final ServerOAuth2AuthorizedClientExchangeFilterFunction filter;

		SpringSecurity(String tokenUri, Clock clock) {
			this.registration = ClientRegistration.withRegistrationId(REGISTRATION_ID)
				.clientId("bench-client")
				.clientSecret("bench-secret")
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.tokenUri(tokenUri)
				.build();
			InMemoryReactiveClientRegistrationRepository registrations = new InMemoryReactiveClientRegistrationRepository(
					this.registration);
			this.service = new InMemoryReactiveOAuth2AuthorizedClientService(registrations);
			ClientCredentialsReactiveOAuth2AuthorizedClientProvider provider = new ClientCredentialsReactiveOAuth2AuthorizedClientProvider();
			provider.setClock(clock);
			provider.setAccessTokenResponseClient(new WebClientReactiveClientCredentialsTokenResponseClient());
			AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager manager = new AuthorizedClientServiceReactiveOAuth2AuthorizedClientManager(
					registrations, this.service);
			manager.setAuthorizedClientProvider(provider);
			this.filter = new ServerOAuth2AuthorizedClientExchangeFilterFunction(manager);
			this.filter.setDefaultClientRegistrationId(REGISTRATION_ID);
		}

		/**
		 * Store an authorized client holding the given token, as if it had been obtained
		 * earlier.
		 * @param tokenValue the token
		 * @param issuedAt when it was issued
		 * @param expiresAt when it expires
		 */
		public void seed(String tokenValue, Instant issuedAt, Instant expiresAt) {
			OAuth2AccessToken token = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, tokenValue, issuedAt,
					expiresAt);
			this.service
				.saveAuthorizedClient(new OAuth2AuthorizedClient(this.registration, ANONYMOUS.getName(), token),
						ANONYMOUS)
				.block(Duration.ofSeconds(5));
		}

		/**
		 * Build a client with Spring Security's filter.
		 * @param base the builder to start from; it is cloned, not changed
		 * @return the client
		 */
		public WebClient client(WebClient.Builder base) {
			return base.clone().filter(this.filter).build();
		}

	}

}
