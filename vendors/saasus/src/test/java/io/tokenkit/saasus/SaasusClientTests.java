package io.tokenkit.saasus;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import reactor.core.publisher.Mono;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.TokenApiException;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Wire tests of {@link SaasusClient} on a loopback server: method, path, query, headers
 * (the signature recomputed here from the recorded request), body bytes, and the mapping
 * of every documented status.
 */
class SaasusClientTests {

	static final String SAAS_ID = "saas-demo-789";

	static final String API_KEY = "ak-demo-123";

	static final String SECRET_KEY = "sk-demo-secret-456";

	static final Instant NOW = Instant.parse("2026-11-23T04:15:42Z");

	static final String TIMESTAMP = "202611230415";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String CODE = "7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

	private static final String REFRESH_TOKEN = "rt-secret+/=&value";

	private final MockWebServer server = new MockWebServer();

	private SaasusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = client(WebClient.builder(), TokenRequestObserver.NOOP);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void saveCredentialsWhenServerAnswers201ThenReturnsTempCode() throws Exception {
		this.server.enqueue(json(201, "{\"code\":\"" + CODE + "\"}"));
		AuthorizationTempCode code = this.client.saveCredentials(new Credentials("eyJ.id", "eyJ.at", "rt-1"))
			.block(TIMEOUT);
		assertThat(code.code()).isEqualTo(CODE);
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/credentials");
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(request.getBody().utf8())
			.isEqualTo("{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\",\"refresh_token\":\"rt-1\"}");
		assertThat(request.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(request.getBodySize()));
		assertSigned(request);
		assertThat(request.getHeaders().get(SaasusRequestHeaders.TRACE_ID_HEADER)).isNull();
	}

	@Test
	void saveCredentialsWhenNoRefreshTokenThenBodyOmitsIt() throws Exception {
		this.server.enqueue(json(201, "{\"code\":\"" + CODE + "\"}"));
		this.client.saveCredentials(new Credentials("eyJ.id", "eyJ.at", null)).block(TIMEOUT);
		RecordedRequest request = take();
		assertThat(request.getBody().utf8()).isEqualTo("{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\"}");
		assertSigned(request);
	}

