package io.tokenkit.oauth2;

import java.net.ServerSocket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.tokenkit.observation.MicrometerTokenEventListener;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation on remove (RFC 7009) on a loopback server: the request's form and client
 * authentication, the access token revoked too when asked, and a revocation endpoint that
 * fails, is unreachable or never answers, which leaves the token removed, holds up no
 * caller of {@code remove}, and is reported (event, meter, a WARN without the token).
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenRevocationWireTests {

	private static final String REFRESH_TOKEN = "rt-2f8c1a7e-refresh-value";

	private static final String ACCESS_TOKEN = "at-9d41b3c6-access-value";

	private static final TokenKey ALICE = TokenKey.of("orders", "alice");

	private static final TokenCallPolicy NO_RETRIES = new TokenCallPolicy(Duration.ofSeconds(2), Duration.ofSeconds(2),
			0, Duration.ofMillis(50), DataSize.ofKilobytes(64));

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final Events events = new Events();

	private final InMemoryTokenStore store = new InMemoryTokenStore(this.clock);

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void removeWhenTokenHasRefreshTokenThenRevocationRequestPerRfc7009() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		TokenManager manager = manager(revocationUri(), false);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		assertThat(this.events.succeeded.get(10, TimeUnit.SECONDS)).isEqualTo(ALICE);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/oauth2/revoke");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(
				"Basic " + Base64.getEncoder().encodeToString("orders-app:s3cret".getBytes(StandardCharsets.UTF_8)));
		assertThat(form(request)).containsExactly(Map.entry("token", REFRESH_TOKEN),
				Map.entry("token_type_hint", "refresh_token"));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasLowCardinalityKeyValue("operation", "revoke")
			.hasLowCardinalityKeyValue("grant.type", "none")
			.hasLowCardinalityKeyValue("registration", "orders")
			.hasLowCardinalityKeyValue("outcome", "SUCCESS");
		assertThat(this.meters.get(MicrometerTokenEventListener.REVOCATIONS_METER)
			.tags("registration", "orders", "outcome", "success")
			.counter()
			.count()).isEqualTo(1);
	}

	@Test
	void removeWhenPostAuthenticationThenClientCredentialsInForm() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		TokenManager manager = manager(client(ClientAuthenticationMethod.POST), revocationUri(), false);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		this.events.succeeded.get(10, TimeUnit.SECONDS);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsExactly(Map.entry("token", REFRESH_TOKEN),
				Map.entry("token_type_hint", "refresh_token"), Map.entry("client_id", "orders-app"),
				Map.entry("client_secret", "s3cret"));
	}

	@Test
	void removeWhenPrivateKeyJwtThenSignedClientAssertionAsOnTokenCalls() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		java.security.KeyPair keys = ClientAssertionWireTests.keyPair(ClientKeyAlgorithm.ES256);
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt("orders-app",
				new ClientKey(keys.getPrivate(), ClientKeyAlgorithm.ES256, "key-1"), "https://auth.example.com",
				Duration.ofSeconds(60), this.clock);
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.server.url("/oauth2/token").toString()), authentication, "orders", "oauth2",
				new TokenRequestObserver(this.observations, null))
			.withPolicy(NO_RETRIES);
		TokenManager manager = manager(client, revocationUri(), false);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		this.events.succeeded.get(10, TimeUnit.SECONDS);
		Map<String, String> form = form(this.server.takeRequest());
		assertThat(form).containsEntry("token", REFRESH_TOKEN)
			.containsEntry("token_type_hint", "refresh_token")
			.containsEntry("client_id", "orders-app")
			.containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		assertThat(form.get("client_assertion").split("\\.")).hasSize(3);
	}

	@Test
	void removeWhenRevokeAccessTokenThenAccessTokenRevokedAfterRefreshToken() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		TokenManager manager = manager(revocationUri(), true);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		this.events.succeeded.get(10, TimeUnit.SECONDS);
		assertThat(form(this.server.takeRequest())).containsEntry("token", REFRESH_TOKEN)
			.containsEntry("token_type_hint", "refresh_token");
		assertThat(form(this.server.takeRequest())).containsExactly(Map.entry("token", ACCESS_TOKEN),
				Map.entry("token_type_hint", "access_token"));
	}

	@Test
	void removeWhenRevokeAccessTokenAndTokenExpiredThenOnlyRefreshTokenRevoked() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		TokenManager manager = manager(revocationUri(), true);
		manager.save(ALICE, token()).block();
		this.clock.advance(Duration.ofHours(2));
		manager.remove(ALICE).block();
		this.events.succeeded.get(10, TimeUnit.SECONDS);
		assertThat(form(this.server.takeRequest())).containsEntry("token_type_hint", "refresh_token");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void removeWhenNoTokenStoredThenNothingRevoked() {
		TokenManager manager = manager(revocationUri(), true);
		manager.remove(ALICE).block();
		manager.save(TokenKey.of("orders"), token()).block();
		// an application token starts from the configured refresh token: never revoked
		manager.remove(TokenKey.of("orders")).block();
		manager.close();
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(this.events.succeeded).isNotDone();
		assertThat(this.events.failed).isNotDone();
	}

	@Test
	void removeWhenEndpointAnswers503ThenTokenStaysRemovedAndFailureReported(CapturedOutput output) throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(503)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":\"temporarily_unavailable\",\"error_description\":\"cannot revoke " + REFRESH_TOKEN
					+ "\"}")
			.build());
		TokenManager manager = manager(revocationUri(), false);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		assertThat(manager.getHeldToken(ALICE).blockOptional()).isEmpty();
		Throwable failure = this.events.failed.get(10, TimeUnit.SECONDS);
		assertThat(failure).isInstanceOf(OAuth2TokenException.class);
		assertThat(((OAuth2TokenException) failure).getStatusCode()).isEqualTo(503);
		assertThat(failure.getMessage()).startsWith("Revocation endpoint of 'orders' answered 503")
			.doesNotContain(REFRESH_TOKEN);
		assertThat(manager.getHeldToken(ALICE).blockOptional()).isEmpty();
		assertThat(this.meters.get(MicrometerTokenEventListener.REVOCATIONS_METER)
			.tags("registration", "orders", "outcome", "failure")
			.counter()
			.count()).isEqualTo(1);
		manager.close();
		assertThat(output).contains("WARN")
			.contains("Revocation of a token removed from registration 'orders' failed (OAuth2TokenException: "
					+ "Revocation endpoint of 'orders' answered 503")
			.contains("the token stays removed here")
			.doesNotContain(REFRESH_TOKEN)
			.doesNotContain(ACCESS_TOKEN)
			.doesNotContain("alice");
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasLowCardinalityKeyValue("operation", "revoke")
			.hasLowCardinalityKeyValue("outcome", "SERVER_ERROR")
			.hasLowCardinalityKeyValue("status", "503");
	}

	@Test
	void removeWhenEndpointUnreachableThenTokenStaysRemovedAndFailureReported(CapturedOutput output) throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		TokenManager manager = manager(URI.create("http://localhost:" + closedPort + "/oauth2/revoke"), false);
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		Throwable failure = this.events.failed.get(10, TimeUnit.SECONDS);
		assertThat(((OAuth2TokenException) failure).getStatusCode()).isZero();
		assertThat(manager.getHeldToken(ALICE).blockOptional()).isEmpty();
		manager.close();
		assertThat(output).contains("Revocation of a token removed from registration 'orders' failed")
			.doesNotContain(REFRESH_TOKEN);
	}

	@Test
	void removeWhenEndpointFrozenThenRemoveCompletesAndRevocationTimesOut(CapturedOutput output) throws Exception {
		CountDownLatch thaw = new CountDownLatch(1);
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				thaw.await(30, TimeUnit.SECONDS);
				return new MockResponse.Builder().code(200).build();
			}
		});
		TokenCallPolicy slow = new TokenCallPolicy(Duration.ofSeconds(30), Duration.ofSeconds(30), 0,
				Duration.ofMillis(50), DataSize.ofKilobytes(64));
		OAuth2TokenClient client = client(ClientAuthenticationMethod.BASIC).withPolicy(slow);
		TokenManager manager = manager(client, revocationUri(), false, Duration.ofMillis(500));
		manager.save(ALICE, token()).block();
		try {
			// the server holds the revocation until thawed: remove completes before it
			manager.remove(ALICE).block(Duration.ofSeconds(10));
			assertThat(manager.getHeldToken(ALICE).blockOptional()).isEmpty();
			assertThat(this.events.failed.get(10, TimeUnit.SECONDS))
				.isInstanceOf(java.util.concurrent.TimeoutException.class);
			assertThat(output).contains("Revocation of a token removed from registration 'orders' did not end within");
		}
		finally {
			thaw.countDown();
		}
	}

	private URI revocationUri() {
		return URI.create(this.server.url("/oauth2/revoke").toString());
	}

	private OAuth2TokenClient client(ClientAuthenticationMethod method) {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/oauth2/token").toString()),
				"orders-app", "s3cret", method, "orders", "oauth2", new TokenRequestObserver(this.observations, null))
			.withPolicy(NO_RETRIES);
	}

	private TokenManager manager(URI revocationUri, boolean revokeAccessToken) {
		return manager(client(ClientAuthenticationMethod.BASIC), revocationUri, revokeAccessToken);
	}

	private TokenManager manager(OAuth2TokenClient client, URI revocationUri, boolean revokeAccessToken) {
		return manager(client, revocationUri, revokeAccessToken, Duration.ofSeconds(10));
	}

	private TokenManager manager(OAuth2TokenClient client, URI revocationUri, boolean revokeAccessToken,
			Duration acquireTimeout) {
		OAuth2TokenRevoker revoker = client.revoker(TokenEndpointResolver.fixed(revocationUri), revokeAccessToken,
				this.clock);
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client, List.of(), null, this.clock,
				io.tokenkit.token.TokenLifetimes.DEFAULT, revoker);
		return new TokenManager(List.of(TokenRegistration.of("orders", source)), this.store, this.clock,
				TokenEventListener.composite(List.of(new MicrometerTokenEventListener(this.meters), this.events)),
				acquireTimeout);
	}

	private AccessToken token() {
		Instant now = this.clock.instant();
		return AccessToken.withValue(ACCESS_TOKEN)
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofHours(1)))
			.refreshToken(REFRESH_TOKEN)
			.build();
	}

	static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : request.getBody().utf8().split("&")) {
			String[] parts = pair.split("=", 2);
			form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
		}
		return form;
	}

	/**
	 * Records the revocation events.
	 */
	static final class Events implements TokenEventListener {

		final CompletableFuture<TokenKey> succeeded = new CompletableFuture<>();

		final CompletableFuture<Throwable> failed = new CompletableFuture<>();

		@Override
		public void revocationSucceeded(TokenKey key) {
			this.succeeded.complete(key);
		}

		@Override
		public void revocationFailed(TokenKey key, Throwable error) {
			this.failed.complete(error);
		}

	}

}
