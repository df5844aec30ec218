package io.tokenkit.saasus;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.saasus.SaasusClientTests.assertSigned;
import static io.tokenkit.saasus.SaasusClientTests.json;
import static io.tokenkit.saasus.SaasusClientTests.signer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Wire tests of {@link BlockingSaasusClient} on a loopback server: each call's value and
 * request, each kind of error reaching the caller as its own type, the time limit, the
 * interrupt flag, and the refusal to wait on a Reactor thread.
 */
class BlockingSaasusClientTests {

	private static final String CODE = "7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b";

	private static final String REFRESH_TOKEN = "rt-secret+/=&value";

	private final MockWebServer server = new MockWebServer();

	private BlockingSaasusClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new BlockingSaasusClient(reactiveClient(this.server.url("/v1/auth").uri()));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void saveCredentialsWhenServerAnswers201ThenReturnsTempCode() throws Exception {
		this.server.enqueue(json(201, "{\"code\":\"" + CODE + "\"}"));
		AuthorizationTempCode code = this.client.saveCredentials(new Credentials("eyJ.id", "eyJ.at", "rt-1"));
		assertThat(code).isEqualTo(new AuthorizationTempCode(CODE));
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/credentials");
		assertThat(request.getBody().utf8())
			.isEqualTo("{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\",\"refresh_token\":\"rt-1\"}");
		assertSigned(request);
	}

	@Test
	void saveCredentialsWhenHeadersGivenThenSendsThem() throws Exception {
		this.server.enqueue(json(201, "{\"code\":\"" + CODE + "\"}"));
		AuthorizationTempCode code = this.client.saveCredentials(new Credentials("eyJ.id", "eyJ.at", null),
				new SaasusRequestHeaders("trace-1", null, null));
		assertThat(code.code()).isEqualTo(CODE);
		assertThat(take().getHeaders().get(SaasusRequestHeaders.TRACE_ID_HEADER)).isEqualTo("trace-1");
	}

