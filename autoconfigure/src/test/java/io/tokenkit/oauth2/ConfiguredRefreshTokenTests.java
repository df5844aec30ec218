package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.test.MockTokenServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenStore;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * An application-level {@code refresh_token} registration whose configured refresh token
 * an operator replaces (then restarts): the stored token records a fingerprint of the
 * configured refresh token it descends from, never the value, and a different configured
 * value supersedes the chain stored from the one before, dead or not, without a
 * {@code save} (while the same value stays refused as dead); in memory and on a real
 * {@code redis-server}, at a server that accepts each refresh token once.
 */
class ConfiguredRefreshTokenTests {

	/**
	 * The mock token server's registration whose endpoint serves both TokenKit
	 * registrations.
	 */
	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey APP = TokenKey.of("app");

	private MockTokenServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = MockTokenServer.start();
		this.server.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(60));
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	@Test
	void restartWhenConfiguredRefreshTokenReplacedThenDeadStoredChainSupersededInMemory() {
		MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
		TokenStore store = new InMemoryTokenStore(clock);
		String first = grant("first");
		String second = grant("second");
		TokenManager before = manager(first, store, clock);
		AccessToken fromFirst = before.getToken(APP).block(Duration.ofSeconds(5));
		assertThat(this.server.subjectOf(fromFirst.getTokenValue())).isEqualTo("first");
		assertThat(fromFirst.getOrigin()).isNotNull().doesNotContain(first);
		// the chain dies: its refresh token is redeemed elsewhere, so the server ends it
		clock.advance(Duration.ofMinutes(2));
		redeemElsewhere(fromFirst.getRefreshToken());
		redeemElsewhere(fromFirst.getRefreshToken());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> before.getToken(APP).block(Duration.ofSeconds(5)));
		int invalidGrants = this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant");

		TokenManager after = manager(second, store, clock);
		AccessToken fromSecond = after.getToken(APP).block(Duration.ofSeconds(5));

		assertThat(this.server.subjectOf(fromSecond.getTokenValue())).isEqualTo("second");
		assertThat(fromSecond.getOrigin()).isNotNull().isNotEqualTo(fromFirst.getOrigin()).doesNotContain(second);
		assertThat(this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isEqualTo(invalidGrants);
		clock.advance(Duration.ofMinutes(2));
		assertThat(this.server.subjectOf(after.getToken(APP).block(Duration.ofSeconds(5)).getTokenValue()))
			.isEqualTo("second");
		assertThat(this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isEqualTo(invalidGrants);
	}

	@Test
	void secondApplicationContextWhenConfiguredRefreshTokenReplacedThenChainInRedisSuperseded() {
		String first = grant("first");
		String second = grant("second");
		AccessToken fromFirst;
		try (ConfigurableApplicationContext instance = instance(first)) {
			fromFirst = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
		}
		assertThat(this.server.subjectOf(fromFirst.getTokenValue())).isEqualTo("first");
		try (ConfigurableApplicationContext instance = instance(second)) {
			TokenManager manager = instance.getBean(TokenManager.class);
			AccessToken fromSecond = manager.getToken(APP).block(Duration.ofSeconds(5));
			assertThat(this.server.subjectOf(fromSecond.getTokenValue())).isEqualTo("second");
			assertThat(fromSecond.getOrigin()).isNotEqualTo(fromFirst.getOrigin());
			assertThat(manager.getHeldToken(APP).block(Duration.ofSeconds(5))).isEqualTo(fromSecond);
		}
		try (ConfigurableApplicationContext instance = instance(second)) {
			// the same configured value keeps the stored chain
			AccessToken kept = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
			assertThat(this.server.subjectOf(kept.getTokenValue())).isEqualTo("second");
		}
		assertThat(this.server.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(2);
		assertThat(this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isZero();
	}

	@Test
	void secondApplicationContextWhenConfiguredRefreshTokenReplacedThenChainMarkedDeadInRedisSuperseded() {
		String first = grant("first");
		String second = grant("second");
		AccessToken fromFirst;
		try (ConfigurableApplicationContext instance = instance(first, "dead:")) {
			TokenManager manager = instance.getBean(TokenManager.class);
			fromFirst = manager.getToken(APP).block(Duration.ofSeconds(5));
			// the chain dies: its refresh token is redeemed elsewhere, so the server ends
			// it
			redeemElsewhere(fromFirst.getRefreshToken());
			redeemElsewhere(fromFirst.getRefreshToken());
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> manager.refresh(APP).block(Duration.ofSeconds(5)));
		}
		int refreshCalls = this.server.tokenCalls(TOKEN_ENDPOINT, "refresh_token");
		try (ConfigurableApplicationContext instance = instance(first, "dead:")) {
			// the same configured value: the dead mark holds, no token call
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5)));
		}
		assertThat(this.server.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(refreshCalls);
		int invalidGrants = this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant");
		AccessToken fromSecond;
		try (ConfigurableApplicationContext instance = instance(second, "dead:")) {
			fromSecond = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
			assertThat(this.server.subjectOf(fromSecond.getTokenValue())).isEqualTo("second");
			assertThat(fromSecond.getOrigin()).isNotNull().isNotEqualTo(fromFirst.getOrigin());
		}
		try (ConfigurableApplicationContext instance = instance(second, "dead:")) {
			// the new chain is stored, the mark gone
			assertThat(instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5)))
				.isEqualTo(fromSecond);
		}
		assertThat(this.server.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(refreshCalls + 1);
		assertThat(this.server.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isEqualTo(invalidGrants);
	}

	private TokenManager manager(String refreshToken, TokenStore store, Clock clock) {
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(), List.of(), refreshToken, clock);
		return new TokenManager(List.of(TokenRegistration.of("app", source)), store, clock, TokenEventListener.NONE,
				Duration.ofSeconds(5));
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.tokenUri(TOKEN_ENDPOINT)), "app",
				"app-secret", ClientAuthenticationMethod.BASIC, "app", "oauth2", TokenRequestObserver.NOOP);
	}

	private void redeemElsewhere(String refreshToken) {
		try {
			new RefreshTokenTokenSource(client(), List.of(), null, Clock.systemUTC())
				.refresh(TokenKey.of("app", "elsewhere"), AccessToken.withValue("x").refreshToken(refreshToken).build())
				.block(Duration.ofSeconds(5));
		}
		catch (OAuth2TokenException ex) {
			// the second redemption is refused, and ends the grant
		}
	}

	private ConfigurableApplicationContext instance(String refreshToken) {
		return instance(refreshToken, "configured:");
	}

	private ConfigurableApplicationContext instance(String refreshToken, String keyPrefix) {
		return TokenKitInstances.start(redisServer.port(), this.server.tokenUri(TOKEN_ENDPOINT), Clock.systemUTC(),
				"tokenkit.allow-insecure-http=true", "tokenkit.store.redis.key-prefix=" + keyPrefix,
				"tokenkit.registrations.app.grant-type=refresh_token",
				"tokenkit.registrations.app.token-uri=" + this.server.tokenUri(TOKEN_ENDPOINT),
				"tokenkit.registrations.app.client-id=app", "tokenkit.registrations.app.client-secret=app-secret",
				"tokenkit.registrations.app.refresh-token=" + refreshToken);
	}

	/**
	 * Start a grant, as an authorization-code exchange would, and return its refresh
	 * token; the server names the grant's access tokens' subject {@code name}.
	 */
	private String grant(String name) {
		return this.server.registration(TOKEN_ENDPOINT).issueRefreshToken(name).refreshToken();
	}

}
