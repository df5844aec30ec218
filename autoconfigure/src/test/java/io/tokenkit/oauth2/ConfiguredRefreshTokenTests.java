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
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.SingleUseTokenServer;
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

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey APP = TokenKey.of("app");

	private SingleUseTokenServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = new SingleUseTokenServer();
	}

	@AfterEach
	void stop() throws Exception {
		this.server.close();
	}

	@Test
	void restartWhenConfiguredRefreshTokenReplacedThenDeadStoredChainSupersededInMemory() {
		MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");
		TokenStore store = new InMemoryTokenStore(clock);
		String first = this.server.grant();
		String second = this.server.grant();
		TokenManager before = manager(first, store, clock);
		AccessToken fromFirst = before.getToken(APP).block(Duration.ofSeconds(5));
		assertThat(fromFirst.getTokenValue()).startsWith("at-grant-1-");
		assertThat(fromFirst.getOrigin()).isNotNull().doesNotContain(first);
		// the chain dies: its refresh token is redeemed elsewhere, so the server ends it
		clock.advance(Duration.ofMinutes(2));
		redeemElsewhere(fromFirst.getRefreshToken());
		redeemElsewhere(fromFirst.getRefreshToken());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> before.getToken(APP).block(Duration.ofSeconds(5)));
		int invalidGrants = this.server.invalidGrants();

		TokenManager after = manager(second, store, clock);
		AccessToken fromSecond = after.getToken(APP).block(Duration.ofSeconds(5));

		assertThat(fromSecond.getTokenValue()).startsWith("at-grant-2-");
		assertThat(fromSecond.getOrigin()).isNotNull().isNotEqualTo(fromFirst.getOrigin()).doesNotContain(second);
		assertThat(this.server.invalidGrants()).isEqualTo(invalidGrants);
		clock.advance(Duration.ofMinutes(2));
		assertThat(after.getToken(APP).block(Duration.ofSeconds(5)).getTokenValue()).startsWith("at-grant-2-");
		assertThat(this.server.invalidGrants()).isEqualTo(invalidGrants);
	}

	@Test
	void secondApplicationContextWhenConfiguredRefreshTokenReplacedThenChainInRedisSuperseded() {
		String first = this.server.grant();
		String second = this.server.grant();
		AccessToken fromFirst;
		try (ConfigurableApplicationContext instance = instance(first)) {
			fromFirst = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
		}
		assertThat(fromFirst.getTokenValue()).startsWith("at-grant-1-");
		try (ConfigurableApplicationContext instance = instance(second)) {
			TokenManager manager = instance.getBean(TokenManager.class);
			AccessToken fromSecond = manager.getToken(APP).block(Duration.ofSeconds(5));
			assertThat(fromSecond.getTokenValue()).startsWith("at-grant-2-");
			assertThat(fromSecond.getOrigin()).isNotEqualTo(fromFirst.getOrigin());
			assertThat(manager.getHeldToken(APP).block(Duration.ofSeconds(5))).isEqualTo(fromSecond);
		}
		try (ConfigurableApplicationContext instance = instance(second)) {
			// the same configured value keeps the stored chain
			AccessToken kept = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
			assertThat(kept.getTokenValue()).startsWith("at-grant-2-");
		}
		assertThat(this.server.refreshCalls()).isEqualTo(2);
		assertThat(this.server.invalidGrants()).isZero();
	}

	@Test
	void secondApplicationContextWhenConfiguredRefreshTokenReplacedThenChainMarkedDeadInRedisSuperseded() {
		String first = this.server.grant();
		String second = this.server.grant();
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
		int refreshCalls = this.server.refreshCalls();
		try (ConfigurableApplicationContext instance = instance(first, "dead:")) {
			// the same configured value: the dead mark holds, no token call
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5)));
		}
		assertThat(this.server.refreshCalls()).isEqualTo(refreshCalls);
		int invalidGrants = this.server.invalidGrants();
		AccessToken fromSecond;
		try (ConfigurableApplicationContext instance = instance(second, "dead:")) {
			fromSecond = instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5));
			assertThat(fromSecond.getTokenValue()).startsWith("at-grant-2-");
			assertThat(fromSecond.getOrigin()).isNotNull().isNotEqualTo(fromFirst.getOrigin());
		}
		try (ConfigurableApplicationContext instance = instance(second, "dead:")) {
			// the new chain is stored, the mark gone
			assertThat(instance.getBean(TokenManager.class).getToken(APP).block(Duration.ofSeconds(5)))
				.isEqualTo(fromSecond);
		}
		assertThat(this.server.refreshCalls()).isEqualTo(refreshCalls + 1);
		assertThat(this.server.invalidGrants()).isEqualTo(invalidGrants);
	}

	private TokenManager manager(String refreshToken, TokenStore store, Clock clock) {
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(), List.of(), refreshToken, clock);
		return new TokenManager(List.of(TokenRegistration.of("app", source)), store, clock, TokenEventListener.NONE,
				Duration.ofSeconds(5));
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.tokenUri()), "app", "app-secret",
				ClientAuthenticationMethod.BASIC, "app", "oauth2", TokenRequestObserver.NOOP);
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
		return TokenKitInstances.start(redisServer.port(), this.server.tokenUri(), Clock.systemUTC(),
				"tokenkit.allow-insecure-http=true", "tokenkit.store.redis.key-prefix=" + keyPrefix,
				"tokenkit.registrations.app.grant-type=refresh_token",
				"tokenkit.registrations.app.token-uri=" + this.server.tokenUri(),
				"tokenkit.registrations.app.client-id=app", "tokenkit.registrations.app.client-secret=app-secret",
				"tokenkit.registrations.app.refresh-token=" + refreshToken);
	}

}
