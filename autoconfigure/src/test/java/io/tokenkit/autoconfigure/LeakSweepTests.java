package io.tokenkit.autoconfigure;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.aozora.BlockingGmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.authlete.GrantType;
import io.tokenkit.authlete.Property;
import io.tokenkit.authlete.TokenCreateRequest;
import io.tokenkit.authlete.TokenListRequest;
import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.authlete.AuthleteAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.saasus.Credentials;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenApiException;
import io.tokenkit.token.TokenCoolDownException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs every flow of the library reachable offline, with the {@code io.tokenkit} loggers
 * at TRACE, and checks that no secret of the test appears in a log line, a stack trace, a
 * {@code toString()} of a returned object, a meter tag or an observation key value.
 */
@ExtendWith(OutputCaptureExtension.class)
class LeakSweepTests {

	private static final String CLIENT_SECRET = "sweep-secret-client";

	private static final String ACCESS_TOKEN = "sweep-secret-access-token-1";

	private static final String RETRY_ACCESS_TOKEN = "sweep-secret-access-token-2";

	private static final String USER_ACCESS_TOKEN = "sweep-secret-user-access-token";

	private static final String USER_REFRESH_TOKEN = "sweep-secret-user-refresh-token";

	private static final String NEW_USER_ACCESS_TOKEN = "sweep-secret-new-user-access-token";

	private static final String NEW_USER_REFRESH_TOKEN = "sweep-secret-new-user-refresh-token";

	private static final String ROTATED_REFRESH_TOKEN = "sweep-secret-rotated-refresh-token";

	private static final String REFUSED_ACCESS_TOKEN = "sweep-secret-refused-access-token";

	private static final String AFTER_ROTATION_ACCESS_TOKEN = "sweep-secret-after-rotation-access-token";

	private static final String SUBJECT = "sweep-secret-subject";

	private static final String SAASUS_SECRET_KEY = "sweep-secret-saasus-key";

	private static final String SAASUS_ID_TOKEN = "sweep-secret-saasus-id-token";

	private static final String SAASUS_ACCESS_TOKEN = "sweep-secret-saasus-access-token";

	private static final String SAASUS_REFRESH_TOKEN = "sweep-secret-saasus-refresh-token";

	private static final String TEMP_CODE = "sweep-secret-temp-code";

	private static final String AOZORA_CLIENT_SECRET = "sweep-secret-aozora-client";

	private static final String AOZORA_STATE_SALT = "sweep-secret-state-salt";

	private static final String SESSION_ID = "sweep-secret-session";

	private static final String AOZORA_CODE = "sweep-secret-aozora-code";

	private static final String AOZORA_ACCESS_TOKEN = "sweep-secret-aozora-access-token";

	private static final String AOZORA_REFRESH_TOKEN = "sweep-secret-aozora-refresh-token";

	private static final String AUTHLETE_SERVICE_TOKEN = "sweep-secret-authlete-service-token";

	private static final String AUTHLETE_ACCESS_TOKEN = "sweep-secret-authlete-access-token";

	private static final String QUERY_VALUE = "sweep-secret-query";

	private static final List<String> SECRETS = List.of(CLIENT_SECRET, ACCESS_TOKEN, RETRY_ACCESS_TOKEN,
			USER_ACCESS_TOKEN, USER_REFRESH_TOKEN, NEW_USER_ACCESS_TOKEN, NEW_USER_REFRESH_TOKEN, ROTATED_REFRESH_TOKEN,
			REFUSED_ACCESS_TOKEN, AFTER_ROTATION_ACCESS_TOKEN, SUBJECT, SAASUS_SECRET_KEY, SAASUS_ID_TOKEN,
			SAASUS_ACCESS_TOKEN, SAASUS_REFRESH_TOKEN, TEMP_CODE, AOZORA_CLIENT_SECRET, AOZORA_STATE_SALT, SESSION_ID,
			AOZORA_CODE, AOZORA_ACCESS_TOKEN, AOZORA_REFRESH_TOKEN, AUTHLETE_SERVICE_TOKEN, AUTHLETE_ACCESS_TOKEN,
			QUERY_VALUE);

	private final MockWebServer server = new MockWebServer();

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final List<Observation.Context> observed = new java.util.concurrent.CopyOnWriteArrayList<>();

	private final List<Throwable> failures = new ArrayList<>();

	/** The failures that reached callers of the manager. */
	private final List<Throwable> managerFailures = new ArrayList<>();

	/**
	 * The failures of refused answers that carried a refresh token, written as JSON: the
	 * ones that reached callers of the manager, and those of typed clients called
	 * directly, which carry it but never as a property.
	 */
	private final List<Throwable> serialized = new ArrayList<>();

	private final List<String> leaks = new ArrayList<>();

	private final List<Object> results = new ArrayList<>();

	private final Map<String, Level> levels = Map.of("io.tokenkit", Level.TRACE, "reactor.netty", Level.INFO,
			"io.lettuce", Level.INFO);

