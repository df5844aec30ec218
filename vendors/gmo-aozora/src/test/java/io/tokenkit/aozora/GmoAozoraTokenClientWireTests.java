package io.tokenkit.aozora;

import java.net.URI;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.aozora.AozoraTestSupport.BASIC_HEADER;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.REDIRECT_URI;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * {@code POST /token} of the bank on a real loopback server: method, path, headers and
 * form field by field for both client authentication methods, the answer mapped back, and
 * every error answer.
 */
class GmoAozoraTokenClientWireTests {

	private static final String FULL_RESPONSE = """
			{"access_token":"at-1","refresh_token":"rt-1","scope":"private:account private:virtual-account",\
			"token_type":"Bearer","expires_in":2592000,"id_token":"eyJ.id.tok"}""";

	private final MockWebServer server = new MockWebServer();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private GmoAozoraTokenClient client(ClientAuthenticationMethod method) {
		return client(method, CLIENT_SECRET);
	}

	private GmoAozoraTokenClient client(ClientAuthenticationMethod method, String secret) {
		return new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url("/ganb/api/auth/v1/token").toString()), CLIENT_ID, secret, method,
				new TokenRequestObserver(this.observations, null));
	}

	private static void assertCommonHeaders(RecordedRequest request) {
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/ganb/api/auth/v1/token");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json;charset=UTF-8");
	}

	@Test
	void exchangeWhenBasicThenBasicHeaderAndNoCredentialsInForm() throws Exception {
		this.server.enqueue(json(200, FULL_RESPONSE));
		OAuth2TokenResponse response = client(ClientAuthenticationMethod.BASIC).exchange("code-1", REDIRECT_URI)
			.block();
		RecordedRequest request = this.server.takeRequest();
		assertCommonHeaders(request);
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
		assertThat(form(request)).containsExactly(entry("grant_type", "authorization_code"), entry("code", "code-1"),
				entry("redirect_uri", REDIRECT_URI));
		assertThat(response.accessToken()).isEqualTo("at-1");
		assertThat(response.refreshToken()).isEqualTo("rt-1");
		assertThat(response.scopes()).containsExactly("private:account", "private:virtual-account");
		assertThat(response.tokenType()).isEqualTo("Bearer");
		assertThat(response.expiresIn()).isEqualTo(2592000L);
		assertThat(response.idToken()).isEqualTo("eyJ.id.tok");
	}

	@Test
	void exchangeWhenPostThenCredentialsInFormAndNoAuthorizationHeader() throws Exception {
		this.server.enqueue(json(200, FULL_RESPONSE));
		client(ClientAuthenticationMethod.POST).exchange("code-1", REDIRECT_URI).block();
		RecordedRequest request = this.server.takeRequest();
		assertCommonHeaders(request);
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsOnly(entry("grant_type", "authorization_code"), entry("code", "code-1"),
				entry("redirect_uri", REDIRECT_URI), entry("client_id", CLIENT_ID),
				entry("client_secret", CLIENT_SECRET));
	}

	@Test
	void refreshWhenBasicThenRefreshGrantWithBasicHeader() throws Exception {
		this.server.enqueue(json(200, FULL_RESPONSE));
		client(ClientAuthenticationMethod.BASIC).refresh("rt-0").block();
		RecordedRequest request = this.server.takeRequest();
		assertCommonHeaders(request);
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
		assertThat(form(request)).containsExactly(entry("grant_type", "refresh_token"), entry("refresh_token", "rt-0"));
	}

	@Test
	void refreshWhenPostThenRefreshGrantWithCredentialsInForm() throws Exception {
		this.server.enqueue(json(200, FULL_RESPONSE));
		client(ClientAuthenticationMethod.POST).refresh("rt-0").block();
		RecordedRequest request = this.server.takeRequest();
		assertCommonHeaders(request);
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsOnly(entry("grant_type", "refresh_token"), entry("refresh_token", "rt-0"),
				entry("client_id", CLIENT_ID), entry("client_secret", CLIENT_SECRET));
	}

	@Test
	void exchangeWhenSecretHasReservedCharactersThenBasicIsPlainBase64AsTheBankDocuments() throws Exception {
		this.server.enqueue(json(200, FULL_RESPONSE));
		client(ClientAuthenticationMethod.BASIC, "s3cr+t/=:%").exchange("code-1", REDIRECT_URI).block();
		// base64("aozora-app:s3cr+t/=:%"), computed outside the project
		assertThat(this.server.takeRequest().getHeaders().get("Authorization"))
			.isEqualTo("Basic YW96b3JhLWFwcDpzM2NyK3QvPTol");
	}

	@Test
	void exchangeWhenOptionalFieldsAbsentAndExpiresInStringThenMapped() {
		this.server.enqueue(json(200, """
				{"access_token":"at-1","scope":"private:account","token_type":"Bearer","expires_in":"3600"}"""));
		OAuth2TokenResponse response = client(ClientAuthenticationMethod.BASIC).exchange("code-1", REDIRECT_URI)
			.block();
		assertThat(response.accessToken()).isEqualTo("at-1");
		assertThat(response.expiresIn()).isEqualTo(3600L);
		assertThat(response.refreshToken()).isNull();
		assertThat(response.idToken()).isNull();
	}

	@Test
	void refreshWhenExpiresInNumberThenMapped() {
		this.server.enqueue(json(200, """
				{"access_token":"at-2","refresh_token":"rt-2","token_type":"Bearer","expires_in":3600}"""));
		assertThat(client(ClientAuthenticationMethod.BASIC).refresh("rt-1").block().expiresIn()).isEqualTo(3600L);
	}

	@ParameterizedTest
	@CsvSource({ "400, invalid_request", "400, invalid_grant", "401, invalid_client", "400, unauthorized_client",
			"400, unsupported_grant_type", "400, invalid_scope", "403, invalid_request", "500, server_error",
			"503, server_error" })
	void exchangeWhenErrorBodyThenTypedExceptionWithErrorFields(int status, String error) {
		this.server.enqueue(json(status, """
				{"error":"%s","error_description":"something is wrong","error_uri":"https://api.gmo-aozora.com/errors",\
				"state":"st-1"}""".formatted(error)));
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client(ClientAuthenticationMethod.BASIC).exchange("code-1", REDIRECT_URI).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(status);
				assertThat(ex.getError()).isEqualTo(error);
				assertThat(ex.getErrorDescription()).isEqualTo("something is wrong");
				assertThat(ex.getErrorUri()).isEqualTo("https://api.gmo-aozora.com/errors");
				assertThat(ex.getState()).isEqualTo("st-1");
				assertThat(ex.getMessage()).contains(error)
					.doesNotContain("code-1")
					.doesNotContain(CLIENT_SECRET)
					.doesNotContain("st-1");
			});
	}

	@Test
	void refreshWhenErrorWithoutOptionalFieldsThenTheyAreNull() {
		this.server.enqueue(json(400, "{\"error\":\"invalid_grant\"}"));
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client(ClientAuthenticationMethod.POST).refresh("rt-1").block())
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("invalid_grant");
				assertThat(ex.getErrorDescription()).isNull();
				assertThat(ex.getErrorUri()).isNull();
				assertThat(ex.getState()).isNull();
				assertThat(ex.getMessage()).doesNotContain("rt-1");
			});
	}

	@Test
	void exchangeWhenNonJsonErrorBodyThenClearException() {
		this.server.enqueue(new MockResponse.Builder().code(502)
			.addHeader("Content-Type", "text/html")
			.body("<html>Bad gateway</html>")
			.build());
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client(ClientAuthenticationMethod.BASIC).exchange("code-1", REDIRECT_URI).block())
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.getError()).isNull();
				assertThat(ex.getMessage()).contains("502").contains("not an OAuth 2.0 error").contains("text/html");
			});
	}

	@Test
	void exchangeWhenNonJsonSuccessBodyThenClearException() {
		this.server
			.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/plain").body("ok").build());
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client(ClientAuthenticationMethod.BASIC).exchange("code-1", REDIRECT_URI).block())
			.withMessageContaining("not a JSON object");
	}

	@Test
	void exchangeAndRefreshWhenCalledThenObservedAsGmoAozoraClient() {
		this.server.enqueue(json(200, FULL_RESPONSE));
		this.server.enqueue(json(400, "{\"error\":\"invalid_grant\"}"));
		GmoAozoraTokenClient client = client(ClientAuthenticationMethod.BASIC);
		client.exchange("code-1", REDIRECT_URI).block();
		assertThatExceptionOfType(GmoAozoraTokenException.class).isThrownBy(() -> client.refresh("rt-1").block());
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("tokenkit.token.requests", 2)
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("client", "gmo-aozora")
				.hasLowCardinalityKeyValue("registration", "none")
				.hasLowCardinalityKeyValue("operation", "exchange")
				.hasLowCardinalityKeyValue("outcome", "SUCCESS")
				.hasLowCardinalityKeyValue("status", "200"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("client", "gmo-aozora")
				.hasLowCardinalityKeyValue("operation", "refresh")
				.hasLowCardinalityKeyValue("outcome", "CLIENT_ERROR")
				.hasLowCardinalityKeyValue("status", "400"));
	}

	@Test
	void forRegistrationWhenRefreshThenObservedUnderTheRegistration() {
		this.server.enqueue(json(200, FULL_RESPONSE));
		client(ClientAuthenticationMethod.BASIC).forRegistration("bank").refresh("rt-1").block();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasLowCardinalityKeyValue("registration", "bank")
			.hasLowCardinalityKeyValue("client", "gmo-aozora");
	}

	@Test
	void exchangeWhenTokenEndpointUnreachableThenTypedExceptionWithStatusZeroAndNoWebClientException() {
		GmoAozoraTokenClient client = client(ClientAuthenticationMethod.BASIC);
		this.server.close();
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client.exchange("code-1", REDIRECT_URI).block(java.time.Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getError()).isNull();
				assertThat(ex.getMessage()).startsWith("Token endpoint of 'gmo-aozora' could not be reached (")
					.doesNotContain(CLIENT_SECRET, "code-1");
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(cause)
						.isNotInstanceOf(org.springframework.web.reactive.function.client.WebClientException.class);
				}
			});
	}

	@Test
	void toStringWhenCalledThenNoSecret() {
		assertThat(client(ClientAuthenticationMethod.BASIC).toString()).doesNotContain(CLIENT_SECRET);
	}

}
