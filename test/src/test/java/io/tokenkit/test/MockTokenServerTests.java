package io.tokenkit.test;

import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.RSAPublicKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests of {@link MockTokenServer} on the wire, through the JDK's HTTP client: each
 * grant, each script action and each document does what its javadoc says.
 */
class MockTokenServerTests {

	private final MockTokenServer server = MockTokenServer.start();

	@AfterEach
	void close() {
		this.server.close();
	}

	@Test
	void clientCredentialsWhenCalledThenOpaqueTokenOfChosenLifetimeAndCallRecorded() {
		this.server.registration("orders").expiresIn(Duration.ofMinutes(5));
		HttpResponse<String> response = Http.token(this.server.tokenUri("orders"),
				"grant_type=client_credentials&scope=orders.read%20orders.write");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
		Map<String, Object> body = Http.json(response);
		assertThat(body).containsEntry("token_type", "Bearer")
			.containsEntry("expires_in", 300)
			.containsEntry("scope", "orders.read orders.write")
			.doesNotContainKey("refresh_token");
		String token = (String) body.get("access_token");
		assertThat(this.server.issued(token)).isTrue();
		assertThat(this.server.isActive(token)).isTrue();
		assertThat(this.server.registrationOf(token)).isEqualTo("orders");
		assertThat(this.server.tokenCalls("orders")).isEqualTo(1);
		assertThat(this.server.tokenCalls("orders", "client_credentials")).isEqualTo(1);
		assertThat(this.server.tokenCalls("orders", "refresh_token")).isZero();
		assertThat(this.server.tokenCalls("other")).isZero();
		TokenRequest request = this.server.lastRequest("orders");
		assertThat(request.grantType()).isEqualTo("client_credentials");
		assertThat(request.scopes()).containsExactly("orders.read", "orders.write");
		assertThat(request.clientId()).isEqualTo("app");
		assertThat(request.clientSecret()).isEqualTo("app-secret");
		assertThat(request.header("content-type")).isEqualTo("application/x-www-form-urlencoded");
		assertThat(request.status()).isEqualTo(200);
		assertThat(request.error()).isNull();
		TokenKitAssertions.assertThat(this.server)
			.receivedTokenCalls("orders", 1)
			.receivedTokenCalls("orders", "client_credentials", 1)
			.answeredEveryTokenCall("orders")
			.lastRequest("orders")
			.hasGrantType("client_credentials")
			.hasScope("orders.read")
			.hasClientId("app")
			.wasAnsweredWithToken();
	}

	@Test
	void tokenRequestToStringWhenSecretsThenHidden() {
		Http.token(this.server.tokenUri("users"),
				"grant_type=refresh_token&refresh_token=rt-secret-value" + "&client_id=app&client_secret=form-secret");
		String text = this.server.lastRequest("users").toString();
		assertThat(text).contains("refresh_token=[hidden]", "client_secret=[hidden]", "invalid_grant")
			.doesNotContain("rt-secret-value", "form-secret", "app-secret");
		IssuedTokens tokens = this.server.registration("users").issueRefreshToken("alice");
		assertThat(tokens.toString()).doesNotContain(tokens.accessToken(), tokens.refreshToken());
	}

	@Test
	void refreshWhenRotatingThenNewRefreshTokenAndReuseEndsTheChain() {
		MockRegistration users = this.server.registration("users");
		IssuedTokens first = users.issueRefreshToken("alice");
		assertThat(this.server.isActive(first.accessToken())).isTrue();
		assertThat(this.server.subjectOf(first.accessToken())).isEqualTo("alice");
		assertThat(users.tokenCalls()).as("issued without a token call").isZero();
		HttpResponse<String> refreshed = refresh(first.refreshToken());
		assertThat(refreshed.statusCode()).isEqualTo(200);
		String second = Http.refreshToken(refreshed);
		assertThat(second).isNotNull().isNotEqualTo(first.refreshToken());
		assertThat(this.server.subjectOf(Http.accessToken(refreshed))).isEqualTo("alice");
		// the retired refresh token presented again: refused, and the whole chain ends
		HttpResponse<String> reused = refresh(first.refreshToken());
		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(Http.json(reused)).containsEntry("error", "invalid_grant");
		assertThat(refresh(second).statusCode()).as("the chain's live refresh token").isEqualTo(400);
		assertThat(this.server.isActive(Http.accessToken(refreshed))).isFalse();
		assertThat(users.tokenCalls("refresh_token")).isEqualTo(3);
		assertThat(users.errors("invalid_grant")).isEqualTo(2);
		TokenKitAssertions.assertThat(this.server.requests("users").get(0))
			.presentedRefreshToken(first.refreshToken())
			.wasAnsweredWithToken();
		TokenKitAssertions.assertThat(this.server).lastRequest("users").wasRefusedWith("invalid_grant");
		// another user's chain is untouched
		assertThat(refresh(users.issueRefreshToken("bob").refreshToken()).statusCode()).isEqualTo(200);
	}

