package io.tokenkit.oauth2;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The token requests of each grant and each client authentication method, checked on a
 * real loopback server.
 */
class OAuth2TokenSourcesWireTests {

	private static final String TOKEN_JSON = """
			{"access_token":"at-1","token_type":"Bearer","expires_in":3600,"scope":"orders.read orders.write"}""";

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

	private OAuth2TokenClient client(ClientAuthenticationMethod method) {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/oauth2/token").toString()),
				"orders-app", "s3cret:&=", method, "orders", "oauth2",
				new TokenRequestObserver(this.observations, null));
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static Map<String, String> form(RecordedRequest request) {
		String body = request.getBody().utf8();
		java.util.LinkedHashMap<String, String> form = new java.util.LinkedHashMap<>();
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			form.put(java.net.URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					java.net.URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
		}
		return form;
	}

	@Test
	void clientCredentialsWhenBasicThenCredentialsInHeaderOnly() throws Exception {
		this.server.enqueue(json(200, TOKEN_JSON));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of("orders.read", "orders.write"), Map.of("audience", "https://orders.example.com"), this.clock);
		AccessToken token = source.obtain(TokenKey.of("orders")).block();
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/oauth2/token");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
		// RFC 6749 2.3.1: id and secret are form-encoded before Base64
		String expected = "Basic "
				+ Base64.getEncoder().encodeToString("orders-app:s3cret%3A%26%3D".getBytes(StandardCharsets.US_ASCII));
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(expected);
		assertThat(form(request)).containsExactly(Map.entry("grant_type", "client_credentials"),
				Map.entry("scope", "orders.read orders.write"), Map.entry("audience", "https://orders.example.com"));
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(token.getExpiresAt()).isEqualTo(this.clock.instant().plusSeconds(3600));
		assertThat(token.getScopes()).containsExactly("orders.read", "orders.write");
		assertThat(token.getRefreshToken()).isNull();
	}

	@Test
	void clientCredentialsWhenPostThenCredentialsInBodyAndNoAuthorizationHeader() throws Exception {
		this.server.enqueue(json(200, TOKEN_JSON));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.POST),
				List.of(), Map.of(), this.clock);
		source.obtain(TokenKey.of("orders")).block();
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsExactly(Map.entry("grant_type", "client_credentials"),
				Map.entry("client_id", "orders-app"), Map.entry("client_secret", "s3cret:&="));
	}

	@Test
	void refreshTokenWhenBasicThenSendsRefreshGrantAndKeepsRotatedToken() throws Exception {
		this.server.enqueue(json(200, """
				{"access_token":"at-2","token_type":"bearer","expires_in":"600","refresh_token":"rt-2"}"""));
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), null, this.clock);
		AccessToken current = AccessToken.withValue("at-1").refreshToken("rt-1").scopes(java.util.Set.of("a")).build();
		AccessToken token = source.refresh(TokenKey.of("orders", "alice"), current).block();
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
		assertThat(form(request)).containsExactly(Map.entry("grant_type", "refresh_token"),
				Map.entry("refresh_token", "rt-1"));
		assertThat(token.getTokenValue()).isEqualTo("at-2");
		assertThat(token.getTokenType()).isEqualTo("Bearer");
		assertThat(token.getRefreshToken()).isEqualTo("rt-2");
		assertThat(token.getExpiresAt()).isEqualTo(this.clock.instant().plusSeconds(600));
		assertThat(token.getScopes()).containsExactly("a");
	}

	@Test
	void refreshTokenWhenPostAndResponseHasNoRefreshTokenThenKeepsTheOldOne() throws Exception {
		this.server.enqueue(json(200, """
				{"access_token":"at-2","token_type":"Bearer","expires_in":600}"""));
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(ClientAuthenticationMethod.POST), List.of(),
				null, this.clock);
		AccessToken token = source
			.refresh(TokenKey.of("orders", "alice"), AccessToken.withValue("at-1").refreshToken("rt-1").build())
			.block();
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsExactly(Map.entry("grant_type", "refresh_token"),
				Map.entry("refresh_token", "rt-1"), Map.entry("client_id", "orders-app"),
				Map.entry("client_secret", "s3cret:&="));
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
	}

	@Test
	void refreshTokenWhenApplicationTokenRotatedThenNextObtainUsesNewRefreshToken() throws Exception {
		this.server.enqueue(json(200, """
				{"access_token":"at-1","expires_in":600,"refresh_token":"rt-2"}"""));
		this.server.enqueue(json(200, """
				{"access_token":"at-2","expires_in":600}"""));
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), "rt-1", this.clock);
		source.obtain(TokenKey.of("orders")).block();
		source.obtain(TokenKey.of("orders")).block();
		assertThat(form(this.server.takeRequest())).containsEntry("refresh_token", "rt-1");
		assertThat(form(this.server.takeRequest())).containsEntry("refresh_token", "rt-2");
	}

	@Test
	void refreshTokenWhenSubjectHasNoSavedTokenThenExplainsWhatToDo() {
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), null, this.clock);
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders", "alice")).block())
			.withMessageContaining("TokenManager.save")
			.withMessageNotContaining("alice");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void requestWhenErrorBodyThenTypedExceptionWithoutSecrets() {
		this.server.enqueue(json(401,
				"""
						{"error":"invalid_client","error_description":"Client authentication failed","error_uri":"https://docs.example.com/e"}"""));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), Map.of(), this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(401);
				assertThat(ex.getError()).isEqualTo("invalid_client");
				assertThat(ex.getErrorDescription()).isEqualTo("Client authentication failed");
				assertThat(ex.getErrorUri()).isEqualTo("https://docs.example.com/e");
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getMessage()).contains("invalid_client", "client secret").doesNotContain("s3cret");
			});
	}

	@Test
	void requestWhenErrorEchoesTheRefreshTokenThenItIsRedacted() {
		this.server.enqueue(json(400,
				"""
						{"error":"invalid_grant","error_description":"refresh token rt-secret+1 is revoked","state":"rt-secret+1"}"""));
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(ClientAuthenticationMethod.POST), List.of(),
				null, this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(
					() -> source
						.refresh(TokenKey.of("orders", "alice"),
								AccessToken.withValue("at").refreshToken("rt-secret+1").build())
						.block())
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("invalid_grant", "[REDACTED]").doesNotContain("rt-secret");
				assertThat(ex.getErrorDescription()).isEqualTo("refresh token [REDACTED] is revoked");
				assertThat(ex.getAdditionalParameters()).containsEntry("state", "[REDACTED]");
			});
	}

	@Test
	void requestWhenBodyIsNotJsonThenClearException() {
		// client_credentials may be repeated: the 502 is tried twice more
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(502)
				.addHeader("Content-Type", "text/html")
				.body("<html>Bad gateway</html>")
				.build());
		}
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), Map.of(), this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block())
			.withMessageContaining("502")
			.withMessageContaining("not an OAuth 2.0 error (text/html)")
			.satisfies((ex) -> assertThat(ex.getError()).isNull());
	}

	@Test
	void requestWhenSuccessWithoutAccessTokenThenClearException() {
		this.server.enqueue(json(200, "{\"token_type\":\"Bearer\"}"));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), Map.of(), this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block())
			.withMessageContaining("without an access_token");
	}

	@Test
	void requestThenObservedWithLowCardinalityTagsOnly() {
		this.server.enqueue(json(200, TOKEN_JSON));
		this.server.enqueue(json(400, "{\"error\":\"invalid_scope\"}"));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(ClientAuthenticationMethod.BASIC),
				List.of(), Map.of(), this.clock);
		source.obtain(TokenKey.of("orders")).block();
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.refresh(TokenKey.of("orders"), AccessToken.withValue("x").build())
				.block(Duration.ofSeconds(5)));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("tokenkit.token.requests", 2)
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("registration", "orders")
				.hasLowCardinalityKeyValue("client", "oauth2")
				.hasLowCardinalityKeyValue("operation", "acquire")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("status", "200"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("operation", "refresh")
				.hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR")
				.hasLowCardinalityKeyValue("status", "400")
				.hasLowCardinalityKeyValue("exception", "OAuth2TokenException"));
	}

	@Test
	void requestWhenCustomClientAuthenticationThenItsFormParametersSentAndItsSecretsRedacted() throws Exception {
		this.server.enqueue(json(400, """
				{"error":"invalid_client","error_description":"bad assertion eyJ.assertion"}"""));
		ClientAuthentication privateKeyJwt = new ClientAuthentication() {

			@Override
			public void authenticate(org.springframework.http.HttpHeaders headers,
					org.springframework.util.MultiValueMap<String, String> form) {
				form.set("client_id", "orders-app");
				form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
				form.set("client_assertion", "eyJ.assertion");
			}

			@Override
			public String getClientId() {
				return "orders-app";
			}

			@Override
			public java.util.Collection<String> getSecrets() {
				return List.of("eyJ.assertion");
			}

		};
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.server.url("/oauth2/token").toString()), privateKeyJwt, "orders", "oauth2",
				TokenRequestObserver.NOOP);
		org.springframework.util.LinkedMultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		assertThatExceptionOfType(OAuth2TokenException.class).isThrownBy(() -> client.request("acquire", form).block())
			.satisfies((ex) -> assertThat(ex.getErrorDescription()).isEqualTo("bad assertion [REDACTED]"));
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsEntry("grant_type", "client_credentials")
			.containsEntry("client_id", "orders-app")
			.containsEntry("client_assertion", "eyJ.assertion");
		assertThat(client.getClientId()).isEqualTo("orders-app");
	}

	@Test
	void requestWhenSubscribedTwiceThenClientAuthenticationAppliedAfreshEachTime() throws Exception {
		this.server.enqueue(json(200, TOKEN_JSON));
		this.server.enqueue(json(200, TOKEN_JSON));
		java.util.concurrent.atomic.AtomicInteger assertions = new java.util.concurrent.atomic.AtomicInteger();
		ClientAuthentication signing = new ClientAuthentication() {

			@Override
			public void authenticate(org.springframework.http.HttpHeaders headers,
					org.springframework.util.MultiValueMap<String, String> form) {
				form.set("client_assertion", "assertion-" + assertions.incrementAndGet());
			}

			@Override
			public String getClientId() {
				return "orders-app";
			}

			@Override
			public java.util.Collection<String> getSecrets() {
				return List.of();
			}

		};
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.server.url("/oauth2/token").toString()), signing, "orders", "oauth2",
				TokenRequestObserver.NOOP);
		org.springframework.util.LinkedMultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		reactor.core.publisher.Mono<OAuth2TokenResponse> request = client.request("acquire", form);
		request.block();
		request.block();
		assertThat(form(this.server.takeRequest())).containsEntry("client_assertion", "assertion-1");
		assertThat(form(this.server.takeRequest())).containsEntry("client_assertion", "assertion-2");
		assertThat(form).doesNotContainKey("client_assertion");
	}

	@Test
	void requestWhenTokenEndpointUnreachableThenTypedExceptionWithoutWebClientException() {
		URI tokenUri = URI.create(this.server.url("/oauth2/token?tenant=t-secret").toString());
		this.server.close();
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(), tokenUri, "orders-app", "s3cret:&=",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2",
				new TokenRequestObserver(this.observations, null));
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client, List.of(), Map.of(), this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getError()).isNull();
				assertThat(ex.getMessage()).startsWith("Token endpoint of 'orders' could not be reached (")
					.doesNotContain("s3cret", "t-secret");
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(cause)
						.isNotInstanceOf(org.springframework.web.reactive.function.client.WebClientException.class);
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("t-secret", "/oauth2/token");
				}
			});
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasLowCardinalityKeyValue("status", "none")
			.hasLowCardinalityKeyValue("exception", "OAuth2TokenException");
	}

	@Test
	void forRegistrationWhenErrorThenNamesTheRegistration() {
		this.server.enqueue(json(400, "{\"error\":\"invalid_scope\"}"));
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.server.url("/oauth2/token").toString()),
				ClientAuthentication.clientSecretPost("orders-app", "s3cret"), null, "oauth2",
				TokenRequestObserver.NOOP)
			.forRegistration("billing");
		org.springframework.util.LinkedMultiValueMap<String, String> form = new org.springframework.util.LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		assertThatExceptionOfType(OAuth2TokenException.class).isThrownBy(() -> client.request("acquire", form).block())
			.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("billing"));
		assertThat(client.toString()).contains("billing", "client_secret_post").doesNotContain("s3cret");
	}

}
