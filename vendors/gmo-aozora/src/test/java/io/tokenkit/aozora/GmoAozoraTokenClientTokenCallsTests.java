package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.WebClientWarmUp;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link GmoAozoraTokenClient} in bad weather: a code exchange cannot hang and is never
 * sent twice, and a dead refresh token requires a new authorization.
 */
class GmoAozoraTokenClientTokenCallsTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private GmoAozoraTokenClient client;

	@BeforeAll
	static void warmUp() throws Exception {
		// these tests time out token calls after 100 to 200 ms: not the JVM's first
		// exchange
		WebClientWarmUp.once();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url("/ganb/api/auth/v1/token").toString()), AozoraTestSupport.CLIENT_ID,
				AozoraTestSupport.CLIENT_SECRET, ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP,
				TokenCallPolicy.DEFAULT.withTimeouts(Duration.ofMillis(100), Duration.ofMillis(200))
					.withRetryBackoff(Duration.ofMillis(10)));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void exchangeWhenAnswerSlowerThanTimeoutThenOneRequestAndTypedTimeout() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
			.headersDelay(1, TimeUnit.SECONDS)
			.build());
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> this.client.exchange("code-1", AozoraTestSupport.REDIRECT_URI).block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains("'gmo-aozora'", "timed out", "exchange").doesNotContain("code-1");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenInvalidGrantThenReauthorizationRequired() {
		this.server.enqueue(new MockResponse.Builder().code(400)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":\"invalid_grant\"}")
			.build());
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> this.client.refresh("rt-1").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.isReauthorizationRequired()).isTrue());
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhen429RetryAfter60ThenRetryAfterKept() {
		this.server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "60").build());
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> this.client.refresh("rt-1").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(60)));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

}
