package io.tokenkit.saasus;

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
 * {@link SaasusClient} in bad weather: no call can hang, none redeems a code twice, and a
 * refresh token SaaSus does not know requires a new sign-in.
 */
class SaasusClientTokenCallsTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final String CREDENTIALS = """
			{"id_token":"eyJ.id","access_token":"eyJ.at","refresh_token":"rt-2"}""";

	private final MockWebServer server = new MockWebServer();

	private SaasusClient client;

	@BeforeAll
	static void warmUp() throws Exception {
		// these tests time out token calls after 100 to 200 ms: not the JVM's first
		// exchange
		WebClientWarmUp.once();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new SaasusClient(WebClient.builder(), this.server.url("/v1/auth").uri(),
				SaasusClientTests.signer(), TokenRequestObserver.NOOP,
				TokenCallPolicy.DEFAULT.withTimeouts(Duration.ofMillis(100), Duration.ofMillis(200))
					.withRetryBackoff(Duration.ofMillis(10)));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void refreshCredentialsWhenAnswerSlowerThanTimeoutThenOneRequestAndTypedTimeout() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body(CREDENTIALS)
			.headersDelay(1, TimeUnit.SECONDS)
			.build());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials("rt-secret").block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("refresh");
				assertThat(ex.getMessage()).contains("refresh", "timed out").doesNotContain("rt-secret");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getCredentialsWhen5xxThenOneRequest() {
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(SaasusClientTests.json(200, CREDENTIALS));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials("code-1").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(503));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshCredentialsWhen429RetryAfterZeroThenRetried() {
		this.server.enqueue(new MockResponse.Builder().code(429).setHeader("Retry-After", "0").build());
		this.server.enqueue(SaasusClientTests.json(200, CREDENTIALS));
		assertThat(this.client.refreshCredentials("rt-1").block(BLOCK).accessToken()).isEqualTo("eyJ.at");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void refreshCredentialsWhen404ThenReauthorizationRequired() {
		this.server.enqueue(SaasusClientTests.json(404, "{\"type\":\"not_found\",\"message\":\"not found\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials("rt-1").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.isReauthorizationRequired()).isTrue());
	}

	@Test
	void getCredentialsWhen404ThenNoReauthorizationRequired() {
		this.server.enqueue(SaasusClientTests.json(404, "{\"type\":\"not_found\",\"message\":\"not found\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials("code-1").block(BLOCK))
			.satisfies((ex) -> assertThat(ex.isReauthorizationRequired()).isFalse());
	}

}
