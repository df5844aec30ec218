package io.tokenkit.autoconfigure.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistrationStatus;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.DataType;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestCustomizers;
import org.springframework.security.oauth2.client.web.server.DefaultServerOAuth2AuthorizationRequestResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Security logs a user in against a real Spring Authorization Server
 * ({@link LoginServer}: authorization code with PKCE, three-second access tokens,
 * single-use refresh tokens), driven over HTTP by a cookie-keeping {@link BrowserLogin
 * browser}, and TokenKit holds, sends, refreshes and shares the user's tokens from then
 * on: in a servlet application with a {@code RestClient}, in a WebFlux application with a
 * {@code WebClient}, and across two instances on one Redis. Whoever asks after an expiry
 * (a TokenKit client, Spring Security's authorized-client manager in application code,
 * another instance), the authorization server sees one refresh and no refused one; a
 * logout removes the user's token.
 */
class TokenKitLoginIntegrationTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static LoginServer server;

	private static final TokenKey USER_KEY = TokenKey.of("bank", LoginServer.USER);

	@BeforeAll
	static void startAuthorizationServer() {
		server = LoginServer.start();
	}

	@AfterAll
	static void stopAuthorizationServer() {
		server.close();
	}

	@Test
	void servletLoginThenRestClientSendsUsersTokenRefreshedOncePerExpiryWhoeverAsks() throws Exception {
		try (ConfigurableApplicationContext app = start(ServletApplication.class, WebApplicationType.SERVLET,
				server.clientProperties())) {
			assertThat(app.getBean(OAuth2AuthorizedClientService.class))
				.isInstanceOf(TokenKitOAuth2AuthorizedClientService.class);
			assertOneRefreshPerExpiryWhoeverAsks(app);
		}
	}

	@Test
	void webFluxLoginThenWebClientSendsUsersTokenRefreshedOncePerExpiryWhoeverAsks() throws Exception {
		try (ConfigurableApplicationContext app = start(ReactiveApplication.class, WebApplicationType.REACTIVE,
				server.clientProperties())) {
			assertThat(app.getBean(ReactiveOAuth2AuthorizedClientService.class))
				.isInstanceOf(TokenKitReactiveOAuth2AuthorizedClientService.class);
			assertOneRefreshPerExpiryWhoeverAsks(app);
		}
	}

	/**
	 * Log in, call the resource through TokenKit's client and through Spring Security's
	 * manager across two expiries, and log out.
	 */
	private static void assertOneRefreshPerExpiryWhoeverAsks(ConfigurableApplicationContext app) throws Exception {
		String application = baseUrl(app);
		TokenManager manager = app.getBean(TokenManager.class);
		BrowserLogin browser = new BrowserLogin();
		browser.login(application, "bank", LoginServer.USER, LoginServer.PASSWORD);
		AccessToken login = held(manager);
		assertThat(login.getRefreshToken()).as("the login's refresh token, held by TokenKit").isNotNull();
		// health counts the user like any other, and names no one
		TokenRegistrationStatus status = manager.getRegistrationStatus("bank");
		assertThat(status.userTokens().connected()).isEqualTo(1);
		assertThat(status.toString()).doesNotContain(LoginServer.USER);
		int refreshes = server.refreshes();
		int refused = server.refused();

		// TokenKit's client sends the logged-in user's token: no subject set anywhere
		assertThat(browser.get(application + "/bank/hello").body()).isEqualTo("hello " + LoginServer.USER);
		assertThat(server.refreshes()).isEqualTo(refreshes);

		awaitExpiry(login);
		assertThat(browser.get(application + "/bank/hello").body()).isEqualTo("hello " + LoginServer.USER);
		AccessToken refreshed = held(manager);
		assertThat(refreshed.getTokenValue()).isNotEqualTo(login.getTokenValue());
		assertThat(server.refreshes()).isEqualTo(refreshes + 1);
		// Spring Security's manager in application code: TokenKit's token, no token call
		assertThat(browser.get(application + "/bank/token").body()).isEqualTo(refreshed.getTokenValue());
		assertThat(server.refreshes()).isEqualTo(refreshes + 1);

		awaitExpiry(refreshed);
		// the manager asks first: one refresh, whose token TokenKit's client sends too
		String byManager = browser.get(application + "/bank/token").body();
		assertThat(byManager).isNotEqualTo(refreshed.getTokenValue()).isEqualTo(held(manager).getTokenValue());
		assertThat(browser.get(application + "/bank/hello").body()).isEqualTo("hello " + LoginServer.USER);
		assertThat(server.refreshes()).isEqualTo(refreshes + 2);
		assertThat(server.refused()).isEqualTo(refused);
		// the server's refresh tokens are single-use indeed
		assertThat(refreshGrantStatus(login.getRefreshToken())).isEqualTo(400);

		assertThat(browser.post(application + "/logout").statusCode()).isEqualTo(302);
		assertThat(manager.getHeldToken(USER_KEY).blockOptional()).as("the user's token after logout").isEmpty();
	}

	@Test
	void twoInstancesOnRedisWhenUserLogsInOnOneThenOtherServesAndRefreshesOncePerRotation() throws Exception {
		Map<String, Object> properties = server.clientProperties();
		properties.put("tokenkit.store.type", "redis");
		properties.put("spring.data.redis.port", Integer.toString(redisServer.port()));
		properties.put("tokenkit.store.subject-key", "login-test-subject-key-0123456789abcdef");
		properties.put("tokenkit.store.encryption-key", Base64.getEncoder()
			.encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII)));
		try (ConfigurableApplicationContext first = start(ServletApplication.class, WebApplicationType.SERVLET,
				properties);
				ConfigurableApplicationContext second = start(ServletApplication.class, WebApplicationType.SERVLET,
						properties)) {
			String application = baseUrl(first);
			BrowserLogin browser = new BrowserLogin();
			browser.login(application, "bank", LoginServer.USER, LoginServer.PASSWORD);
			AccessToken login = held(first.getBean(TokenManager.class));
			BankController secondBank = second.getBean(BankController.class);
			int refreshes = server.refreshes();
			int refused = server.refused();
			assertThat(secondBank.helloAs(LoginServer.USER)).isEqualTo("hello " + LoginServer.USER);
			assertThat(server.refreshes()).isEqualTo(refreshes);

			awaitExpiry(login);
			assertThat(secondBank.helloAs(LoginServer.USER)).isEqualTo("hello " + LoginServer.USER);
			assertThat(server.refreshes()).isEqualTo(refreshes + 1);
			AccessToken rotated = held(second.getBean(TokenManager.class));
			// the first instance sends the rotated token, with no refresh of its own
			assertThat(browser.get(application + "/bank/hello").body()).isEqualTo("hello " + LoginServer.USER);
			assertThat(held(first.getBean(TokenManager.class)).getTokenValue()).isEqualTo(rotated.getTokenValue());
			assertThat(server.refreshes()).isEqualTo(refreshes + 1);

			awaitExpiry(rotated);
			CompletableFuture<String> bySecond = CompletableFuture
				.supplyAsync(() -> secondBank.helloAs(LoginServer.USER));
			CompletableFuture<String> byFirst = CompletableFuture
				.supplyAsync(() -> bodyOf(browser, application + "/bank/hello"));
			assertThat(bySecond.get()).isEqualTo("hello " + LoginServer.USER);
			assertThat(byFirst.get()).isEqualTo("hello " + LoginServer.USER);
			assertThat(server.refreshes()).as("one refresh for both instances").isEqualTo(refreshes + 2);
			assertThat(server.refused()).as("invalid_grant answers").isEqualTo(refused);

			List<String> stored = storedKeysAndValues(first.getBean(ReactiveStringRedisTemplate.class));
			assertThat(stored).isNotEmpty().noneMatch((text) -> text.contains(LoginServer.USER));

			assertThat(browser.post(application + "/logout").statusCode()).isEqualTo(302);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(
						() -> assertThat(second.getBean(TokenManager.class).getHeldToken(USER_KEY).blockOptional())
							.isEmpty());
		}
	}

	/**
	 * Return every key of Redis and every value, as SCAN and GET (or HGETALL) read them.
	 */
	private static List<String> storedKeysAndValues(ReactiveStringRedisTemplate redis) {
		List<String> stored = new ArrayList<>();
		for (String key : redis.scan().collectList().block()) {
			stored.add(key);
			DataType type = redis.type(key).block();
			if (type == DataType.STRING) {
				stored.add(redis.opsForValue().get(key).block());
			}
			else if (type == DataType.HASH) {
				redis.opsForHash()
					.entries(key)
					.doOnNext((entry) -> stored.add(entry.getKey() + "=" + entry.getValue()))
					.blockLast();
			}
		}
		return stored;
	}

	private static ConfigurableApplicationContext start(Class<?> application, WebApplicationType type,
			Map<String, Object> properties) {
		return new SpringApplicationBuilder(application).web(type).properties(properties).run();
	}

	private static String baseUrl(ConfigurableApplicationContext app) {
		// 127.0.0.1 for the application, localhost for the server: two cookie jars
		return "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
	}

	private static AccessToken held(TokenManager manager) {
		AccessToken token = manager.getHeldToken(USER_KEY).block();
		assertThat(token).as("the user's token held by TokenKit").isNotNull();
		return token;
	}

	/**
	 * Wait until a token has expired: the setup of the next call, not an assertion.
	 */
	private static void awaitExpiry(AccessToken token) {
		Instant expiresAt = token.getExpiresAt();
		assertThat(expiresAt).isNotNull();
		await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(20))
			.until(() -> Instant.now().isAfter(expiresAt));
	}

	private static String bodyOf(BrowserLogin browser, String url) {
		try {
			return browser.get(url).body();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the status of a refresh grant with a refresh token, sent as the client.
	 */
	private static int refreshGrantStatus(String refreshToken) throws Exception {
		String credentials = Base64.getEncoder()
			.encodeToString("bank-app:bank-secret".getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/oauth2/token"))
			.header("Authorization", "Basic " + credentials)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=refresh_token&refresh_token=" + refreshToken))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@Import(BankController.class)
	static class ServletApplication {

		@Bean
		SecurityFilterChain login(HttpSecurity http, ClientRegistrationRepository registrations) throws Exception {
			DefaultOAuth2AuthorizationRequestResolver pkce = new DefaultOAuth2AuthorizationRequestResolver(
					registrations, "/oauth2/authorization");
			pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2Login((login) -> login
					.authorizationEndpoint((endpoint) -> endpoint.authorizationRequestResolver(pkce)))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

	}

	@RestController
	static class BankController {

		private final RestClient bank;

		private final OAuth2AuthorizedClientManager clients;

		BankController(@Qualifier("bank") RestClient bank, OAuth2AuthorizedClientManager clients) {
			this.bank = bank;
			this.clients = clients;
		}

		@GetMapping("/bank/hello")
		String hello() {
			return this.bank.get().uri("/hello").retrieve().body(String.class);
		}

		@GetMapping("/bank/token")
		String token(Authentication user) {
			return this.clients
				.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("bank").principal(user).build())
				.getAccessToken()
				.getTokenValue();
		}

		String helloAs(String subject) {
			return this.bank.get()
				.uri("/hello")
				.attribute(TokenRequestAttributes.SUBJECT, subject)
				.retrieve()
				.body(String.class);
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
			"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
	@Import(ReactiveBankController.class)
	static class ReactiveApplication {

		@Bean
		SecurityWebFilterChain login(ServerHttpSecurity http, ReactiveClientRegistrationRepository registrations,
				TokenKitServerLogoutHandler tokenKitLogout) {
			DefaultServerOAuth2AuthorizationRequestResolver pkce = new DefaultServerOAuth2AuthorizationRequestResolver(
					registrations);
			pkce.setAuthorizationRequestCustomizer(OAuth2AuthorizationRequestCustomizers.withPkce());
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.oauth2Login((login) -> login.authorizationRequestResolver(pkce))
				.logout((logout) -> logout.logoutHandler((handlers) -> handlers.add(tokenKitLogout)))
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

	@RestController
	static class ReactiveBankController {

		private final WebClient bank;

		private final ReactiveOAuth2AuthorizedClientManager clients;

		ReactiveBankController(@Qualifier("bank") WebClient bank, ReactiveOAuth2AuthorizedClientManager clients) {
			this.bank = bank;
			this.clients = clients;
		}

		@GetMapping("/bank/hello")
		Mono<String> hello() {
			return this.bank.get().uri("/hello").retrieve().bodyToMono(String.class);
		}

		@GetMapping("/bank/token")
		Mono<String> token(Authentication user, ServerWebExchange exchange) {
			return this.clients
				.authorize(OAuth2AuthorizeRequest.withClientRegistrationId("bank")
					.principal(user)
					.attribute(ServerWebExchange.class.getName(), exchange)
					.build())
				.map((client) -> client.getAccessToken().getTokenValue());
		}

	}

}
