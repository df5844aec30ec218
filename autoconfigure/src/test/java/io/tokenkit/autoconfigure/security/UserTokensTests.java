package io.tokenkit.autoconfigure.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration;
import org.springframework.boot.security.oauth2.client.autoconfigure.servlet.OAuth2ClientWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.oauth2.client.AuthorizedClientServiceOAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizeRequest;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProviderBuilder;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.InMemoryReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * What Spring Security code gets from TokenKit's authorized-client service and provider
 * beside an application's own manager, provider beans, key resolver and a failing store:
 * never an expired token, the application's provider chain as it made it, the users'
 * tokens served whatever resolver the application brings, a logout that completes, and no
 * older token saved over a newer one.
 */
@ExtendWith(OutputCaptureExtension.class)
class UserTokensTests {

	private static final String REGISTRATION = "spring.security.oauth2.client.registration.";

	private static final String PROVIDER = "spring.security.oauth2.client.provider.";

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(HttpClientAutoConfiguration.class,
			ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
			WebClientAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
			TokenKitAutoConfiguration.class, TokenKitRestClientAutoConfiguration.class,
			TokenKitSpringSecurityAutoConfiguration.class, OAuth2ClientAutoConfiguration.class,
			ReactiveOAuth2ClientAutoConfiguration.class);

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	private String[] users() {
		return new String[] { REGISTRATION + "users.provider=auth", REGISTRATION + "users.client-id=users-app",
				REGISTRATION + "users.client-secret=users-secret",
				REGISTRATION + "users.authorization-grant-type=authorization_code",
				REGISTRATION + "users.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
				REGISTRATION + "users.scope=accounts.read",
				PROVIDER + "auth.authorization-uri=https://auth.example.com/authorize",
				PROVIDER + "auth.token-uri=" + this.server.url("/oauth2/token"),
				"tokenkit.registrations.users.from-spring-security=true" };
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(CONFIGURATIONS).withPropertyValues(users());
	}

	private static AccessToken token(String value, Instant issuedAt, Duration lifetime) {
		return AccessToken.withValue(value)
			.issuedAt(issuedAt)
			.expiresAt(issuedAt.plus(lifetime))
			.refreshToken("refresh-1")
			.build();
	}

	private static AccessToken expired() {
		return token("expired-access", Instant.now().minusSeconds(600), Duration.ofMinutes(5));
	}