	@Test
	void getCredentialsWhenServerAnswers200ThenReturnsCredentials() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\"}"));
		Credentials credentials = this.client.getCredentials(CODE).block(TIMEOUT);
		assertThat(credentials).isEqualTo(new Credentials("id-1", "at-1", "rt-1"));
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/credentials?code=" + CODE + "&auth-flow=tempCodeAuth");
		assertThat(request.getBodySize()).isZero();
		assertThat(request.getHeaders().get("Content-Type")).isNull();
		assertSigned(request);
	}

	@Test
	void getCredentialsWhenResponseOmitsRefreshTokenThenRefreshTokenIsNull() {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\"}"));
		assertThat(this.client.getCredentials(CODE).block(TIMEOUT)).isEqualTo(new Credentials("id-1", "at-1", null));
	}

	@Test
	void refreshCredentialsWhenServerAnswers200ThenSendsHyphenatedQueryEncodedAsSigned() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\"}"));
		Credentials credentials = this.client.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT);
		assertThat(credentials).isEqualTo(new Credentials("id-2", "at-2", "rt-2"));
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget())
			.isEqualTo("/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=rt-secret%2B%2F%3D%26value");
		assertThat(request.getUrl().queryParameter("refresh-token")).isEqualTo(REFRESH_TOKEN);
		assertThat(request.getBodySize()).isZero();
		assertSigned(request);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|',
			value = { "{\"refresh_token\":\"rt-rotated\"}|rt-rotated",
					"{\"refresh_token\":{\"value\":\"rt-rotated\"}}|", "{\"refresh_token\":42}|",
					"{\"refresh_token\":[\"rt-rotated\"]}|", "{\"refresh_token\":true}|" })
	void refreshCredentialsWhenRefusedAnswerThenCarriesOnlyStringRefreshToken(String body, String carried) {
		this.server.enqueue(json(200, body));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> assertThat(TokenApiException.rotatedRefreshTokenOf(ex)).isEqualTo(carried));
	}

	@Test
	void refreshCredentialsWhenResponseOmitsRefreshTokenThenRefreshTokenIsNull() {
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\"}"));
		assertThat(this.client.refreshCredentials("rt-1").block(TIMEOUT).refreshToken()).isNull();
	}

	@Test
	void requestWhenOptionalHeadersGivenThenSentAndNotSigned() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\"}"));
		this.client
			.getCredentials(CODE,
					new SaasusRequestHeaders("trace-1", "https://app.example.com/p", "https://x.example.com"))
			.block(TIMEOUT);
		RecordedRequest request = take();
		assertThat(request.getHeaders().get("X-SaaSus-Trace-Id")).isEqualTo("trace-1");
		assertThat(request.getHeaders().get("Referer")).isEqualTo("https://app.example.com/p");
		assertThat(request.getHeaders().get("X-SaaSus-Referer")).isEqualTo("https://x.example.com");
		assertSigned(request);
	}

	@ParameterizedTest
	@CsvSource({ "save-credentials, 400", "save-credentials, 401", "save-credentials, 500", "get-credentials, 404",
			"get-credentials, 500", "refresh, 404", "refresh, 500" })
	void callWhenServerAnswersErrorThenSaasusApiExceptionWithErrorFields(String operation, int status) {
		this.server.enqueue(new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.setHeader("X-SaaSus-Trace-Id", "trace-9")
			.body("{\"type\":\"permission_denied\",\"message\":\"no access\",\"data\":{\"reason\":\"x\",\"n\":1}}")
			.build());
		assertThatExceptionOfType(SaasusApiException.class).isThrownBy(() -> call(operation).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(status);
				assertThat(ex.getOperation()).isEqualTo(operation);
				assertThat(ex.getType()).isEqualTo("permission_denied");
				assertThat(ex.getErrorMessage()).isEqualTo("no access");
				assertThat(ex.getData()).isEqualTo(Map.of("reason", "x", "n", 1));
				assertThat(ex.getTraceId()).isEqualTo("trace-9");
				assertThat(ex.getMessage())
					.startsWith("SaaSus " + operation + " answered " + status + " permission_denied (no access)");
				assertNoSecret(ex);
			});
	}

	@Test
	void callWhenErrorBodyHasNoDataThenDataIsEmpty() {
		this.server.enqueue(json(404, "{\"type\":\"not_found\",\"message\":\"gone\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials(CODE).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getData()).isEmpty();
				assertThat(ex.getMessage()).contains("valid for 10 seconds");
			});
	}

	@Test
	void callWhenErrorBodyIsNotJsonThenClearException() {
		this.server.enqueue(new MockResponse.Builder().code(502)
			.setHeader("Content-Type", "text/html")
			.body("<html>Bad gateway</html>")
			.build());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.getType()).isNull();
				assertThat(ex.getErrorMessage()).isNull();
				assertThat(ex.getMessage()).contains("answered 502 with a body that is not a SaaSus error (text/html)");
				assertNoSecret(ex);
			});
	}

	@Test
	void callWhenErrorBodyIsEmptyThenClearException() {
		this.server.enqueue(new MockResponse.Builder().code(500).build());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials(CODE).block(TIMEOUT))
			.withMessageContaining("answered 500 with a body that is not a SaaSus error");
	}

	@Test
	void getCredentialsWhenSuccessBodyIsNotJsonThenClearException() {
		this.server
			.enqueue(new MockResponse.Builder().code(200).setHeader("Content-Type", "text/plain").body("ok").build());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials(CODE).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(200);
				assertThat(ex.getMessage())
					.contains("answered 200 with a body that is not Credentials JSON (text/plain)");
			});
	}

	@Test
	void getCredentialsWhenSuccessBodyLacksAccessTokenThenClearException() {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials(CODE).block(TIMEOUT))
			.withMessageContaining("not Credentials JSON with id_token and access_token");
	}

	@Test
	void getCredentialsWhenSuccessBodyIsJsonArrayThenClearException() {
		this.server.enqueue(json(200, "[1,2]"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.getCredentials(CODE).block(TIMEOUT))
			.withMessageContaining("not Credentials JSON");
	}

	@Test
	void saveCredentialsWhenSuccessBodyIsEmptyThenClearException() {
		this.server.enqueue(new MockResponse.Builder().code(201).build());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.saveCredentials(new Credentials("i", "a", null)).block(TIMEOUT))
			.withMessageContaining("answered 201 with a body that is not an AuthorizationTempCode");
	}

	@Test
	void refreshWhenErrorMessageEchoesRefreshTokenThenRedacted() {
		this.server
			.enqueue(json(404, "{\"type\":\"invalid_token\",\"message\":\"unknown token " + REFRESH_TOKEN + "\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getErrorMessage()).isEqualTo("unknown token [REDACTED]");
				assertNoSecret(ex);
			});
	}

	@Test
	void refreshWhenServerUnreachableThenExceptionWithoutUrl() throws Exception {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI url = closed.url("/v1/auth").uri();
		closed.close();
		SaasusClient unreachable = new SaasusClient(WebClient.builder(), url, signer(), TokenRequestObserver.NOOP);
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> unreachable.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("refresh");
				assertThat(ex.getMessage()).startsWith("SaaSus refresh request failed without an answer");
				assertNoSecret(ex);
				assertThat(stackTrace(ex)).doesNotContain("refresh-token").doesNotContain("/credentials?");
			});
	}

	@Test
	void refreshWhenServerUnreachableThenNoWebClientExceptionInCauseChain() throws Exception {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI url = closed.url("/v1/auth/").uri();
		closed.close();
		SaasusClient unreachable = new SaasusClient(WebClient.builder(), url, signer(), TokenRequestObserver.NOOP);
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> unreachable.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).matches("SaaSus refresh request failed without an answer \\(\\w+\\); "
						+ "check tokenkit.saasus.base-url and the network");
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(cause).isNotInstanceOf(WebClientException.class);
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("/credentials");
				}
			});
	}

	@Test
	void refreshWhenLongErrorMessageEchoesEncodedRefreshTokenThenRedactedAndTruncated() {
		// rt-secret+/=&value as sent in the query, and form-encoded
		String longMessage = "refresh-token=rt-secret%2B%2F%3D%26value or rt-secret%2B%2F%3D%26value is unknown "
				+ "x".repeat(300);
		this.server.enqueue(json(404, "{\"type\":\"invalid_token\",\"message\":\"" + longMessage + "\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> this.client.refreshCredentials(REFRESH_TOKEN).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getErrorMessage())
					.isEqualTo("refresh-token=[REDACTED] or [REDACTED] is unknown " + "x".repeat(300));
				assertThat(ex.getMessage()).contains("(refresh-token=[REDACTED] or [REDACTED] is unknown x")
					.contains("x…)")
					.doesNotContain("x".repeat(200));
				assertThat(ex.getMessage()).doesNotContain("rt-secret");
				assertNoSecret(ex);
			});
	}

	@Test
	void refreshWhenObservedThenNoKeyValueCarriesTheQuery() throws Exception {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<Observation.Context> stopped = new CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
		SaasusClient observed = client(WebClient.builder().observationRegistry(registry),
				new TokenRequestObserver(registry, null));
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\"}"));
		observed.refreshCredentials("rt-1").block(TIMEOUT);
		this.server.enqueue(json(404, "{\"type\":\"x\",\"message\":\"y\"}"));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> observed.refreshCredentials("rt-1").block(TIMEOUT));
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\"}"));
		observed.getCredentials(CODE).block(TIMEOUT);

		// Spring's client observation may stop on another thread just after the call
		// completes
		Awaitility.await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stopped).hasSize(6));
		String base = this.server.url("/v1/auth/credentials").toString();
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("http.client.requests")
			.that()
			.hasHighCardinalityKeyValue("http.url", base)
			.hasLowCardinalityKeyValue("uri", "/v1/auth/credentials");
		TestObservationRegistryAssert.assertThat(registry)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasLowCardinalityKeyValue("operation", "refresh");
		for (Observation.Context context : stopped) {
			List<String> values = new ArrayList<>();
			context.getAllKeyValues().forEach((KeyValue keyValue) -> values.add(keyValue.getValue()));
			values.add(String.valueOf(context.getContextualName()));
			values.add(context.getName());
			assertThat(values).allSatisfy((value) -> assertThat(value).doesNotContain("rt-1")
				.doesNotContain(CODE)
				.doesNotContain("?")
				.doesNotContain("refresh-token"));
		}
	}

	private Mono<?> call(String operation) {
		return switch (operation) {
			case "save-credentials" -> this.client.saveCredentials(new Credentials("eyJ.id", "eyJ.at", REFRESH_TOKEN));
			case "get-credentials" -> this.client.getCredentials(CODE);
			default -> this.client.refreshCredentials(REFRESH_TOKEN);
		};
	}

	private SaasusClient client(WebClient.Builder builder, TokenRequestObserver observer) {
		return new SaasusClient(builder, this.server.url("/v1/auth").uri(), signer(), observer);
	}

	static SaasusRequestSigner signer() {
		return new SaasusRequestSigner(SAAS_ID, API_KEY, SECRET_KEY, Clock.fixed(NOW, ZoneOffset.UTC));
	}

	static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
	}

	private RecordedRequest take() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request;
	}

	/**
	 * Recompute the SAASUSSIGV1 header from what arrived on the wire: the Host header
	 * (host:port on this loopback server's non-default port), the request target (path
	 * and query as sent) and the body bytes.
	 */
	static void assertSigned(RecordedRequest request) throws Exception {
		String host = request.getHeaders().get("Host");
		assertThat(host).endsWith(":" + request.getUrl().port());
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
		mac.update((TIMESTAMP + API_KEY + request.getMethod() + host + request.getTarget())
			.getBytes(StandardCharsets.UTF_8));
		byte[] body = (request.getBody() != null) ? request.getBody().toByteArray() : new byte[0];
		String expected = "SAASUSSIGV1 Sig=" + HexFormat.of().formatHex(mac.doFinal(body)) + ", SaaSID=" + SAAS_ID
				+ ", APIKey=" + API_KEY;
		assertThat(request.getHeaders().values("Authorization")).containsExactly(expected);
	}

	private static void assertNoSecret(Throwable ex) {
		assertThat(stackTrace(ex)).doesNotContain(REFRESH_TOKEN)
			.doesNotContain("rt-secret")
			.doesNotContain(CODE)
			.doesNotContain("eyJ.at")
			.doesNotContain(SECRET_KEY);
	}

	private static String stackTrace(Throwable ex) {
		StringWriter writer = new StringWriter();
		ex.printStackTrace(new PrintWriter(writer));
		return writer.toString();
	}

}