	private final Map<String, Level> previousLevels = new java.util.HashMap<>();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.observations.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(this.meters))
			.observationHandler(new ObservationHandler<>() {

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

				@Override
				public void onStop(Observation.Context context) {
					LeakSweepTests.this.observed.add(context);
				}

			});
		this.levels.forEach((name, level) -> {
			Logger logger = (Logger) LoggerFactory.getLogger(name);
			this.previousLevels.put(name, logger.getLevel());
			logger.setLevel(level);
		});
	}

	@AfterEach
	void stop() {
		this.server.close();
		this.previousLevels.forEach((name, level) -> ((Logger) LoggerFactory.getLogger(name)).setLevel(level));
	}

	@Test
	void everyFlowWhenTracedThenNoSecretInLogsStackTracesToStringsMetersOrObservations(CapturedOutput output)
			throws Exception {
		String base = "http://localhost:" + this.server.getPort();
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					TokenKitObservationAutoConfiguration.class, SaasusAutoConfiguration.class,
					GmoAozoraAutoConfiguration.class, AuthleteAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.observations)
			.withBean(MeterRegistry.class, () -> this.meters)
			.withPropertyValues("tokenkit.token-calls.response-timeout=2s", "tokenkit.token-calls.retry-backoff=10ms")
			.withPropertyValues(clientCredentials("orders", base + "/token", base))
			.withPropertyValues(clientCredentials("broken", base + "/token", base))
			.withPropertyValues(clientCredentials("html", base + "/token", base))
			.withPropertyValues(clientCredentials("refused", "http://127.0.0.1:" + closedPort + "/token", base))
			.withPropertyValues(discovered("discovered", base + "/realms/ok", base))
			.withPropertyValues(discovered("mismatched", base + "/realms/other", base))
			.withPropertyValues("tokenkit.registrations.users.grant-type=refresh_token",
					"tokenkit.registrations.users.token-uri=" + base + "/token",
					"tokenkit.registrations.users.client-id=users-app",
					"tokenkit.registrations.users.client-secret=" + CLIENT_SECRET,
					"tokenkit.clients.users.base-url=" + base + "/api", "tokenkit.clients.users.registration=users")
			.withPropertyValues("tokenkit.saasus.base-url=" + base + "/saasus", "tokenkit.saasus.saas-id=saas-1",
					"tokenkit.saasus.api-key=api-key-1", "tokenkit.saasus.secret-key=" + SAASUS_SECRET_KEY)
			.withPropertyValues("tokenkit.gmo-aozora.base-url=" + base + "/aozora",
					"tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.client-secret=" + AOZORA_CLIENT_SECRET,
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
					"tokenkit.gmo-aozora.state-salt=" + AOZORA_STATE_SALT,
					"tokenkit.gmo-aozora.scopes=private:account,offline_access")
			.withPropertyValues("tokenkit.authlete.base-url=" + base + "/authlete",
					"tokenkit.authlete.service-id=715948317",
					"tokenkit.authlete.access-token=" + AUTHLETE_SERVICE_TOKEN)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				clientCredentialsFlows(context);
				discoveryFlows(context, base);
				refreshTokenFlows(context);
				saasusFlows(context.getBean(SaasusClient.class));
				gmoAozoraFlows(context.getBean(GmoAozoraClient.class));
				authleteFlows(context.getBean(AuthleteClient.class));
			});
		failureAnalysisFlow();
		assertThat(this.failures).as("every failing flow raised an exception").hasSizeGreaterThanOrEqualTo(9);
		assertNoSecret("log output", output.getAll());
		assertThat(this.managerFailures).hasSize(4);
		assertThat(this.serialized).hasSize(6);
		JsonMapper jackson = JsonMapper.builder().build();
		for (Throwable failure : this.failures) {
			StringWriter trace = new StringWriter();
			failure.printStackTrace(new PrintWriter(trace));
			assertNoSecret("stack trace", trace.toString());
		}
		for (Throwable failure : this.serialized) {
			// as an application's error handler would write it
			assertNoSecret("JSON of a " + failure.getClass().getName(), jackson.writeValueAsString(failure));
		}
		for (Throwable failure : this.managerFailures) {
			if (TokenApiException.rotatedRefreshTokenOf(failure) != null) {
				this.leaks.add("a failure that reached a caller of the manager carries a refresh token: " + failure);
			}
		}
		for (Object result : this.results) {
			assertNoSecret("toString() of a " + result.getClass().getName(), String.valueOf(result));
		}
		assertThat(this.meters.getMeters()).isNotEmpty();
		for (Meter meter : this.meters.getMeters()) {
			assertNoSecret("meter", meter.getId().toString());
		}
		assertThat(this.observed).isNotEmpty();
		for (Observation.Context observed : this.observed) {
			assertNoSecret("observation",
					observed.getName() + " " + observed.getContextualName() + " " + observed.getAllKeyValues());
		}
		assertThat(this.leaks).isEmpty();
	}

	/**
	 * The flows of client keys: {@code private_key_jwt} and {@code client_secret_jwt}
	 * token calls that succeed and that a server refuses echoing the assertion, and the
	 * failure analyses of wrong key settings. Neither the key, nor an assertion sent, nor
	 * the secret appears anywhere.
	 */
	@Test
	void clientKeyFlowsWhenTracedThenNoKeyAssertionOrSecretInLogsStackTracesToStringsMetersOrObservations(
			CapturedOutput output) throws Exception {
		String base = "http://localhost:" + this.server.getPort();
		java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		byte[] encoded = generator.generateKeyPair().getPrivate().getEncoded();
		String keyBody = java.util.Base64.getEncoder().encodeToString(encoded);
		java.nio.file.Path keyFile = java.nio.file.Files.createTempFile("sweep", ".pem");
		keyFile.toFile().deleteOnExit();
		String pem = "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder().encodeToString(encoded)
				+ "\n-----END PRIVATE KEY-----\n";
		java.nio.file.Files.writeString(keyFile, pem);
		String hsSecret = CLIENT_SECRET + "-for-hs256-0123456789abcdef";
		List<String> secrets = new ArrayList<>(
				List.of(hsSecret, keyBody.substring(100, 160), pem.lines().skip(2).findFirst().orElseThrow()));
		this.server.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
				String body = request.getBody().utf8();
				String assertion = org.springframework.web.util.UriComponentsBuilder.newInstance()
					.query(body)
					.build()
					.getQueryParams()
					.getFirst("client_assertion");
				secrets.add(assertion);
				if (request.getUrl().encodedPath().endsWith("/refuse")) {
					return json(401, "{\"error\":\"invalid_client\",\"error_description\":\"assertion " + assertion
							+ " is signed with the wrong key\"}");
				}
				return tokenResponse(ACCESS_TOKEN, null);
			}
		});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.observations)
			.withBean(MeterRegistry.class, () -> this.meters)
			.withPropertyValues("tokenkit.token-calls.retry-backoff=10ms")
			.withPropertyValues(keyed("signed", base + "/token", "private_key_jwt", "client-key.file=" + keyFile))
			.withPropertyValues(
					keyed("signed-refused", base + "/refuse", "private_key_jwt", "client-key.file=" + keyFile))
			.withPropertyValues(keyed("hs", base + "/token", "client_secret_jwt", "client-secret=" + hsSecret))
			.withPropertyValues(keyed("hs-refused", base + "/refuse", "client_secret_jwt", "client-secret=" + hsSecret))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				TokenManager manager = context.getBean(TokenManager.class);
				for (String id : List.of("signed", "signed-refused", "hs", "hs-refused")) {
					call(() -> manager.getToken(TokenKey.of(id)).block(Duration.ofSeconds(10)));
				}
				this.results.add(manager);
			});
		for (String[] wrong : List.of(new String[] { "client-key.file=" + keyFile, "client-key.algorithm=ES256" },
				new String[] { "client-key.file=" + keyFile, "fapi=true", "client-key.algorithm=RS256" },
				// the key itself in client-key.file, as an environment variable gives it
				new String[] { "client-key.file=" + pem, "client-key.algorithm=ES256" },
				new String[] { "client-key.file=" + pem.substring(0, pem.length() / 2) })) {
			new ApplicationContextRunner()
				.withConfiguration(
						AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
				.withPropertyValues(keyed("wrong", base + "/token", "private_key_jwt", wrong))
				.run((context) -> {
					this.failures.add(context.getStartupFailure());
					FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
					this.results.add(analysis.getDescription() + " " + analysis.getAction());
				});
		}
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withPropertyValues(keyed("short", base + "/token", "client_secret_jwt", "client-secret=" + CLIENT_SECRET))
			.run((context) -> {
				this.failures.add(context.getStartupFailure());
				FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
				this.results.add(analysis.getDescription() + " " + analysis.getAction());
			});
		assertThat(secrets).as("assertions sent").hasSizeGreaterThanOrEqualTo(4);
		assertThat(this.failures).as("two refused calls, five failed starts").hasSize(7);
		sweep(output, secrets, "client key flows");
	}

	@Test
	void dpopFlowsWhenTracedThenNoProofTokenOrSecretInLogsStackTracesToStringsMetersOrObservations(
			CapturedOutput output) {
		String base = "http://localhost:" + this.server.getPort();
		List<String> proofs = new java.util.concurrent.CopyOnWriteArrayList<>();
		java.util.concurrent.atomic.AtomicInteger tokenCalls = new java.util.concurrent.atomic.AtomicInteger();
		java.util.concurrent.atomic.AtomicInteger apiCalls = new java.util.concurrent.atomic.AtomicInteger();
		this.server.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
				String proof = request.getHeaders().get("DPoP");
				proofs.add(proof);
				String path = request.getUrl().encodedPath();
				if (path.endsWith("/refuse")) {
					return json(400, "{\"error\":\"invalid_dpop_proof\",\"error_description\":\"proof " + proof
							+ " is invalid\"}");
				}
				if (path.endsWith("/token")) {
					// a nonce challenge that echoes the proof, then a DPoP-bound token
					return (tokenCalls.getAndIncrement() == 0)
							? new MockResponse.Builder().code(400)
								.setHeader("Content-Type", "application/json")
								.setHeader("DPoP-Nonce", "sweep-nonce-1")
								.body("{\"error\":\"use_dpop_nonce\",\"error_description\":\"nonce missing in " + proof
										+ "\"}")
								.build()
							: json(200,
									"{\"access_token\":\""
											+ ((tokenCalls.get() == 2) ? ACCESS_TOKEN : RETRY_ACCESS_TOKEN)
											+ "\",\"token_type\":\"DPoP\",\"expires_in\":3600}");
				}
				// the API: a nonce challenge, a rejection that echoes the proof, then 200
				return switch (apiCalls.getAndIncrement()) {
					case 0 -> new MockResponse.Builder().code(401)
						.setHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"")
						.setHeader("DPoP-Nonce", "sweep-nonce-2")
						.build();
					case 1 -> new MockResponse.Builder().code(401)
						.setHeader("WWW-Authenticate", "DPoP error=\"invalid_token\"")
						.body("proof " + proof + " rejected")
						.build();
					default -> new MockResponse.Builder().code(200).body("ok").build();
				};
			}
		});
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
					WebClientAutoConfiguration.class, WebClientObservationAutoConfiguration.class,
					TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.observations)
			.withBean(MeterRegistry.class, () -> this.meters)
			.withPropertyValues("tokenkit.token-calls.retry-backoff=10ms")
			.withPropertyValues(clientCredentials("dpop", base + "/token", base))
			.withPropertyValues("tokenkit.registrations.dpop.dpop=true")
			.withPropertyValues(
					keyed("dpop-refused", base + "/refuse", "post", "client-secret=" + CLIENT_SECRET, "dpop=true"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				WebClient dpop = context.getBean("dpopWebClient", WebClient.class);
				call(() -> dpop.get().uri("/items?key=" + QUERY_VALUE).retrieve().bodyToMono(String.class).block());
				TokenManager manager = context.getBean(TokenManager.class);
				call(() -> manager.getToken(TokenKey.of("dpop-refused")).block(Duration.ofSeconds(10)));
				this.results.add(manager);
				this.results.add(manager.getRegistration("dpop"));
				this.results.add(manager.getCachedToken(TokenKey.of("dpop")));
			});
		proofs.removeIf(java.util.Objects::isNull);
		assertThat(proofs).as("proofs sent: three token calls, three API sends, one refused call").hasSize(7);
		assertThat(this.failures).as("the refused token call").hasSize(1);
		sweep(output, proofs, "DPoP flows");
	}

	/**
	 * Look for the given secrets, and every secret of {@link #SECRETS}, in the output,
	 * the stack traces of the failures, the results' toString(), the meters and the
	 * observations.
	 */
	private void sweep(CapturedOutput output, List<String> secrets, String where) {
		List<String> texts = new ArrayList<>();
		texts.add(output.getAll());
		for (Throwable failure : this.failures) {
			StringWriter trace = new StringWriter();
			failure.printStackTrace(new PrintWriter(trace));
			texts.add(trace.toString());
		}
		this.results.forEach((result) -> texts.add(String.valueOf(result)));
		this.meters.getMeters().forEach((meter) -> texts.add(meter.getId().toString()));
		this.observed.forEach((observed) -> texts.add(observed.getName() + " " + observed.getAllKeyValues()));
		assertThat(this.meters.getMeters()).isNotEmpty();
		for (String text : texts) {
			for (String secret : secrets) {
				if (secret != null && text.contains(secret)) {
					this.leaks.add("leaks " + secret + ": " + text);
				}
			}
			assertNoSecret(where, text);
		}
		assertThat(this.leaks).isEmpty();
	}

	/**
	 * The bank's authorization with PKCE, PAR and the issuer check: authorization URLs
	 * pushed (once refused with an answer that echoes the client secret), callbacks
	 * completed (once refused with an answer that echoes the code verifier), a callback
	 * from a foreign issuer and a replayed one refused, on the reactive and the blocking
	 * client. No code verifier sent, code, token or secret appears anywhere.
	 */
	@Test
	void gmoAozoraPkceParAndIssFlowsWhenTracedThenNoVerifierCodeOrSecretAnywhere(CapturedOutput output) {
		String base = "http://localhost:" + this.server.getPort();
		List<String> secrets = new java.util.concurrent.CopyOnWriteArrayList<>();
		List<String> states = new java.util.concurrent.CopyOnWriteArrayList<>();
		this.server.setDispatcher(new mockwebserver3.Dispatcher() {
			@Override
			public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
				Map<String, String> form = UriComponentsBuilder.newInstance()
					.query(request.getBody().utf8())
					.build()
					.getQueryParams()
					.toSingleValueMap();
				if (request.getUrl().encodedPath().endsWith("/par")) {
					if (form.get("scope").contains("refuse")) {
						return json(400, "{\"error\":\"invalid_request\",\"error_description\":\"secret "
								+ form.get("client_secret") + " is not this client's\"}");
					}
					states.add(form.get("state"));
					return json(201, "{\"request_uri\":\"urn:ietf:params:oauth:request_uri:r-"
							+ Math.abs(form.get("state").hashCode()) + "\",\"expires_in\":60}");
				}
				String verifier = form.get("code_verifier");
				secrets.add(verifier);
				if (AOZORA_CODE.equals(form.get("code"))) {
					return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code_verifier " + verifier
							+ " does not match\"}");
				}
				return tokenResponse(AOZORA_ACCESS_TOKEN, AOZORA_REFRESH_TOKEN);
			}
		});
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ObservationAutoConfiguration.class, WebClientAutoConfiguration.class,
							WebClientObservationAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
							GmoAozoraAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(ObservationRegistry.class, () -> this.observations)
			.withBean(MeterRegistry.class, () -> this.meters)
			.withPropertyValues("tokenkit.token-calls.retry-backoff=10ms",
					"tokenkit.gmo-aozora.base-url=" + base + "/aozora", "tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.client-secret=" + AOZORA_CLIENT_SECRET, "tokenkit.gmo-aozora.auth-method=post",
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
					"tokenkit.gmo-aozora.state-salt=" + AOZORA_STATE_SALT,
					"tokenkit.gmo-aozora.scopes=private:account,offline_access", "tokenkit.gmo-aozora.pkce=true",
					"tokenkit.gmo-aozora.par=true", "tokenkit.gmo-aozora.par-uri=" + base + "/aozora/par",
					"tokenkit.gmo-aozora.check-iss=true", "tokenkit.gmo-aozora.issuer=https://bank.example/")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				GmoAozoraClient client = context.getBean(GmoAozoraClient.class);
				BlockingGmoAozoraClient blocking = context.getBean(BlockingGmoAozoraClient.class);
				this.results.add(client);
				this.results.add(blocking);
				for (String code : List.of("sweep-good-code-1", AOZORA_CODE)) {
					URI uri = client.prepareAuthorization(SESSION_ID).block(Duration.ofSeconds(10));
					this.results.add(uri);
					Map<String, String> callback = Map.of("code", code, "state", states.get(states.size() - 1), "iss",
							"https://bank.example/");
					call(() -> client
						.completeAuthorization(SESSION_ID,
								Map.of("code", code, "state", callback.get("state"), "iss", "https://other.example/"))
						.block(Duration.ofSeconds(10)));
					call(() -> blocking.completeAuthorization(SESSION_ID, callback));
					call(() -> blocking.completeAuthorization(SESSION_ID, callback));
				}
				call(() -> blocking.authorizationUri(SESSION_ID, List.of("refuse")));
			});
		assertThat(secrets).as("code verifiers sent").hasSize(2).doesNotContainNull();
		assertThat(this.failures).as("two foreign issuers, two replays, one refused code, one refused push").hasSize(6);
		List<String> texts = new ArrayList<>();
		texts.add(output.getAll());
		for (Throwable failure : this.failures) {
			StringWriter trace = new StringWriter();
			failure.printStackTrace(new PrintWriter(trace));
			texts.add(trace.toString());
		}
		this.results.forEach((result) -> texts.add(String.valueOf(result)));
		this.meters.getMeters().forEach((meter) -> texts.add(meter.getId().toString()));
		this.observed.forEach((observed) -> texts.add(observed.getName() + " " + observed.getAllKeyValues()));
		assertThat(this.observed).isNotEmpty();
		for (String text : texts) {
			for (String secret : secrets) {
				if (text.contains(secret)) {
					this.leaks.add("leaks the code verifier " + secret + ": " + text);
				}
			}
			assertNoSecret("GMO Aozora PKCE, PAR and iss flows", text);
		}
		assertThat(this.leaks).isEmpty();
	}

	private static String[] keyed(String name, String tokenUri, String method, String... settings) {
		List<String> properties = new ArrayList<>(
				List.of("tokenkit.registrations." + name + ".grant-type=client_credentials",
						"tokenkit.registrations." + name + ".token-uri=" + tokenUri,
						"tokenkit.registrations." + name + ".client-id=" + name + "-app",
						"tokenkit.registrations." + name + ".client-authentication=" + method));
		for (String setting : settings) {
			properties.add("tokenkit.registrations." + name + "." + setting);
		}
		return properties.toArray(String[]::new);
	}

	private void clientCredentialsFlows(AssertableApplicationContext context) {
		WebClient orders = context.getBean("ordersWebClient", WebClient.class);
		// success
		this.server.enqueue(tokenResponse(ACCESS_TOKEN, null));
		this.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		call(() -> orders.get().uri("/items?key=" + QUERY_VALUE).retrieve().bodyToMono(String.class).block());
		// 401, one new token, one retry
		this.server.enqueue(new MockResponse.Builder().code(401).build());
		this.server.enqueue(tokenResponse(RETRY_ACCESS_TOKEN, null));
		this.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		call(() -> orders.get().uri("/items").retrieve().bodyToMono(String.class).block());
		// a token endpoint error that echoes the client secret
		this.server.enqueue(json(401, "{\"error\":\"invalid_client\",\"error_description\":\"client_secret "
				+ CLIENT_SECRET + " is wrong\"}"));
		call(() -> context.getBean("brokenWebClient", WebClient.class)
			.get()
			.uri("/items")
			.retrieve()
			.bodyToMono(String.class)
			.block());
		// an HTML error page, on every attempt (a 502 is retried twice)
		for (int attempt = 0; attempt < 3; attempt++) {
			this.server.enqueue(new MockResponse.Builder().code(502)
				.setHeader("Content-Type", "text/html")
				.body("<html><body>Bad gateway for " + CLIENT_SECRET + "</body></html>")
				.build());
		}
		call(() -> context.getBean("htmlWebClient", WebClient.class)
			.get()
			.uri("/items")
			.retrieve()
			.bodyToMono(String.class)
			.block());
		// connection refused
		call(() -> context.getBean("refusedWebClient", WebClient.class)
			.get()
			.uri("/items")
			.retrieve()
			.bodyToMono(String.class)
			.block());
	}

	private void discoveryFlows(AssertableApplicationContext context, String base) {
		// the token endpoint from the issuer's metadata, then a token call with the
		// secret
		this.server.enqueue(json(200, "{\"issuer\":\"" + base + "/realms/ok\",\"token_endpoint\":\"" + base
				+ "/token\",\"revocation_endpoint\":\"" + base + "/revoke#" + CLIENT_SECRET + "\"}"));
		this.server.enqueue(tokenResponse(ACCESS_TOKEN, null));
		this.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		call(() -> context.getBean("discoveredWebClient", WebClient.class)
			.get()
			.uri("/items")
			.retrieve()
			.bodyToMono(String.class)
			.block());
		// metadata naming another issuer, with the client secret in its user info and
		// query
		this.server.enqueue(json(200,
				"{\"issuer\":\"https://mismatched-app:" + CLIENT_SECRET + "@auth.example.com/realms/other?key="
						+ CLIENT_SECRET + "\",\"token_endpoint\":\"" + base + "/token\"}"));
		call(() -> context.getBean("mismatchedWebClient", WebClient.class)
			.get()
			.uri("/items")
			.retrieve()
			.bodyToMono(String.class)
			.block());
	}

	private void refreshTokenFlows(AssertableApplicationContext context) {
		TokenManager manager = context.getBean(TokenManager.class);
		WebClient users = context.getBean("usersWebClient", WebClient.class);
		TokenKey key = TokenKey.of("users", SUBJECT);
		AccessToken expired = AccessToken.withValue(USER_ACCESS_TOKEN)
			.refreshToken(USER_REFRESH_TOKEN)
			.issuedAt(Instant.now().minusSeconds(7200))
			.expiresAt(Instant.now().minusSeconds(3600))
			.build();
		call(() -> manager.save(key, expired).block());
		// the expired token is refreshed, then the API is called
		this.server.enqueue(tokenResponse(NEW_USER_ACCESS_TOKEN, NEW_USER_REFRESH_TOKEN));
		this.server.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		call(() -> users.get()
			.uri("/me")
			.attributes(BearerTokenExchangeFilterFunction.subject(SUBJECT))
			.retrieve()
			.bodyToMono(String.class)
			.block());
		call(() -> manager.getCachedToken(key));
		// a refresh the server refuses, echoing the refresh token
		TokenKey other = TokenKey.of("users", SUBJECT + "-2");
		call(() -> manager.save(other, expired).block());
		this.server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token "
				+ USER_REFRESH_TOKEN + " expired\"}"));
		call(() -> users.get()
			.uri("/me")
			.attributes(BearerTokenExchangeFilterFunction.subject(SUBJECT + "-2"))
			.retrieve()
			.bodyToMono(String.class)
			.block());
		// a refused 200 answer whose server rotated: the new refresh token is kept, then
		// used after the cool-down
		TokenKey rotated = TokenKey.of("users", SUBJECT + "-3");
		call(() -> manager.save(rotated, expired).block());
		this.server.enqueue(json(200, "{\"access_token\":\"" + REFUSED_ACCESS_TOKEN
				+ "\",\"expires_in\":0,\"refresh_token\":\"" + ROTATED_REFRESH_TOKEN + "\"}"));
		managerCall(() -> users.get()
			.uri("/me")
			.attributes(BearerTokenExchangeFilterFunction.subject(SUBJECT + "-3"))
			.retrieve()
			.bodyToMono(String.class)
			.block());
		// the cool-down that follows, whose cause is the refusal
		managerCall(() -> manager.getToken(rotated).block());
		call(() -> manager.getHeldToken(rotated).block());
		this.server.enqueue(tokenResponse(AFTER_ROTATION_ACCESS_TOKEN, null));
		this.results.add(await().atMost(Duration.ofSeconds(10))
			.pollInterval(Duration.ofMillis(100))
			.ignoreExceptionsInstanceOf(TokenCoolDownException.class)
			.until(() -> manager.getToken(rotated).block(Duration.ofSeconds(5)), Objects::nonNull));
		assertThat(manager.getHeldToken(rotated).block().getRefreshToken()).isEqualTo(ROTATED_REFRESH_TOKEN);
		// a refused 200 answer from a server that does not rotate: it echoes the refresh
		// token sent
		TokenKey echoed = TokenKey.of("users", SUBJECT + "-4");
		call(() -> manager.save(echoed, expired).block());
		this.server.enqueue(json(200, "{\"access_token\":\"" + REFUSED_ACCESS_TOKEN
				+ "\",\"expires_in\":0,\"refresh_token\":\"" + USER_REFRESH_TOKEN + "\"}"));
		managerCall(() -> manager.getToken(echoed).block());
		managerCall(() -> manager.getToken(echoed).block());
		call(() -> manager.remove(key).block());
		call(() -> manager.remove(other).block());
		call(() -> manager.remove(rotated).block());
		call(() -> manager.remove(echoed).block());
	}

	private void saasusFlows(SaasusClient client) {
		this.results.add(client);
		this.server.enqueue(json(201, "{\"code\":\"" + TEMP_CODE + "\"}"));
		call(() -> client.saveCredentials(new Credentials(SAASUS_ID_TOKEN, SAASUS_ACCESS_TOKEN, SAASUS_REFRESH_TOKEN))
			.block());
		this.server.enqueue(json(200, saasusCredentials()));
		call(() -> client.getCredentials(TEMP_CODE).block());
		this.server.enqueue(json(200, saasusCredentials()));
		call(() -> client.refreshCredentials(SAASUS_REFRESH_TOKEN).block());
		this.server.enqueue(json(401, "{\"type\":\"invalid_refresh_token\",\"message\":\"refresh token "
				+ SAASUS_REFRESH_TOKEN + " is invalid\"}"));
		call(() -> client.refreshCredentials(SAASUS_REFRESH_TOKEN).block());
		// a refused 200 answer that carries a rotated refresh token
		this.server.enqueue(json(200, "{\"refresh_token\":\"" + ROTATED_REFRESH_TOKEN + "\"}"));
		refusedCall(() -> client.refreshCredentials(SAASUS_REFRESH_TOKEN).block());
	}

	private void gmoAozoraFlows(GmoAozoraClient client) {
		this.results.add(client);
		URI authorization = client.authorizationUri(SESSION_ID);
		this.results.add(authorization);
		String state = UriComponentsBuilder.fromUri(authorization).build().getQueryParams().getFirst("state");
		this.server.enqueue(tokenResponse(AOZORA_ACCESS_TOKEN, AOZORA_REFRESH_TOKEN));
		call(() -> client.completeAuthorization(SESSION_ID, Map.of("code", AOZORA_CODE, "state", state)).block());
		this.server.enqueue(tokenResponse(AOZORA_ACCESS_TOKEN, AOZORA_REFRESH_TOKEN));
		call(() -> client.refresh(AOZORA_REFRESH_TOKEN).block());
		// a refused 200 answer that carries a rotated refresh token
		this.server.enqueue(json(200, "{\"access_token\":\"" + REFUSED_ACCESS_TOKEN
				+ "\",\"expires_in\":0,\"refresh_token\":\"" + ROTATED_REFRESH_TOKEN + "\"}"));
		refusedCall(() -> client.refresh(AOZORA_REFRESH_TOKEN).block());
		call(() -> client.completeAuthorization(SESSION_ID, Map.of("code", AOZORA_CODE, "state", "forged")).block());
		this.server.enqueue(
				json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"code " + AOZORA_CODE + " was used\"}"));
		call(() -> client.completeAuthorization(SESSION_ID, Map.of("code", AOZORA_CODE, "state", state)).block());
	}

	private void authleteFlows(AuthleteClient client) {
		this.results.add(client);
		TokenCreateRequest request = TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE)
			.clientId(42)
			.subject(SUBJECT)
			.accessToken(AUTHLETE_ACCESS_TOKEN)
			.sessionId(SESSION_ID)
			.properties(List.of(Property.hidden("internal", CLIENT_SECRET)))
			.build();
		this.results.add(request);
		this.server.enqueue(json(200, "{\"resultCode\":\"A109001\",\"action\":\"OK\",\"accessToken\":\""
				+ AUTHLETE_ACCESS_TOKEN + "\",\"subject\":\"" + SUBJECT + "\",\"sessionId\":\"" + SESSION_ID
				+ "\",\"properties\":[{\"key\":\"internal\",\"value\":\"" + CLIENT_SECRET + "\",\"hidden\":true}]}"));
		call(() -> client.createAccessToken(request).block());
		this.server.enqueue(json(200, "{\"resultCode\":\"A085001\",\"subject\":\"" + SUBJECT
				+ "\",\"accessTokens\":[{\"accessTokenHash\":\"h\",\"subject\":\"" + SUBJECT + "\"}]}"));
		call(() -> client.listAccessTokens(TokenListRequest.builder().subject(SUBJECT).build()).block());
		this.server.enqueue(new MockResponse.Builder().code(204).build());
		call(() -> client.deleteAccessToken(AUTHLETE_ACCESS_TOKEN).block());
		this.server.enqueue(json(400, "{\"resultCode\":\"A001201\",\"resultMessage\":\"[A001201] token "
				+ AUTHLETE_ACCESS_TOKEN + " is unknown\",\"action\":\"BAD_REQUEST\"}"));
		call(() -> client.deleteAccessToken(AUTHLETE_ACCESS_TOKEN).block());
	}

	private void failureAnalysisFlow() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=http://10.0.0.1/token?key=" + QUERY_VALUE,
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=" + CLIENT_SECRET)
			.run((context) -> {
				assertThat(context).hasFailed();
				this.failures.add(context.getStartupFailure());
				FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertNoSecret("failure analysis", analysis.getDescription() + " " + analysis.getAction());
			});
	}

	private void managerCall(Supplier<Object> flow) {
		int before = this.failures.size();
		call(flow);
		assertThat(this.failures).as("the flow failed").hasSize(before + 1);
		this.managerFailures.add(this.failures.get(before));
		this.serialized.add(this.failures.get(before));
	}

	private void refusedCall(Supplier<Object> flow) {
		int before = this.failures.size();
		call(flow);
		assertThat(this.failures).as("the flow failed").hasSize(before + 1);
		assertThat(TokenApiException.rotatedRefreshTokenOf(this.failures.get(before)))
			.as("a typed client's refusal carries the refresh token")
			.isEqualTo(ROTATED_REFRESH_TOKEN);
		this.serialized.add(this.failures.get(before));
	}

	private void call(Supplier<Object> flow) {
		try {
			Object result = flow.get();
			if (result != null) {
				this.results.add(result);
			}
		}
		catch (RuntimeException ex) {
			this.failures.add(ex);
		}
	}

	private void assertNoSecret(String where, String text) {
		for (String secret : SECRETS) {
			if (text.contains(secret)) {
				this.leaks.add(where + " leaks " + secret + ": " + text);
			}
		}
	}

	private static String[] discovered(String name, String issuerUri, String base) {
		return new String[] { "tokenkit.registrations." + name + ".grant-type=client_credentials",
				"tokenkit.registrations." + name + ".issuer-uri=" + issuerUri,
				"tokenkit.registrations." + name + ".client-id=" + name + "-app",
				"tokenkit.registrations." + name + ".client-secret=" + CLIENT_SECRET,
				"tokenkit.clients." + name + ".base-url=" + base,
				"tokenkit.clients." + name + ".registration=" + name };
	}

	private static String[] clientCredentials(String name, String tokenUri, String base) {
		return new String[] { "tokenkit.registrations." + name + ".grant-type=client_credentials",
				"tokenkit.registrations." + name + ".token-uri=" + tokenUri,
				"tokenkit.registrations." + name + ".client-id=" + name + "-app",
				"tokenkit.registrations." + name + ".client-secret=" + CLIENT_SECRET,
				"tokenkit.registrations." + name + ".client-authentication=post",
				"tokenkit.clients." + name + ".base-url=" + base + "/api",
				"tokenkit.clients." + name + ".registration=" + name };
	}

	private static String saasusCredentials() {
		return "{\"id_token\":\"" + SAASUS_ID_TOKEN + "\",\"access_token\":\"" + SAASUS_ACCESS_TOKEN
				+ "\",\"refresh_token\":\"" + SAASUS_REFRESH_TOKEN + "\"}";
	}

	private static MockResponse tokenResponse(String accessToken, String refreshToken) {
		return json(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":3600"
				+ ((refreshToken != null) ? ",\"refresh_token\":\"" + refreshToken + "\"" : "") + "}");
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).setHeader("Content-Type", "application/json").body(body).build();
	}

}
