package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.Set;

import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

class GmoAozoraTokenSourceTests {

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private GmoAozoraTokenSource source;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		GmoAozoraTokenClient client = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url("/token").toString()), CLIENT_ID, CLIENT_SECRET,
				ClientAuthenticationMethod.POST, TokenRequestObserver.NOOP);
		this.source = new GmoAozoraTokenSource(client.forRegistration("bank"), this.clock);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void obtainWhenNoSavedTokenThenClearErrorWithoutCall() {
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> this.source.obtain(TokenKey.of("bank", "customer-1")).block())
			.withMessageContaining("TokenManager.save")
			.withMessageNotContaining("customer-1")
			.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("bank"));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void refreshWhenTokenHasRefreshTokenThenRefreshGrantAndOldRefreshTokenKeptWhenNotRotated() throws Exception {
		this.server.enqueue(json(200, """
				{"access_token":"at-2","token_type":"Bearer","expires_in":"3600"}"""));
		AccessToken current = AccessToken.withValue("at-1")
			.refreshToken("rt-1")
			.scopes(Set.of("private:account"))
			.issuedAt(this.clock.instant().minusSeconds(3600))
			.expiresAt(this.clock.instant())
			.build();
		AccessToken refreshed = this.source.refresh(TokenKey.of("bank", "customer-1"), current).block();
		assertThat(refreshed.getTokenValue()).isEqualTo("at-2");
		assertThat(refreshed.getRefreshToken()).isEqualTo("rt-1");
		assertThat(refreshed.getScopes()).containsExactly("private:account");
		assertThat(refreshed.getExpiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofHours(1)));
		assertThat(form(this.server.takeRequest())).containsOnly(entry("grant_type", "refresh_token"),
				entry("refresh_token", "rt-1"), entry("client_id", CLIENT_ID), entry("client_secret", CLIENT_SECRET));
	}

	@Test
	void refreshWhenTokenHasNoRefreshTokenThenClearErrorWithoutCall() {
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(
				() -> this.source.refresh(TokenKey.of("bank", "customer-1"), AccessToken.withValue("at-1").build())
					.block());
		assertThat(this.server.getRequestCount()).isZero();
	}

}
