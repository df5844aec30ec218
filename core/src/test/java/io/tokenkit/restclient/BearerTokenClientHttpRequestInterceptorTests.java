package io.tokenkit.restclient;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.FailingReadsTokenStore;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.NonBlockingThreadException;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenCoolDownException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKitException;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokenClientHttpRequestInterceptorTests {

	private static final byte[] BODY = "{\"order\":1}".getBytes(StandardCharsets.UTF_8);

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", this.source),
					TokenRegistration.of("static", new StaticTokenSource("fixed-token")),
					new TokenRegistration("custom", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, null,
							TokenAuthorizer.header("x-access-token", "{token}"))),
			new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));

	private final AtomicInteger replays = new AtomicInteger();

	private final TokenEventListener replayCounter = new TokenEventListener() {
		@Override
		public void retried(String registrationId) {
			BearerTokenClientHttpRequestInterceptorTests.this.replays.incrementAndGet();
		}
	};

	private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();

	private BearerTokenClientHttpRequestInterceptor interceptor(String registration) {
		return new BearerTokenClientHttpRequestInterceptor(this.manager, registration, this.replayCounter);
	}

	private static HttpRequest request() {
		return new MockClientHttpRequest(HttpMethod.POST, URI.create("https://api.example.com/orders"));
	}

	private ClientHttpRequestExecution answering(Function<HttpRequest, HttpStatus> status) {
		return (request, body) -> {
			this.sent.add(new Sent(asSent(request), body));
			return new MockClientHttpResponse(new byte[0], status.apply(request));
		};
	}

	@Test
	void interceptWhenTheReplayReportFailsThenTheReplayedResponseIsClosedAndTheFailureGoesToTheCaller()
			throws IOException {
		FailingReadsTokenStore store = new FailingReadsTokenStore();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		BearerTokenClientHttpRequestInterceptor interceptor = new BearerTokenClientHttpRequestInterceptor(manager,
				"orders");
		List<Boolean> closed = new ArrayList<>();
		ClientHttpRequestExecution execution = (request, body) -> {
			boolean replay = "Bearer token-2".equals(request.getHeaders().getFirst("Authorization"));
			if (replay) {
				// a custom store fails under the report of the replay
				store.failReads(new IllegalStateException("store down"));
			}
			return new MockClientHttpResponse(new byte[0], HttpStatus.UNAUTHORIZED) {
				@Override
				public void close() {
					closed.add(replay);
					super.close();
				}
			};
		};
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> interceptor.intercept(request(), BODY, execution))
			.withMessage("store down");
		assertThat(closed).as("the first 401 and the replayed response closed").containsExactly(false, true);
	}

	@Test
	void interceptWhenNoTokenYetThenAcquiresOneAndSetsAuthorizationHeader() throws IOException {
		ClientHttpResponse response = interceptor("orders").intercept(request(), BODY, answering((r) -> HttpStatus.OK));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).singleElement()
			.satisfies((s) -> assertThat(s.request.getHeaders().getFirst("Authorization")).isEqualTo("Bearer token-1"));
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void interceptWhenHeaderConfiguredThenUsesNameAndFormat() throws IOException {
		BearerTokenClientHttpRequestInterceptor interceptor = new BearerTokenClientHttpRequestInterceptor(this.manager,
				"custom");
		interceptor.intercept(request(), BODY, answering((r) -> HttpStatus.OK));
		HttpRequest sent = this.sent.peek().request;
		assertThat(sent.getHeaders().getFirst("x-access-token")).isEqualTo("token-1");
		assertThat(sent.getHeaders().containsHeader("Authorization")).isFalse();
	}

	@Test
	void interceptWhenRegistrationHasItsOwnAuthorizerThenItSetsTheHeadersFromMethodAndUri() throws IOException {
		TokenAuthorizer proof = (token, method, uri, headers) -> {
			headers.set("Authorization", "DPoP " + token.getTokenValue());
			headers.set("DPoP", method + " " + uri);
		};
		TokenManager manager = new TokenManager(List
			.of(new TokenRegistration("orders", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, null, proof)),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		new BearerTokenClientHttpRequestInterceptor(manager, "orders").intercept(request(), BODY,
				answering((r) -> HttpStatus.OK));
		HttpHeaders sent = this.sent.peek().request.getHeaders();
		assertThat(sent.getFirst("Authorization")).isEqualTo("DPoP token-1");
		assertThat(sent.getFirst("DPoP")).isEqualTo("POST https://api.example.com/orders");
	}

	@Test
	void interceptWhenSubjectAttributeThenSendsThatUsersToken() throws IOException {
		this.manager.save(TokenKey.of("orders", "alice"), AccessToken.withValue("alice-token").build()).block();
		HttpRequest request = request();
		TokenRequestAttributes.subject("alice").accept(request.getAttributes());
		interceptor("orders").intercept(request, BODY, answering((r) -> HttpStatus.OK));
		assertThat(this.sent.peek().request.getHeaders().getFirst("Authorization")).isEqualTo("Bearer alice-token");
		assertThat(this.source.calls()).isZero();
	}

	@Test
	void interceptWhenHeadersAreAFreshViewOnEachCallThenTheAuthorizerIsCalledOncePerSendAndOnceMoreForTheReplay()
			throws IOException {
		AtomicInteger authorizations = new AtomicInteger();
		TokenAuthorizer counting = (token, method, uri, headers) -> headers.set("Authorization",
				"Proof " + token.getTokenValue() + "#" + authorizations.incrementAndGet());
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("orders", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, null,
						counting)),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		BearerTokenClientHttpRequestInterceptor interceptor = new BearerTokenClientHttpRequestInterceptor(manager,
				"orders");
		ClientHttpRequestExecution execution = answering(
				(r) -> (this.sent.size() % 2 == 1) ? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		// plain request: the headers are set on it
		interceptor.intercept(request(), BODY, execution);
		assertThat(authorizations.get()).isEqualTo(2);
		// a wrapper of another interceptor whose headers are a new live view on each call
		HttpRequest request = request();
		HttpRequest wrapper = new HttpRequestWrapper(request) {
			@Override
			public HttpHeaders getHeaders() {
				return new HttpHeaders(request.getHeaders());
			}
		};
		interceptor.intercept(wrapper, BODY, execution);
		assertThat(authorizations.get()).isEqualTo(4);
		assertThat(this.sent).extracting((s) -> s.request.getHeaders().getFirst("Authorization"))
			.containsExactly("Proof token-1#1", "Proof token-2#2", "Proof token-2#3", "Proof token-3#4");
	}

	@Test
	void interceptWhen401ThenReacquiresOnceAndReplaysTheSameBody() throws IOException {
		ClientHttpResponse response = interceptor("orders").intercept(request(), BODY,
				answering((r) -> "Bearer token-1".equals(r.getHeaders().getFirst("Authorization"))
						? HttpStatus.UNAUTHORIZED : HttpStatus.OK));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).extracting((s) -> s.request.getHeaders().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2");
		assertThat(this.sent).allSatisfy((s) -> assertThat(s.body).isEqualTo(BODY));
		assertThat(this.source.calls()).isEqualTo(2);
		assertThat(this.replays.get()).isEqualTo(1);
	}

	@Test
	void interceptWhenSecond401ThenReturnsItToCaller() throws IOException {
		ClientHttpResponse response = interceptor("orders").intercept(request(), BODY,
				answering((r) -> HttpStatus.UNAUTHORIZED));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.sent).hasSize(2);
		assertThat(this.source.calls()).isEqualTo(2);
	}

	@Test
	void interceptWhenTheApiRejectsEveryTokenThenTwoTokenCallsAndOneApiCallPerRequestAfterTheFirst()
			throws IOException {
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		for (int i = 0; i < 50; i++) {
			ClientHttpResponse response = interceptor.intercept(request(), BODY,
					answering((r) -> HttpStatus.UNAUTHORIZED));
			assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		}
		assertThat(this.source.calls()).isEqualTo(2);
		assertThat(this.sent).hasSize(51);
		assertThat(this.replays.get()).isEqualTo(1);
	}

	@Test
	void interceptWhenAReplacementThatWorkedIsRejectedLaterThenOneMoreTokenCallAndTheReplayWithTheNextTokenWorks()
			throws IOException {
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		ClientHttpRequestExecution api = answering((r) -> revoked.contains(r.getHeaders().getFirst("Authorization"))
				? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		// token-1 is rejected, token-2 replaces it and its replay works
		revoked.add("Bearer token-1");
		assertThat(interceptor.intercept(request(), BODY, api).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).isEqualTo(2);
		// ten seconds later, well within cool-down-max, the API's keys rotate: token-2 is
		// rejected too
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-2");
		ClientHttpResponse response = interceptor.intercept(request(), BODY, api);
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).as("token calls").isEqualTo(3);
		assertThat(this.sent).extracting((s) -> s.request.getHeaders().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-2", "Bearer token-3");
		assertThat(this.replays.get()).isEqualTo(2);
	}

	@Test
	void interceptWhenTheReplayGotNoAnswerThenTheReplacementIsAnOrdinaryTokenLater() throws IOException {
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		revoked.add("Bearer token-1");
		AtomicInteger executions = new AtomicInteger();
		ClientHttpRequestExecution api = (request, body) -> {
			this.sent.add(new Sent(asSent(request), body));
			if (executions.incrementAndGet() == 2) {
				// the replay with token-2: the connection drops
				throw new IOException("Connection reset");
			}
			return new MockClientHttpResponse(new byte[0],
					revoked.contains(request.getHeaders().getFirst("Authorization")) ? HttpStatus.UNAUTHORIZED
							: HttpStatus.OK);
		};
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> interceptor.intercept(request(), BODY, api))
			.withMessage("Connection reset");
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-2");
		assertThat(interceptor.intercept(request(), BODY, api).getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).isEqualTo(3);
		assertThat(this.sent).extracting((s) -> s.request.getHeaders().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-2", "Bearer token-3");
	}

	@Test
	void interceptWhen401AndStaticTokenThenReturnsItWithoutReplay() throws IOException {
		ClientHttpResponse response = interceptor("static").intercept(request(), BODY,
				answering((r) -> HttpStatus.UNAUTHORIZED));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.sent).singleElement()
			.satisfies((s) -> assertThat(s.request.getHeaders().getFirst("Authorization"))
				.isEqualTo("Bearer fixed-token"));
		assertThat(this.replays.get()).isZero();
	}

	@Test
	void interceptWhenAcquisitionFailsThenTypedExceptionAndNoRequest() {
		this.source.failNext(new IllegalStateException("token endpoint down"));
		assertThatExceptionOfType(TokenKitException.class)
			.isThrownBy(() -> interceptor("orders").intercept(request(), BODY, answering((r) -> HttpStatus.OK)));
		assertThatExceptionOfType(TokenCoolDownException.class)
			.isThrownBy(() -> interceptor("orders").intercept(request(), BODY, answering((r) -> HttpStatus.OK)));
		assertThat(this.sent).isEmpty();
	}

	@Test
	void interceptWhenOnReactorNonBlockingThreadWithoutCachedTokenThenFailsFastWithoutTokenCall() {
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		Mono<ClientHttpResponse> call = Mono
			.fromCallable(() -> interceptor.intercept(request(), BODY, answering((r) -> HttpStatus.OK)))
			.subscribeOn(Schedulers.parallel());
		long start = System.nanoTime();
		assertThatExceptionOfType(NonBlockingThreadException.class).isThrownBy(() -> call.block(Duration.ofSeconds(5)))
			.withMessageContaining("WebClient")
			.withMessageContaining("'orders'");
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
		assertThat(this.source.calls()).isZero();
		assertThat(this.sent).isEmpty();
	}

	@Test
	void interceptWhenOnReactorNonBlockingThreadWithCachedTokenThenSendsIt() throws IOException {
		this.manager.getToken(TokenKey.of("orders")).block();
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		ClientHttpResponse response = Mono
			.fromCallable(() -> interceptor.intercept(request(), BODY, answering((r) -> HttpStatus.OK)))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(5));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).singleElement()
			.satisfies((s) -> assertThat(s.request.getHeaders().getFirst("Authorization")).isEqualTo("Bearer token-1"));
	}

	@Test
	void constructWhenUnknownRegistrationOrBadFormatThenRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new BearerTokenClientHttpRequestInterceptor(this.manager, "nope"))
			.withMessageContaining("nope");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> TokenAuthorizer.header("Authorization", "Bearer"))
			.withMessageContaining("{token}");
	}

	@Test
	void toStringShowsNoToken() throws IOException {
		BearerTokenClientHttpRequestInterceptor interceptor = interceptor("orders");
		interceptor.intercept(request(), BODY, answering((r) -> HttpStatus.OK));
		assertThat(interceptor.toString()).contains("orders").doesNotContain("token-1");
	}

	@Test
	void restClientWhen401OverTheWireThenReplaysOnceWithSameBodyAndNewToken() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(401)
				.addHeader("WWW-Authenticate", "Bearer error=\"insufficient_scope\"")
				.build());
			server.enqueue(new MockResponse.Builder().body("created").build());
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(interceptor("orders"))
				.build();
			String answer = client.post().uri("/orders").body("{\"order\":1}").retrieve().body(String.class);
			assertThat(answer).isEqualTo("created");
			RecordedRequest first = server.takeRequest();
			RecordedRequest replay = server.takeRequest();
			assertThat(first.getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
			assertThat(replay.getHeaders().get("Authorization")).isEqualTo("Bearer token-2");
			assertThat(replay.getBody().utf8()).isEqualTo(first.getBody().utf8()).isEqualTo("{\"order\":1}");
			assertThat(server.getRequestCount()).isEqualTo(2);
		}
	}

	@Test
	void restClientWhenSecond401OverTheWireThenCallerGetsIt() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(401).build());
			server.enqueue(new MockResponse.Builder().code(401).build());
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(interceptor("orders"))
				.build();
			int status = client.get().uri("/orders").exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).isEqualTo(401);
			assertThat(server.getRequestCount()).isEqualTo(2);
			assertThat(this.source.calls()).isEqualTo(2);
		}
	}

	@Test
	void restClientWhenSubjectAndCustomHeaderOverTheWireThenSendsThatUsersToken() throws Exception {
		this.manager.save(TokenKey.of("custom", "alice"), AccessToken.withValue("alice-token").build()).block();
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().body("ok").build());
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(new BearerTokenClientHttpRequestInterceptor(this.manager, "custom"))
				.build();
			client.get().uri("/me").attributes(TokenRequestAttributes.subject("alice")).retrieve().toBodilessEntity();
			RecordedRequest request = server.takeRequest();
			assertThat(request.getHeaders().get("x-access-token")).isEqualTo("alice-token");
			assertThat(request.getHeaders().get("Authorization")).isNull();
		}
	}

	@Test
	void restClientWhenStaticTokenRejectedOverTheWireThenOneRequest() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(401).build());
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(interceptor("static"))
				.build();
			int status = client.get().uri("/orders").exchange((request, response) -> response.getStatusCode().value());
			assertThat(status).isEqualTo(401);
			assertThat(server.getRequestCount()).isEqualTo(1);
		}
	}

	@Test
	void restClientWhenAcquisitionFailsThenCallerGetsTypedException() throws Exception {
		this.source.failNext(new IllegalStateException("token endpoint down"));
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(interceptor("orders"))
				.build();
			assertThatExceptionOfType(TokenKitException.class)
				.isThrownBy(() -> client.get().uri("/orders").retrieve().toBodilessEntity());
			assertThat(server.getRequestCount()).isZero();
		}
	}

	@Test
	void restClientWhenCalledOnReactorThreadWithoutTokenThenFailsFast() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor(interceptor("orders"))
				.build();
			Mono<String> call = Mono.fromCallable(() -> client.get().uri("/orders").retrieve().body(String.class))
				.subscribeOn(Schedulers.parallel());
			assertThatExceptionOfType(NonBlockingThreadException.class)
				.isThrownBy(() -> call.block(Duration.ofSeconds(5)));
			assertThat(server.getRequestCount()).isZero();
			assertThat(this.source.calls()).isZero();
		}
	}

	@Test
	void interceptWhenAnEarlierInterceptorMadeTheHeadersReadOnlyThenSendsTheTokenOnACopy() throws IOException {
		assertTokenSentAndReplayedBehind(HttpHeaders::readOnlyHttpHeaders);
	}

	@Test
	void interceptWhenAnEarlierInterceptorAnswersANewCopyOfTheHeadersEachTimeThenSendsTheTokenOnACopy()
			throws IOException {
		assertTokenSentAndReplayedBehind((headers) -> {
			HttpHeaders copy = new HttpHeaders();
			copy.putAll(headers);
			return copy;
		});
	}

	/**
	 * Intercept a request behind an earlier interceptor's wrapper whose headers are the
	 * given view of the caller's, with a server that rejects the first token: both tokens
	 * are sent in turn, each with the caller's other headers.
	 */
	private void assertTokenSentAndReplayedBehind(Function<HttpHeaders, HttpHeaders> headerView) throws IOException {
		HttpRequest request = request();
		request.getHeaders().set("X-Trace", "t-1");
		HttpRequest wrapped = new HttpRequestWrapper(request) {
			@Override
			public HttpHeaders getHeaders() {
				return headerView.apply(request.getHeaders());
			}
		};
		ClientHttpResponse response = interceptor("orders").intercept(wrapped, BODY,
				answering((r) -> "Bearer token-1".equals(r.getHeaders().getFirst("Authorization"))
						? HttpStatus.UNAUTHORIZED : HttpStatus.OK));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.sent).extracting((s) -> s.request.getHeaders().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2");
		assertThat(this.sent)
			.allSatisfy((s) -> assertThat(s.request.getHeaders().getFirst("X-Trace")).isEqualTo("t-1"));
	}

	@Test
	void restClientThenTheTokenIsOnTheRequestItselfForTheInterceptorsAroundIt() throws Exception {
		List<HttpRequest> before = new ArrayList<>();
		List<String> after = new ArrayList<>();
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().body("ok").build());
			server.start();
			RestClient client = RestClient.builder()
				.baseUrl(server.url("/api").toString())
				.requestInterceptor((request, body, execution) -> {
					before.add(request);
					return execution.execute(request, body);
				})
				.requestInterceptor(interceptor("orders"))
				.requestInterceptor((request, body, execution) -> {
					after.add(request.getHeaders().getFirst("Authorization"));
					return execution.execute(request, body);
				})
				.build();
			client.get().uri("/orders").retrieve().toBodilessEntity();
			assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer token-1");
		}
		assertThat(after).containsExactly("Bearer token-1");
		assertThat(before).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().getFirst("Authorization"))
				.isEqualTo("Bearer token-1"));
	}

	@Test
	void interceptWhenReplayedThenTheRequestCarriesOneTokenHeader() throws IOException {
		HttpRequest request = request();
		interceptor("orders").intercept(request, BODY,
				answering((r) -> "Bearer token-1".equals(r.getHeaders().getFirst("Authorization"))
						? HttpStatus.UNAUTHORIZED : HttpStatus.OK));
		assertThat(this.sent).allSatisfy((s) -> assertThat(s.request.getHeaders().get("Authorization")).hasSize(1));
	}

	/**
	 * The request as the execution sends it: its headers copied at that moment, as the
	 * framework's execution copies them into the request it sends.
	 */
	private static HttpRequest asSent(HttpRequest request) {
		HttpHeaders headers = new HttpHeaders();
		headers.putAll(request.getHeaders());
		return new HttpRequestWrapper(request) {
			@Override
			public HttpHeaders getHeaders() {
				return headers;
			}
		};
	}

	private record Sent(HttpRequest request, byte[] body) {

	}

}
