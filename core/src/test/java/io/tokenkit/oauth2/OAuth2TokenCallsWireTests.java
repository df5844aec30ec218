package io.tokenkit.oauth2;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.CoolDownPolicy;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenCoolDownException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Token calls in bad weather, on a real loopback server: timeouts, retries, Retry-After,
 * dead refresh tokens and answers too large.
 */
class OAuth2TokenCallsWireTests {

	private static final String TOKEN_JSON = """
			{"access_token":"at-1","token_type":"Bearer","expires_in":3600}""";

	private static final Duration BLOCK = Duration.ofSeconds(10);

	/** Short limits, so that bad weather costs the tests little time. */
	private static final TokenCallPolicy POLICY = TokenCallPolicy.DEFAULT
		.withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(800))
		.withRetryBackoff(Duration.ofMillis(10));

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private OAuth2TokenClient client(URI tokenUri) {
		return new OAuth2TokenClient(WebClient.create(), tokenUri, "orders-app", "s3cret",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2", new TokenRequestObserver(this.observations, null))
			.withPolicy(POLICY);
	}

	private OAuth2TokenClient client() {
		return client(URI.create(this.server.url("/oauth2/token").toString()));
	}

	private ClientCredentialsTokenSource clientCredentials() {
		return new ClientCredentialsTokenSource(client(), List.of(), Map.of(), this.clock);
	}

	private RefreshTokenTokenSource refreshToken(OAuth2TokenClient client) {
		return new RefreshTokenTokenSource(client, List.of(), null, this.clock);
	}

	private static AccessToken withRefreshToken(String refreshToken) {
		return AccessToken.withValue("at-0").refreshToken(refreshToken).build();
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static MockResponse slow(String body) {
		return new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.headersDelay(4, TimeUnit.SECONDS)
			.build();
	}

	private static MockResponse tooManyRequests(String retryAfter) {
		return new MockResponse.Builder().code(429)
			.addHeader("Content-Type", "application/json")
			.addHeader("Retry-After", retryAfter)
			.body("{\"error\":\"slow_down\"}")
			.build();
	}

	@Test
	void clientCredentialsWhen5xxTwiceThenThreeRequestsAndToken() {
		this.server.enqueue(json(503, "{\"error\":\"temporarily_unavailable\"}"));
		this.server.enqueue(new MockResponse.Builder().code(502).body("<html>Bad gateway</html>").build());
		this.server.enqueue(json(200, TOKEN_JSON));
		AccessToken token = clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK);
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("tokenkit.token.requests", 3);
	}

	@Test
	void clientCredentialsWhen5xxThreeTimesThenThreeRequestsAndLastError() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(json(500, "{\"error\":\"server_error\"}"));
		}
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(500));
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void refreshWhen5xxThenOneRequestAndTypedError() {
		this.server.enqueue(json(500, "{\"error\":\"server_error\"}"));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> refreshToken(client()).refresh(TokenKey.of("orders", "alice"), withRefreshToken("rt-1"))
				.block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(500);
				assertThat(ex.getError()).isEqualTo("server_error");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void refreshWhenAnswerSlowerThanTimeoutThenOneRequestAndTypedTimeout() {
		this.server.enqueue(slow(TOKEN_JSON));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> refreshToken(client()).refresh(TokenKey.of("orders", "alice"), withRefreshToken("rt-1"))
				.block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains("'orders'", "timed out", "refresh").doesNotContain("rt-1");
				assertThat(ex.isReauthorizationRequired()).isFalse();
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void clientCredentialsWhenAnswerSlowerThanTimeoutThenThreeRequests() {
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(slow(TOKEN_JSON));
		}
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("timed out", "acquire"));
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void refreshWhenConnectionRefusedThenRetriedThreeAttempts() throws Exception {
		URI closed;
		try (ServerSocket socket = new ServerSocket(0)) {
			closed = URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/oauth2/token");
		}
		OAuth2TokenClient client = client(closed);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> refreshToken(client).refresh(TokenKey.of("orders", "alice"), withRefreshToken("rt-1"))
				.block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains("could not be reached");
			});
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("tokenkit.token.requests", 3);
	}

	@Test
	void clientCredentialsWhen400ThenOneRequest() {
		this.server.enqueue(json(400, "{\"error\":\"invalid_scope\"}"));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getError()).isEqualTo("invalid_scope"));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void clientCredentialsWhen429RetryAfterZeroThenRetried() {
		this.server.enqueue(tooManyRequests("0"));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThat(clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK).getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void refreshWhen429RetryAfterZeroThenRetriedAsTheServerRefusedIt() {
		this.server.enqueue(tooManyRequests("0"));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThat(refreshToken(client()).refresh(TokenKey.of("orders", "alice"), withRefreshToken("rt-1"))
			.block(BLOCK)
			.getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void clientCredentialsWhen429RetryAfter60ThenOneRequestAndRetryAfterKept() {
		this.server.enqueue(tooManyRequests("60"));
		this.server.enqueue(json(200, TOKEN_JSON));
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(429);
				assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(60));
				assertThat(ex.getMessage()).contains("60s");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void clientCredentialsWhen503RetryAfterHttpDateThenTakenRelativeToTheAnswersDate() {
		this.server.enqueue(new MockResponse.Builder().code(503)
			.addHeader("Date", "Mon, 23 Nov 2026 10:00:00 GMT")
			.addHeader("Retry-After", "Mon, 23 Nov 2026 10:02:00 GMT")
			.build());
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofMinutes(2)));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void clientCredentialsWhenAnswerLargerThanMaxAnswerSizeThenTypedError() {
		this.server.enqueue(json(200, "{\"access_token\":\"" + "a".repeat(300 * 1024) + "\"}"));
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> clientCredentials().obtain(TokenKey.of("orders")).block(BLOCK))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(200);
				assertThat(ex.getMessage()).contains("answer larger than 256KB");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void clientCredentialsWhenAnswerWithinASmallerMaxAnswerSizeThenRead() {
		this.server.enqueue(json(200, TOKEN_JSON));
		OAuth2TokenClient client = client().withPolicy(POLICY.withMaxAnswerSize(DataSize.ofBytes(TOKEN_JSON.length())));
		assertThat(
				new ClientCredentialsTokenSource(client, List.of(), Map.of(), this.clock).obtain(TokenKey.of("orders"))
					.block(BLOCK)
					.getTokenValue())
			.isEqualTo("at-1");
	}

	@Test
	void managerWhen429RetryAfter60ThenOneRequestAndFastCoolDownFailures() {
		this.server.enqueue(tooManyRequests("60"));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", clientCredentials())),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5),
				CoolDownPolicy.DEFAULT);
		TokenKey key = TokenKey.of("orders");
		assertThatException().isThrownBy(() -> manager.getToken(key).block(BLOCK));
		for (int i = 0; i < 2000; i++) {
			assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> manager.getToken(key).block(BLOCK))
				.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z")));
		}
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void managerWhenRefreshAnsweredInvalidGrantThenReauthorizationRequiredAndNoFurtherRequest() {
		this.server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"revoked\"}"));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", refreshToken(client()))),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5),
				CoolDownPolicy.DEFAULT);
		TokenKey alice = TokenKey.of("orders", "alice");
		manager
			.save(alice,
					AccessToken.withValue("at-0")
						.refreshToken("rt-dead")
						.issuedAt(this.clock.instant().minusSeconds(600))
						.expiresAt(this.clock.instant().minusSeconds(1))
						.build())
			.block(BLOCK);
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> manager.getToken(alice).block(BLOCK))
			.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(OAuth2TokenException.class));
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofMinutes(5));
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> manager.getToken(alice).block(BLOCK));
		}
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

}
