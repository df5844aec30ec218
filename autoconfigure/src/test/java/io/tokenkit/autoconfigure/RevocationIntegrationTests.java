package io.tokenkit.autoconfigure;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.server.authorization.InMemoryOAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation on remove against Spring Authorization Server, started in the test (the
 * application of {@link AuthorizationServerIntegrationTests}, with an authorization
 * service the test can seed): a user's token, issued by the server to an authorization
 * the test saves there (as an authorization code exchange would), is removed from
 * TokenKit, and its refresh token then no longer works at the server; the access token is
 * revoked too when configured; the revocation endpoint comes from {@code revocation-uri}
 * or from the issuer's metadata.
 */
class RevocationIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext authorizationServer;

	private static String baseUrl;

	@BeforeAll
	static void startAuthorizationServer() {
		String client = "spring.security.oauth2.authorizationserver.client.web.registration.";
		authorizationServer = new SpringApplicationBuilder(
				AuthorizationServerIntegrationTests.AuthorizationServerApplication.class, SeededAuthorizations.class)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off", client + "client-id", "web-app",
					client + "client-secret", "{noop}web-secret", client + "client-authentication-methods",
					"client_secret_basic", client + "authorization-grant-types", "authorization_code,refresh_token",
					client + "redirect-uris", "http://localhost/callback", client + "scopes", "orders.read"))
			.run();
		int port = ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
		baseUrl = "http://localhost:" + port;
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	private ApplicationContextRunner tokenKit(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(Revocations.class, Revocations::new)
			.withPropertyValues("tokenkit.registrations.web.grant-type=refresh_token",
					"tokenkit.registrations.web.client-id=web-app",
					"tokenkit.registrations.web.client-secret=web-secret", "tokenkit.token-calls.max-retries=0")
			.withPropertyValues(properties);
	}

	@Test
	void removeWhenRevocationUriThenRefreshTokenRefusedAtServer() {
		AccessToken issued = seed("alice", true);
		tokenKit("tokenkit.registrations.web.token-uri=" + baseUrl + "/oauth2/token",
				"tokenkit.registrations.web.revocation-uri=" + baseUrl + "/oauth2/revoke")
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				TokenKey alice = TokenKey.of("web", "alice");
				manager.save(alice, issued).block();
				// the refresh token works at the server before the removal
				assertThat(manager.refresh(alice).block(Duration.ofSeconds(20)).getRefreshToken())
					.isEqualTo(issued.getRefreshToken());
				assertThat(refreshStatus(issued.getRefreshToken())).isEqualTo(200);
				manager.remove(alice).block(Duration.ofSeconds(20));
				assertThat(manager.getHeldToken(alice).blockOptional()).isEmpty();
				assertThat(context.getBean(Revocations.class).succeeded.get(20, TimeUnit.SECONDS)).isEqualTo(alice);
				assertThat(refreshStatus(issued.getRefreshToken())).isEqualTo(400);
			});
	}

	@Test
	void removeWhenRevokeAccessTokenThenAccessTokenInactiveAtServer() {
		AccessToken issued = seed("bob", false);
		tokenKit("tokenkit.registrations.web.token-uri=" + baseUrl + "/oauth2/token",
				"tokenkit.registrations.web.revocation-uri=" + baseUrl + "/oauth2/revoke",
				"tokenkit.registrations.web.revoke-access-token=true")
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				TokenKey bob = TokenKey.of("web", "bob");
				manager.save(bob, issued).block();
				assertThat(active(issued.getTokenValue())).isTrue();
				manager.remove(bob).block(Duration.ofSeconds(20));
				context.getBean(Revocations.class).succeeded.get(20, TimeUnit.SECONDS);
				assertThat(active(issued.getTokenValue())).isFalse();
			});
	}

	@Test
	void removeWhenIssuerUriThenDiscoveredRevocationEndpointUsed() {
		AccessToken issued = seed("carol", true);
		tokenKit("tokenkit.registrations.web.issuer-uri=" + baseUrl).run((context) -> {
			TokenManager manager = context.getBean(TokenManager.class);
			TokenKey carol = TokenKey.of("web", "carol");
			manager.save(carol, issued).block();
			manager.remove(carol).block(Duration.ofSeconds(20));
			context.getBean(Revocations.class).succeeded.get(20, TimeUnit.SECONDS);
			assertThat(refreshStatus(issued.getRefreshToken())).isEqualTo(400);
		});
	}

	@Test
	void removeWhenRevokeOnRemoveFalseThenRefreshTokenStillWorks() {
		AccessToken issued = seed("dave", true);
		tokenKit("tokenkit.registrations.web.token-uri=" + baseUrl + "/oauth2/token",
				"tokenkit.registrations.web.revocation-uri=" + baseUrl + "/oauth2/revoke",
				"tokenkit.registrations.web.revoke-on-remove=false")
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				TokenKey dave = TokenKey.of("web", "dave");
				manager.save(dave, issued).block();
				manager.remove(dave).block(Duration.ofSeconds(20));
				// close waits for revocations in flight: none was started
				manager.close();
				assertThat(context.getBean(Revocations.class).succeeded).isNotDone();
				assertThat(refreshStatus(issued.getRefreshToken())).isEqualTo(200);
			});
	}

	/**
	 * Save at the server an authorization of a user for {@code web-app}, as its
	 * authorization code exchange would, and return its tokens as TokenKit holds them.
	 */
	private static AccessToken seed(String user, boolean withRefreshToken) {
		RegisteredClient client = authorizationServer.getBean(RegisteredClientRepository.class)
			.findByClientId("web-app");
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "at-" + UUID.randomUUID(),
				now, now.plus(Duration.ofMinutes(5)), Set.of("orders.read"));
		OAuth2RefreshToken refresh = new OAuth2RefreshToken("rt-" + UUID.randomUUID(), now,
				now.plus(Duration.ofDays(1)));
		OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
			.principalName(user)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.authorizedScopes(Set.of("orders.read"))
			.attribute(Principal.class.getName(),
					UsernamePasswordAuthenticationToken.authenticated(user, null, List.of()))
			.token(access);
		if (withRefreshToken) {
			authorization.refreshToken(refresh);
		}
		authorizationServer.getBean(OAuth2AuthorizationService.class).save(authorization.build());
		return AccessToken.withValue(access.getTokenValue())
			.issuedAt(now)
			.expiresAt(access.getExpiresAt())
			.scopes(Set.of("orders.read"))
			.refreshToken(withRefreshToken ? refresh.getTokenValue() : null)
			.build();
	}

	/** The status of a refresh_token grant with the refresh token, sent by the client. */
	private static int refreshStatus(String refreshToken) {
		return WebClient.create(baseUrl)
			.post()
			.uri("/oauth2/token")
			.headers((headers) -> headers.setBasicAuth("web-app", "web-secret"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("grant_type", "refresh_token").with("refresh_token", refreshToken))
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(20));
	}

	/** Whether the server's introspection endpoint says the token is active. */
	private static boolean active(String token) {
		String answer = WebClient.create(baseUrl)
			.post()
			.uri("/oauth2/introspect")
			.headers((headers) -> headers.setBasicAuth("web-app", "web-secret"))
			.contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(BodyInserters.fromFormData("token", token))
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(20));
		JsonNode node = json.readTree(answer);
		return node.get("active").asBoolean();
	}

	/**
	 * The server's authorizations, held where the test can seed them.
	 */
	@Configuration(proxyBeanMethods = false)
	static class SeededAuthorizations {

		@Bean
		OAuth2AuthorizationService authorizationService() {
			return new InMemoryOAuth2AuthorizationService();
		}

	}

	/**
	 * Records the revocation events of TokenKit's manager.
	 */
	static class Revocations implements TokenEventListener {

		final CompletableFuture<TokenKey> succeeded = new CompletableFuture<>();

		@Override
		public void revocationSucceeded(TokenKey key) {
			this.succeeded.complete(key);
		}

		@Override
		public void revocationFailed(TokenKey key, Throwable error) {
			this.succeeded.completeExceptionally(error);
		}

	}

}