	private void answerRefresh() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"fresh-access\",\"token_type\":\"Bearer\",\"expires_in\":300,"
					+ "\"refresh_token\":\"refresh-2\"}")
			.build());
	}

	@Test
	void applicationsOwnManagerWhenHeldTokenExpiredThenOneRefreshThroughTokenKit() {
		answerRefresh();
		runner().run((context) -> {
			TokenManager manager = context.getBean(TokenManager.class);
			manager.save(TokenKey.of("users", "alice"), expired()).block();
			AuthorizedClientServiceOAuth2AuthorizedClientManager appManager = new AuthorizedClientServiceOAuth2AuthorizedClientManager(
					context.getBean(ClientRegistrationRepository.class),
					context.getBean(OAuth2AuthorizedClientService.class));
			appManager.setAuthorizedClientProvider(
					OAuth2AuthorizedClientProviderBuilder.builder().authorizationCode().refreshToken().build());
			OAuth2AuthorizeRequest request = OAuth2AuthorizeRequest.withClientRegistrationId("users")
				.principal("alice")
				.build();
			OAuth2AuthorizedClient client = appManager.authorize(request);
			assertThat(client).isNotNull();
			assertThat(client.getAccessToken().getTokenValue()).isEqualTo("fresh-access");
			assertThat(client.getAccessToken().getExpiresAt()).isAfter(Instant.now());
			assertThat(client.getRefreshToken()).isNull();
			assertThat(appManager.authorize(request).getAccessToken().getTokenValue()).isEqualTo("fresh-access");
			assertThat(this.server.getRequestCount()).isOne();
			assertThat(manager.getHeldToken(TokenKey.of("users", "alice")).block().getRefreshToken())
				.isEqualTo("refresh-2");
		});
	}

	@Test
	void loadWhenUserHasNoTokenThenNoneAndNoTokenCall() {
		runner().run((context) -> {
			OAuth2AuthorizedClientService service = context.getBean(OAuth2AuthorizedClientService.class);
			assertThat((Object) service.loadAuthorizedClient("users", "bob")).isNull();
			assertThat(this.server.getRequestCount()).isZero();
		});
	}

	@Test
	void applicationsDelegatingProviderBeanWhenTokenKitServesThenManagerUsesItAsItIs() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withConfiguration(AutoConfigurations.of(OAuth2ClientWebSecurityAutoConfiguration.class))
			.withUserConfiguration(WebSecurity.class)
			.withPropertyValues(users())
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(TokenKitOAuth2AuthorizedClientProvider.class);
				Object used = ReflectionTestUtils.getField(context.getBean(OAuth2AuthorizedClientManager.class),
						"authorizedClientProvider");
				assertThat(used).isSameAs(context.getBean("appProvider"));
			});
	}

	@Test
	void keyResolverReplacedThenRegistrationStillServed() {
		runner()
			.withBean(TokenKitAutoConfiguration.SPRING_SECURITY_KEY_RESOLVER, TokenKeyResolver.class,
					() -> (attributes, applicationKey) -> applicationKey)
			.run((context) -> {
				AccessToken valid = token("valid-access", Instant.now(), Duration.ofMinutes(30));
				context.getBean(TokenManager.class).save(TokenKey.of("users", "alice"), valid).block();
				OAuth2AuthorizedClientService service = context.getBean(OAuth2AuthorizedClientService.class);
				assertThat(service).hasToString("TokenKitOAuth2AuthorizedClientService[registrations=[users]]");
				OAuth2AuthorizedClient client = service.loadAuthorizedClient("users", "alice");
				assertThat(client.getAccessToken().getTokenValue()).isEqualTo("valid-access");
			});
	}

	@Test
	void loadAndAuthorizeWhenTokenIsDpopBoundThenSpringSecurityGetsDpopType() {
		runner().run((context) -> {
			TokenManager manager = context.getBean(TokenManager.class);
			AccessToken bound = token("bound-access", Instant.now(), Duration.ofMinutes(30)).mutate()
				.tokenType("DPoP")
				.keyThumbprint("jkt-1")
				.build();
			manager.save(TokenKey.of("users", "alice"), bound).block();
			manager.save(TokenKey.of("users", "bob"), token("bearer-access", Instant.now(), Duration.ofMinutes(30)))
				.block();
			OAuth2AuthorizedClientService service = context.getBean(OAuth2AuthorizedClientService.class);
			OAuth2AuthorizedClient alice = service.loadAuthorizedClient("users", "alice");
			assertThat(alice.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.DPOP);
			OAuth2AuthorizedClient bob = service.loadAuthorizedClient("users", "bob");
			assertThat(bob.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.BEARER);
			ReactiveOAuth2AuthorizedClientService reactive = new TokenKitReactiveOAuth2AuthorizedClientService(manager,
					new InMemoryReactiveClientRegistrationRepository(
							context.getBean(ClientRegistrationRepository.class).findByRegistrationId("users")),
					List.of("users"));
			OAuth2AuthorizedClient reactiveAlice = reactive.loadAuthorizedClient("users", "alice").block();
			assertThat(reactiveAlice.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.DPOP);
			TestingAuthenticationToken alicePrincipal = new TestingAuthenticationToken("alice", null);
			OAuth2AuthorizedClient stale = new OAuth2AuthorizedClient(alice.getClientRegistration(), "alice",
					new OAuth2AccessToken(OAuth2AccessToken.TokenType.DPOP, "older-access", Instant.now(),
							Instant.now().plusSeconds(60)));
			OAuth2AuthorizedClient authorized = context.getBean(TokenKitOAuth2AuthorizedClientProvider.class)
				.authorize(OAuth2AuthorizationContext.withAuthorizedClient(stale).principal(alicePrincipal).build());
			assertThat(authorized.getAccessToken().getTokenValue()).isEqualTo("bound-access");
			assertThat(authorized.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.DPOP);
			OAuth2AuthorizedClient reactiveAuthorized = new TokenKitReactiveOAuth2AuthorizedClientProvider(manager,
					List.of("users"))
				.authorize(OAuth2AuthorizationContext.withAuthorizedClient(stale).principal(alicePrincipal).build())
				.block();
			assertThat(reactiveAuthorized.getAccessToken().getTokenType()).isEqualTo(OAuth2AccessToken.TokenType.DPOP);
			assertThat(this.server.getRequestCount()).isZero();
		});
	}

	@Test
	void saveWhenClientWithoutRefreshTokenIsOlderThanHeldThenHeldStays() {
		runner().run((context) -> {
			TokenManager manager = context.getBean(TokenManager.class);
			Instant now = Instant.now();
			manager.save(TokenKey.of("users", "alice"), token("newer", now, Duration.ofMinutes(30))).block();
			OAuth2AuthorizedClientService service = context.getBean(OAuth2AuthorizedClientService.class);
			OAuth2AuthorizedClient older = new OAuth2AuthorizedClient(
					context.getBean(ClientRegistrationRepository.class).findByRegistrationId("users"), "alice",
					new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "older", now.minusSeconds(60),
							now.plusSeconds(600)));
			service.saveAuthorizedClient(older, new TestingAuthenticationToken("alice", null));
			AccessToken held = manager.getHeldToken(TokenKey.of("users", "alice")).block();
			assertThat(held.getTokenValue()).isEqualTo("newer");
			assertThat(held.getRefreshToken()).isEqualTo("refresh-1");
		});
	}

	@Test
	void logoutWhenStoreFailsThenLogoutCompletesAndWarnsWithoutPrincipal(CapturedOutput output) {
		runner().withBean(TokenStore.class, FailingRemoval::new)
			.withPropertyValues("tokenkit.acquire-timeout=2s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TestingAuthenticationToken alice = new TestingAuthenticationToken("alice-principal", null);
				assertThatNoException().isThrownBy(() -> context.publishEvent(new LogoutSuccessEvent(alice)));
				TokenKitServerLogoutHandler handler = new TokenKitServerLogoutHandler(
						context.getBean(TokenManager.class), List.of("users"), true);
				assertThatNoException().isThrownBy(() -> handler.logout(null, alice).block());
				assertThat(output).contains("A logout did not remove the user's tokens of registrations [users]")
					.doesNotContain("alice-principal");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class WebSecurity {

		@Bean
		OAuth2AuthorizedClientProvider appProvider() {
			return OAuth2AuthorizedClientProviderBuilder.builder()
				.authorizationCode()
				.refreshToken((refresh) -> refresh.clockSkew(Duration.ZERO))
				.clientCredentials()
				.build();
		}

	}

	/**
	 * A store whose removals fail, as Redis does when it is down.
	 */
	static class FailingRemoval implements TokenStore {

		private final TokenStore memory = new InMemoryTokenStore();

		@Override
		public @Nullable AccessToken get(TokenKey key) {
			return this.memory.get(key);
		}

		@Override
		public Mono<Void> save(TokenKey key, AccessToken token) {
			return this.memory.save(key, token);
		}

		@Override
		public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
			return this.memory.replace(key, expected, replacement);
		}

		@Override
		public Mono<Void> remove(TokenKey key) {
			return Mono.error(new IllegalStateException("the store is down"));
		}

	}

}
