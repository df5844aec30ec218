package io.tokenkit.authlete;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.NonBlockingThreadException;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Wire tests of {@link BlockingAuthleteClient} on a loopback server: each call's value
 * and request, each kind of error reaching the caller as its own type, the time limit,
 * and the refusal to wait on a Reactor thread.
 */
class BlockingAuthleteClientTests {

	private static final String SERVICE_ID = "715948317";

	private static final String SERVICE_TOKEN = "svc-token-Zx81";

	private final MockWebServer server = new MockWebServer();

	private BlockingAuthleteClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new BlockingAuthleteClient(reactiveClient(this.server.url("/").uri()));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void reissueIdTokenWhenServerAnswers200ThenReturnsResponse() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A244001\",\"action\":\"OK\",\"idToken\":\"eyJ.new\"}");
		IdTokenReissueResponse response = this.client.reissueIdToken(IdTokenReissueRequest.of("at-1", "rt-1"));
		assertThat(response).isEqualTo(new IdTokenReissueResponse("A244001", null, AuthleteAction.OK, null, "eyJ.new"));
		RecordedRequest request = take();
		assertPost(request, "/api/" + SERVICE_ID + "/idtoken/reissue");
		assertThat(request.getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"accessToken\":\"at-1\",\"refreshToken\":\"rt-1\"}");
	}

	@Test
	void listAccessTokensWhenNoRequestThenSendsNoQueryAndReturnsResponse() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A085001\",\"start\":0,\"end\":5,\"totalCount\":1,"
				+ "\"accessTokens\":[{\"accessTokenHash\":\"ath-1\"}]}");
		TokenListResponse response = this.client.listAccessTokens();
		assertThat(response.totalCount()).isEqualTo(1);
		assertThat(response.accessTokens()).singleElement()
			.satisfies((token) -> assertThat(token.accessTokenHash()).isEqualTo("ath-1"));
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/get/list");
	}

	@Test
	void listAccessTokensWhenRequestThenSendsItsQuery() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A085001\",\"subject\":\"alice\"}");
		TokenListResponse response = this.client.listAccessTokens(TokenListRequest.builder().subject("alice").build());
		assertThat(response.subject()).isEqualTo("alice");
		assertThat(take().getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/get/list?subject=alice");
	}

	@Test
	void createAccessTokenWhenServerAnswers200ThenReturnsResponse() throws Exception {
		enqueueJson(200,
				"{\"resultCode\":\"A109001\",\"action\":\"OK\",\"accessToken\":\"new-at\",\"expiresIn\":3600}");
		TokenCreateResponse response = this.client
			.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1234L).build());
		assertThat(response.action()).isEqualTo(AuthleteAction.OK);
		assertThat(response.accessToken()).isEqualTo("new-at");
		assertThat(response.expiresInSeconds()).isEqualTo(3600L);
		RecordedRequest request = take();
		assertPost(request, "/api/" + SERVICE_ID + "/auth/token/create");
		assertThat(request.getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"grantType\":\"CLIENT_CREDENTIALS\",\"clientId\":1234}");
	}

	@Test
	void createAccessTokenWhenServerAnswers200WithForbiddenActionThenReturnsItAsAValue() {
		enqueueJson(200, "{\"resultCode\":\"A109305\",\"action\":\"FORBIDDEN\"}");
		TokenCreateResponse response = this.client
			.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1L).build());
		assertThat(response.action()).isEqualTo(AuthleteAction.FORBIDDEN);
		assertThat(response.accessToken()).isNull();
	}

	@Test
	void updateAccessTokenWhenServerAnswers200ThenReturnsResponse() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A135001\",\"action\":\"OK\",\"tokenId\":\"tid\"}");
		TokenUpdateResponse response = this.client
			.updateAccessToken(TokenUpdateRequest.forAccessTokenHash("ath-1").build());
		assertThat(response.resultCode()).isEqualTo("A135001");
		assertThat(response.tokenId()).isEqualTo("tid");
		RecordedRequest request = take();
		assertPost(request, "/api/" + SERVICE_ID + "/auth/token/update");
		assertThat(request.getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"accessTokenHash\":\"ath-1\"}");
	}

	@Test
	void deleteAccessTokenWhenServerAnswers204ThenReturns() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(204).build());
		this.client.deleteAccessToken("a/b");
		RecordedRequest request = take();
		assertThat(request.getMethod()).isEqualTo("DELETE");
		assertThat(request.getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/delete/a%2Fb");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SERVICE_TOKEN);
	}

	@Test
	void revokeTokensWhenServerAnswers200ThenReturnsCount() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A312001\",\"resultMessage\":\"Revoked 3 access token(s).\",\"count\":3}");
		TokenRevokeResponse response = this.client.revokeTokens(TokenRevokeRequest.subject("alice", "my-client"));
		assertThat(response).isEqualTo(new TokenRevokeResponse("A312001", "Revoked 3 access token(s).", null, 3));
		RecordedRequest request = take();
		assertPost(request, "/api/" + SERVICE_ID + "/auth/token/revoke");
		assertThat(request.getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"clientIdentifier\":\"my-client\",\"subject\":\"alice\"}");
	}

	@Test
	void revokeTokensWhenServerAnswersErrorThenAuthleteApiExceptionAsItIs() {
		enqueueJson(404, "{\"resultCode\":\"A312301\",\"resultMessage\":\"Not found\",\"action\":\"NOT_FOUND\"}");
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.revokeTokens(TokenRevokeRequest.accessToken("at-secret")))
			.satisfies((ex) -> {
				assertThat(ex).isExactlyInstanceOf(AuthleteApiException.class);
				assertThat(ex.getStatusCode()).isEqualTo(404);
				assertThat(ex.getOperation()).isEqualTo("revoke");
				assertThat(ex.getResultCode()).isEqualTo("A312301");
				assertThat(ex.getResultMessage()).isEqualTo("Not found");
				assertThat(ex.getAction()).isEqualTo(AuthleteAction.NOT_FOUND);
				assertThat(ex.getMessage()).doesNotContain("at-secret", SERVICE_TOKEN);
			});
	}

	@Test
	void deleteAccessTokenWhenServerAnswersErrorThenAuthleteApiExceptionAsItIs() {
		enqueueJson(403, "{\"resultCode\":\"A001403\",\"resultMessage\":\"Forbidden\"}");
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.deleteAccessToken("at-secret"))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(403);
				assertThat(ex.getOperation()).isEqualTo("delete");
				assertThat(ex.getResultCode()).isEqualTo("A001403");
			});
	}

	@Test
	void listAccessTokensWhenServerUnreachableThenAuthleteApiExceptionWithoutAnswer() throws Exception {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI url = closed.url("/").uri();
		closed.close();
		BlockingAuthleteClient unreachable = new BlockingAuthleteClient(reactiveClient(url));
		assertThatExceptionOfType(AuthleteApiException.class).isThrownBy(unreachable::listAccessTokens)
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("list");
				assertThat(ex.getMessage()).contains("got no answer").doesNotContain(SERVICE_TOKEN);
			});
	}

	@Test
	void deleteAccessTokenWhenIdentifierEmptyThenIllegalArgumentAndNoRequest() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.deleteAccessToken(""))
			.withMessage("accessTokenIdentifier must not be empty");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void createAccessTokenWhenNoAnswerWithinTimeLimitThenAuthleteApiExceptionWithoutAnswer() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "application/json")
			.body("{\"resultCode\":\"A109001\",\"action\":\"OK\"}")
			.headersDelay(5, TimeUnit.SECONDS)
			.build());
		BlockingAuthleteClient impatient = new BlockingAuthleteClient(reactiveClient(this.server.url("/").uri()),
				Duration.ofMillis(300));
		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> impatient
				.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1L).build()))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getOperation()).isEqualTo("create");
				assertThat(ex.getMessage()).contains("got no answer: no answer within PT0.3S");
				assertThat(ex).hasCauseInstanceOf(TimeoutException.class);
			});
	}

	@Test
	void revokeTokensWhenCalledOnReactorThreadThenFailsFastWithoutRequest() {
		Mono<TokenRevokeResponse> call = Mono
			.fromCallable(() -> this.client.revokeTokens(TokenRevokeRequest.client("1")))
			.subscribeOn(Schedulers.parallel());
		assertThatExceptionOfType(NonBlockingThreadException.class).isThrownBy(() -> call.block(Duration.ofSeconds(10)))
			.withMessageContaining("BlockingAuthleteClient.revokeTokens")
			.withMessageContaining("AuthleteClient.revokeTokens, which returns a Mono");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void gettersAndToStringThenNoAccessToken() {
		assertThat(this.client.getServiceId()).isEqualTo(SERVICE_ID);
		assertThat(this.client.getBaseUrl().toString()).isEqualTo(this.server.url("/").toString().replaceAll("/$", ""));
		assertThat(this.client.getTimeout()).isEqualTo(Duration.ofMillis(47_600));
		assertThat(this.client.toString()).contains(SERVICE_ID).doesNotContain(SERVICE_TOKEN);
	}

	private static AuthleteClient reactiveClient(URI baseUrl) {
		return new AuthleteClient(WebClient.builder(), baseUrl, SERVICE_ID, SERVICE_TOKEN);
	}

	private void enqueueJson(int status, String body) {
		this.server.enqueue(new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.body(body)
			.build());
	}

	private RecordedRequest take() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request;
	}

	private static void assertPost(RecordedRequest request, String path) {
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getTarget()).isEqualTo(path);
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + SERVICE_TOKEN);
		assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/json");
	}

}