	@Test
	void getCredentialsWhenServerAnswers200ThenReturnsCredentials() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\",\"refresh_token\":\"rt-1\"}"));
		assertThat(this.client.getCredentials(CODE)).isEqualTo(new Credentials("id-1", "at-1", "rt-1"));
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/v1/auth/credentials?code=" + CODE + "&auth-flow=tempCodeAuth");
		assertSigned(request);
	}

	@Test
	void getCredentialsWhenHeadersGivenThenSendsThem() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\"}"));
		assertThat(this.client.getCredentials(CODE,
				new SaasusRequestHeaders(null, "https://app.example.com/p", "https://x.example.com")))
			.isEqualTo(new Credentials("id-1", "at-1", null));
		RecordedRequest request = take();
		assertThat(request.getHeaders().get("Referer")).isEqualTo("https://app.example.com/p");
		assertThat(request.getHeaders().get("X-SaaSus-Referer")).isEqualTo("https://x.example.com");
	}

	@Test
	void refreshCredentialsWhenServerAnswers200ThenReturnsCredentials() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\"}"));
		assertThat(this.client.refreshCredentials(REFRESH_TOKEN)).isEqualTo(new Credentials("id-2", "at-2", "rt-2"));
		RecordedRequest request = take();
		assertThat(request.getUrl().queryParameter("auth-flow")).isEqualTo("refreshTokenAuth");
		assertThat(request.getUrl().queryParameter("refresh-token")).isEqualTo(REFRESH_TOKEN);
		assertSigned(request);
	}

	@Test
	void refreshCredentialsWhenRegistrationAndHeadersGivenThenSendsThem() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-2\",\"access_token\":\"at-2\"}"));
		assertThat(
				this.client.refreshCredentials(REFRESH_TOKEN, "users", new SaasusRequestHeaders("trace-2", null, null)))
			.isEqualTo(new Credentials("id-2", "at-2", null));
		assertThat(take().getHeaders().get(SaasusRequestHeaders.TRACE_ID_HEADER)).isEqualTo("trace-2");
	}

	@Test
	void getCredentialsWhenServerAnswersErrorThenSaasusApiExceptionAsItIs() {
		this.server.enqueue(new MockResponse.Builder().code(404)
			.setHeader("Content-Type", "application/json")
			.setHeader("X-SaaSus-Trace-Id", "trace-9")
			.body("{\"type\":\"not_found\",\"message\":\"gone\",\"data\":{\"reason\":\"x\"}}")
			.build());
		assertThatExceptionOfType(SaasusApiException.class).isThrownBy(() -> this.client.getCredentials(CODE))
			.satisfies((ex) -> {
				assertThat(ex).isExactlyInstanceOf(SaasusApiException.class);
				assertThat(ex.getStatusCode()).isEqualTo(404);
				assertThat(ex.getOperation()).isEqualTo("get-credentials");
				assertThat(ex.getType()).isEqualTo("not_found");
				assertThat(ex.getErrorMessage()).isEqualTo("gone");
				assertThat(ex.getData()).isEqualTo(Map.of("reason", "x"));
				assertThat(ex.getTraceId()).isEqualTo("trace-9");
				assertThat(ex.getMessage()).doesNotContain(CODE);
			});
	}

	@Test
	void refreshCredentialsWhenServerUnreachableThenSaasusApiExceptionWithoutAnswer() throws Exception {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI url = closed.url("/v1/auth").uri();
		closed.close();
		BlockingSaasusClient unreachable = new BlockingSaasusClient(reactiveClient(url));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> unreachable.refreshCredentials(REFRESH_TOKEN))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("refresh");
				assertThat(ex.getMessage()).startsWith("SaaSus refresh request failed without an answer")
					.doesNotContain("rt-secret");
			});
	}

	@Test
	void getCredentialsWhenCodeEmptyThenIllegalArgumentAndNoRequest() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.getCredentials(""))
			.withMessage("code must not be empty");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void getCredentialsWhenNoAnswerWithinTimeLimitThenSaasusApiExceptionWithoutAnswer() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\"}").newBuilder()
			.headersDelay(5, TimeUnit.SECONDS)
			.build());
		BlockingSaasusClient impatient = new BlockingSaasusClient(reactiveClient(this.server.url("/v1/auth").uri()),
				Duration.ofMillis(300));
		assertThatExceptionOfType(SaasusApiException.class).isThrownBy(() -> impatient.getCredentials(CODE))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("get-credentials");
				assertThat(ex.getMessage()).isEqualTo("SaaSus get-credentials got no answer: no answer within PT0.3S, "
						+ "the time limit of BlockingSaasusClient; the call was cancelled");
				assertThat(ex).hasCauseInstanceOf(TimeoutException.class);
			});
	}

	@Test
	void getCredentialsWhenThreadInterruptedWhileWaitingThenSaasusApiExceptionAndFlagKept() throws Exception {
		this.server.enqueue(json(200, "{\"id_token\":\"id-1\",\"access_token\":\"at-1\"}").newBuilder()
			.headersDelay(5, TimeUnit.SECONDS)
			.build());
		AtomicReference<Throwable> thrown = new AtomicReference<>();
		AtomicBoolean interruptedAfter = new AtomicBoolean();
		Thread caller = new Thread(() -> {
			try {
				this.client.getCredentials(CODE);
			}
			catch (Throwable ex) {
				thrown.set(ex);
			}
			interruptedAfter.set(Thread.currentThread().isInterrupted());
		});
		caller.start();
		take();
		caller.interrupt();
		caller.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(caller.isAlive()).isFalse();
		assertThat(thrown.get()).isInstanceOfSatisfying(SaasusApiException.class, (ex) -> {
			assertThat(ex.getStatusCode()).isZero();
			assertThat(ex.getMessage()).contains("the waiting thread was interrupted");
			assertThat(ex).hasCauseInstanceOf(InterruptedException.class);
		});
		assertThat(interruptedAfter).isTrue();
	}

	@Test
	void getCredentialsWhenCalledOnReactorThreadThenFailsFastWithoutRequest() {
		Mono<Credentials> call = Mono.fromCallable(() -> this.client.getCredentials(CODE))
			.subscribeOn(Schedulers.parallel());
		assertThatExceptionOfType(NonBlockingThreadException.class).isThrownBy(() -> call.block(Duration.ofSeconds(10)))
			.withMessageContaining("BlockingSaasusClient.getCredentials")
			.withMessageContaining("SaasusClient.getCredentials, which returns a Mono");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void toStringThenBaseUrlAndTimeLimitOnly() {
		assertThat(this.client.toString())
			.isEqualTo("BlockingSaasusClient[baseUrl=" + this.server.url("/v1/auth").uri() + ", timeout=PT47.6S]");
		assertThat(this.client.getBaseUrl()).isEqualTo(this.server.url("/v1/auth").uri());
	}

	private static SaasusClient reactiveClient(URI baseUrl) {
		return new SaasusClient(WebClient.builder(), baseUrl, signer(), TokenRequestObserver.NOOP);
	}

	private RecordedRequest take() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request;
	}

}
