package io.tokenkit.authlete;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.WebClientWarmUp;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AuthleteClient} in bad weather: no call can hang, reads are retried and writes
 * are not sent twice.
 */
class AuthleteClientTokenCallsTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private final MockWebServer server = new MockWebServer();

	private AuthleteClient client;

	@BeforeAll
	static void warmUp() throws Exception {
		// these tests time out token calls after 100 to 200 ms: not the JVM's first
		// exchange
		WebClientWarmUp.once();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new AuthleteClient(WebClient.builder(), this.server.url("/").uri(), "715948317", "svc-token",
				TokenRequestObserver.NOOP,
				TokenCallPolicy.DEFAULT.withTimeouts(Duration.ofMillis(100), Duration.ofMillis(200))
					.withRetryBackoff(Duration.ofMillis(10)));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private static MockResponse slow() {
		return new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body("{\"resultCode\":\"A000\",\"action\":\"OK\"}")
			.headersDelay(1, TimeUnit.SECONDS)
			.build();
	}

	@Test
	void createAccessTokenWhenAnswerSlowerThanTimeoutThenOneRequestAndTypedTimeout() {
		this.server.enqueue(slow());
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client
				.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1234L).build())
				.block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("create");
				assertThat(ex.getMessage()).contains("'create'", "timed out").doesNotContain("svc-token");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void listAccessTokensWhenAnswerSlowerThanTimeoutThenThreeRequests() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(slow());
		}
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.listAccessTokens().block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("timed out"));
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void revokeTokensWhen5xxThenOneRequest() {
		this.server.enqueue(new MockResponse.Builder().code(500).build());
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.revokeTokens(TokenRevokeRequest.accessToken("at-1")).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(500));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void deleteAccessTokenWhen5xxThenRetried() {
		this.server.enqueue(new MockResponse.Builder().code(502).build());
		this.server.enqueue(new MockResponse.Builder().code(204).build());
		this.client.deleteAccessToken("at-1").block(BLOCK);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void listAccessTokensWhen503RetryAfter60ThenOneRequestAndRetryAfterKept() {
		this.server.enqueue(new MockResponse.Builder().code(503).setHeader("Retry-After", "60").build());
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.listAccessTokens().block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(60)));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

}