	@Test
	void refreshWhenNotRotatingThenSameRefreshTokenKeepsWorking() {
		MockRegistration users = this.server.registration("users").rotateRefreshTokens(false);
		IssuedTokens first = users.issueRefreshToken("alice");
		HttpResponse<String> once = refresh(first.refreshToken());
		HttpResponse<String> twice = refresh(first.refreshToken());
		assertThat(once.statusCode()).isEqualTo(200);
		assertThat(twice.statusCode()).isEqualTo(200);
		assertThat(Http.json(once)).doesNotContainKey("refresh_token");
		assertThat(Http.accessToken(once)).isNotEqualTo(Http.accessToken(twice));
	}

	@Test
	void revokeRefreshTokenThenInvalidGrantAndItsAccessTokensInactive() {
		MockRegistration users = this.server.registration("users");
		IssuedTokens first = users.issueRefreshToken("alice");
		users.revokeRefreshToken(first.refreshToken());
		HttpResponse<String> response = refresh(first.refreshToken());
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(Http.json(response)).containsEntry("error", "invalid_grant");
		assertThat(this.server.isActive(first.accessToken())).isFalse();
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.server.registration("orders").revokeRefreshToken(first.refreshToken()))
			.withMessageContaining("did not issue")
			.withMessageNotContaining(first.refreshToken());
	}

	@Test
	void refreshWhenUnknownOrOtherRegistrationsTokenThenInvalidGrant() {
		IssuedTokens first = this.server.registration("users").issueRefreshToken("alice");
		assertThat(Http
			.token(this.server.tokenUri("other"), "grant_type=refresh_token&refresh_token=" + first.refreshToken())
			.statusCode()).isEqualTo(400);
		assertThat(refresh("rt-never-issued").statusCode()).isEqualTo(400);
	}

	@Test
	void failNextThenThatManyCallsAnsweredAsScriptedThenTokens() {
		this.server.registration("orders").failNext(2, 503, "{\"error\":\"temporarily_unavailable\"}");
		List<Integer> statuses = List.of(cc("orders").statusCode(), cc("orders").statusCode(),
				cc("orders").statusCode());
		assertThat(statuses).containsExactly(503, 503, 200);
		assertThat(this.server.tokenCalls("orders")).isEqualTo(3);
		assertThat(this.server.registration("orders").errors("temporarily_unavailable")).isEqualTo(2);
		assertThat(cc("other").statusCode()).as("another registration").isEqualTo(200);
	}

	@Test
	void throttleNextThen429WithRetryAfterInWholeSeconds() {
		this.server.registration("orders").throttleNext(1, Duration.ofMillis(1500));
		HttpResponse<String> throttled = cc("orders");
		assertThat(throttled.statusCode()).isEqualTo(429);
		assertThat(throttled.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(cc("orders").statusCode()).isEqualTo(200);
	}

	@Test
	void delayWhenSetThenCallCountedAtOnceAndAnsweredLater() {
		this.server.registration("orders").delay(Duration.ofSeconds(2));
		CompletableFuture<HttpResponse<String>> answer = Http.tokenAsync(this.server.tokenUri("orders"),
				"grant_type=client_credentials");
		awaitCalls("orders", 1);
		assertThat(answer).as("answered only after the delay").isNotDone();
		assertThat(answer.join().statusCode()).isEqualTo(200);
		this.server.registration("orders").delay(Duration.ZERO);
		assertThat(cc("orders").statusCode()).isEqualTo(200);
	}

	@Test
	void expireAllTokensThenEveryTokenIssuedSoFarInactiveAndNewOnesActive() {
		String orders = Http.accessToken(cc("orders"));
		IssuedTokens alice = this.server.registration("users").issueRefreshToken("alice");
		this.server.expireAllTokens();
		assertThat(this.server.isActive(orders)).isFalse();
		assertThat(this.server.isActive(alice.accessToken())).isFalse();
		assertThat(this.server.issued(orders)).isTrue();
		assertThat(refresh(alice.refreshToken()).statusCode()).as("refresh tokens stay valid").isEqualTo(200);
		assertThat(this.server.isActive(Http.accessToken(cc("orders")))).isTrue();
	}

	@Test
	void expireTokensOfRegistrationThenOnlyItsTokensInactive() {
		String orders = Http.accessToken(cc("orders"));
		String billing = Http.accessToken(cc("billing"));
		this.server.registration("orders").expireTokens();
		assertThat(this.server.isActive(orders)).isFalse();
		assertThat(this.server.isActive(billing)).isTrue();
	}

	@Test
	void lifetimeWhenPassedByServerClockThenTokenInactive() {
		MutableTestClock clock = new MutableTestClock(Instant.parse("2026-01-01T00:00:00Z"));
		try (MockTokenServer clocked = MockTokenServer.start(clock)) {
			clocked.registration("orders").expiresIn(Duration.ofSeconds(60));
			String token = Http.accessToken(Http.token(clocked.tokenUri("orders"), "grant_type=client_credentials"));
			clock.advance(Duration.ofSeconds(59));
			assertThat(clocked.isActive(token)).isTrue();
			clock.advance(Duration.ofSeconds(1));
			assertThat(clocked.isActive(token)).isFalse();
		}
	}

	@Test
	void jwtWhenChosenThenSignedByKeyOfJwkSetWithClaims() throws Exception {
		this.server.registration("orders").accessTokens(TokenFormat.JWT).expiresIn(Duration.ofMinutes(10));
		String token = Http
			.accessToken(Http.token(this.server.tokenUri("orders"), "grant_type=client_credentials&scope=orders.read"));
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(3);
		Map<String, Object> header = decode(parts[0]);
		Map<String, Object> claims = decode(parts[1]);
		assertThat(header).containsEntry("alg", "RS256").containsEntry("typ", "at+jwt");
		assertThat(claims).containsEntry("iss", this.server.issuerUri("orders"))
			.containsEntry("aud", "orders")
			.containsEntry("sub", "app")
			.containsEntry("client_id", "app")
			.containsEntry("scope", "orders.read");
		assertThat(((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue()).isEqualTo(600);
		@SuppressWarnings("unchecked")
		Map<String, Object> jwk = ((List<Map<String, Object>>) Http.json(Http.get(this.server.jwkSetUri("orders")))
			.get("keys")).get(0);
		assertThat(jwk).containsEntry("kid", header.get("kid")).containsEntry("kty", "RSA");
		PublicKey key = KeyFactory.getInstance("RSA")
			.generatePublic(new RSAPublicKeySpec(unsigned((String) jwk.get("n")), unsigned((String) jwk.get("e"))));
		Signature signature = Signature.getInstance("SHA256withRSA");
		signature.initVerify(key);
		signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
		assertThat(signature.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();
		assertThat(this.server.isActive(token)).isTrue();
	}

	@Test
	void jwtWhenNoClientAuthenticatedThenRfc9068ClaimsStillNamed() {
		this.server.registration("users").accessTokens(TokenFormat.JWT).audience("https://bank.example.com");
		Map<String, Object> first = decode(
				this.server.registration("users").issueRefreshToken("alice").accessToken().split("\\.")[1]);
		assertThat(first).containsEntry("aud", "https://bank.example.com")
			.containsEntry("sub", "alice")
			.containsEntry("client_id", "users");
		this.server.registration("orders").accessTokens(TokenFormat.JWT);
		Map<String, Object> publicClient = decode(Http
			.accessToken(Http.tokenWithoutClient(this.server.tokenUri("orders"), "grant_type=client_credentials"))
			.split("\\.")[1]);
		assertThat(publicClient).containsEntry("aud", "orders")
			.containsEntry("sub", "orders")
			.containsEntry("client_id", "orders");
		this.server.registration("users").requireClient("bank-app", "bank-secret");
		assertThat(decode(this.server.registration("users").issueRefreshToken("bob").accessToken().split("\\.")[1]))
			.containsEntry("client_id", "bank-app");
	}

	@Test
	void discoveryWhenOidcOrRfc8414ThenMetadataNamesTokenEndpointAndJwkSet() {
		Map<String, Object> oidc = Http
			.json(Http.get(this.server.issuerUri("orders") + "/.well-known/openid-configuration"));
		Map<String, Object> oauth = Http
			.json(Http.get(this.server.baseUrl() + "/.well-known/oauth-authorization-server/orders"));
		for (Map<String, Object> metadata : List.of(oidc, oauth)) {
			assertThat(metadata).containsEntry("issuer", this.server.issuerUri("orders"))
				.containsEntry("token_endpoint", this.server.tokenUri("orders"))
				.containsEntry("jwks_uri", this.server.jwkSetUri("orders"));
		}
		assertThat(oidc).containsKeys("authorization_endpoint", "subject_types_supported");
		assertThat(this.server.tokenUri("orders")).isEqualTo(this.server.registration("orders").tokenUri());
	}

	@Test
	void requireClientWhenOtherClientThen401InvalidClient() {
		this.server.registration("orders").requireClient("someone-else", "secret");
		HttpResponse<String> response = cc("orders");
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(Http.json(response)).containsEntry("error", "invalid_client");
		this.server.registration("orders").requireClient("app", "app-secret");
		assertThat(cc("orders").statusCode()).isEqualTo(200);
	}

	@Test
	void unsupportedGrantThen400AndUnknownPathThen404() {
		HttpResponse<String> response = Http.token(this.server.tokenUri("orders"), "grant_type=password");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(Http.json(response)).containsEntry("error", "unsupported_grant_type");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.headers().firstValue("Pragma")).hasValue("no-cache");
		assertThat(this.server.tokenCalls("orders", "password")).isEqualTo(1);
		assertThat(Http.get(this.server.baseUrl() + "/orders/authorize").statusCode()).isEqualTo(404);
	}

	@Test
	void resetThenCallsAndScriptsForgottenAndTokensStillActive() {
		String token = Http.accessToken(cc("orders"));
		this.server.registration("orders").failNext(1, 500, "{}");
		this.server.reset();
		assertThat(this.server.tokenCalls("orders")).isZero();
		assertThat(this.server.lastRequest("orders")).isNull();
		assertThat(cc("orders").statusCode()).isEqualTo(200);
		assertThat(this.server.isActive(token)).isTrue();
	}

	@Test
	void resetThenEveryScriptActionBackToDefaults() {
		this.server.registration("users")
			.accessTokens(TokenFormat.JWT)
			.expiresIn(Duration.ofMinutes(5))
			.rotateRefreshTokens(false)
			.requireClient("other-app", "other-secret")
			.delay(Duration.ofSeconds(30));
		this.server.reset();
		IssuedTokens first = this.server.registration("users").issueRefreshToken("alice");
		HttpResponse<String> response = refresh(first.refreshToken());
		assertThat(response.statusCode()).as("any client accepted again, at once").isEqualTo(200);
		Map<String, Object> body = Http.json(response);
		assertThat(body).as("an hour's opaque token, rotated refresh token")
			.containsEntry("expires_in", 3600)
			.containsKey("refresh_token");
		assertThat((String) body.get("access_token")).doesNotContain(".");
	}

	@Test
	void acceptStaticTokenThenActiveUntilExpired() {
		this.server.registration("legacy").acceptStaticToken("static-token");
		assertThat(this.server.isActive("static-token")).isTrue();
		assertThat(this.server.registrationOf("static-token")).isEqualTo("legacy");
		this.server.expireAllTokens();
		assertThat(this.server.isActive("static-token")).isFalse();
	}

	@Test
	void startThenEveryServerThreadIsDaemonSoOneLeftOpenNeverKeepsJvmAlive() {
		try (MockResourceServer resourceServer = MockResourceServer.start(this.server)) {
			Http.bearer(resourceServer.baseUrl() + "/orders", Http.accessToken(cc("orders")));
			assertThat(Thread.getAllStackTraces().keySet()).filteredOn((thread) -> thread.getName().startsWith("HTTP-"))
				.isNotEmpty()
				.allMatch(Thread::isDaemon);
		}
	}

	@Test
	void closeThenNoLongerAnswers() {
		String tokenUri = this.server.tokenUri("orders");
		this.server.close();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> Http.token(tokenUri, "grant_type=x"));
	}

	private HttpResponse<String> cc(String registrationId) {
		return Http.token(this.server.tokenUri(registrationId), "grant_type=client_credentials");
	}

	private HttpResponse<String> refresh(String refreshToken) {
		return Http.token(this.server.tokenUri("users"), "grant_type=refresh_token&refresh_token=" + refreshToken);
	}

	private void awaitCalls(String registrationId, int calls) {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		while (this.server.tokenCalls(registrationId) < calls && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(this.server.tokenCalls(registrationId)).isEqualTo(calls);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> decode(String part) {
		return tools.jackson.databind.json.JsonMapper.shared()
			.readValue(Base64.getUrlDecoder().decode(part), Map.class);
	}

	private static BigInteger unsigned(String base64url) {
		return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
	}

}
