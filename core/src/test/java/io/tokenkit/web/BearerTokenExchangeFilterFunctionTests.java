package io.tokenkit.web;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.FailingReadsTokenStore;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.mock.http.client.reactive.MockClientHttpRequest;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.ExchangeStrategies;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokenExchangeFilterFunctionTests {

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", this.source),
					TokenRegistration.of("static", new StaticTokenSource("fixed-token")),
					new TokenRegistration("custom", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, null,
							TokenAuthorizer.header("x-access-token", "{token}"))),
			new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));

	private final AtomicInteger retries = new AtomicInteger();

	private final TokenEventListener retryCounter = new TokenEventListener() {
		@Override
		public void retried(String registrationId) {
			BearerTokenExchangeFilterFunctionTests.this.retries.incrementAndGet();
		}
	};

	private final ConcurrentLinkedQueue<ClientRequest> requests = new ConcurrentLinkedQueue<>();

	private BearerTokenExchangeFilterFunction filter(String registration) {
		return new BearerTokenExchangeFilterFunction(this.manager, registration, this.retryCounter);
	}

	private ClientRequest request() {
		return ClientRequest.create(HttpMethod.GET, URI.create("https://api.example.com/orders")).build();
	}

	private ExchangeFunction answering(Function<ClientRequest, HttpStatus> status) {
		return (request) -> {
			this.requests.add(request);
			return Mono.just(ClientResponse.create(status.apply(request)).build());
		};
	}

	@Test
	void filterWhenTheApiRejectsEveryTokenThenTwoTokenCallsAndOneApiCallPerRequestAfterTheFirst() {
		BearerTokenExchangeFilterFunction filter = filter("orders");
		for (int i = 0; i < 50; i++) {
			ClientResponse response = filter.filter(request(), answering((r) -> HttpStatus.UNAUTHORIZED)).block();
			assertThat(response.statusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		}
		assertThat(this.source.calls()).isEqualTo(2);
		assertThat(this.requests).hasSize(51);
		assertThat(this.retries.get()).isEqualTo(1);
	}

	@Test
	void filterWhenAReplacementThatWorkedIsRejectedLaterThenOneMoreTokenCallAndTheReplayWithTheNextTokenWorks() {
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		ExchangeFunction api = answering((r) -> revoked.contains(r.headers().getFirst("Authorization"))
				? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		BearerTokenExchangeFilterFunction filter = filter("orders");
		// token-1 is rejected, token-2 replaces it and its replay works
		revoked.add("Bearer token-1");
		assertThat(filter.filter(request(), api).block().statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).isEqualTo(2);
		// ten seconds later, well within cool-down-max, the API's keys rotate: token-2 is
		// rejected too
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-2");
		ClientResponse response = filter.filter(request(), api).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).as("token calls").isEqualTo(3);
		assertThat(this.requests).extracting((r) -> r.headers().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-2", "Bearer token-3");
		assertThat(this.retries.get()).isEqualTo(2);
	}

	@Test
	void filterWhenTheReplayGotNoAnswerThenTheReplacementIsAnOrdinaryTokenLater() {
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		revoked.add("Bearer token-1");
		AtomicInteger sent = new AtomicInteger();
		ExchangeFunction api = (request) -> {
			this.requests.add(request);
			if (sent.incrementAndGet() == 2) {
				// the replay with token-2: the connection drops
				return Mono.error(new IOException("Connection reset"));
			}
			return Mono.just(ClientResponse.create(revoked.contains(request.headers().getFirst("Authorization"))
					? HttpStatus.UNAUTHORIZED : HttpStatus.OK)
				.build());
		};
		BearerTokenExchangeFilterFunction filter = filter("orders");
		assertThatException().isThrownBy(() -> filter.filter(request(), api).block())
			.havingRootCause()
			.isInstanceOf(IOException.class)
			.withMessage("Connection reset");
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-2");
		assertThat(filter.filter(request(), api).block().statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.source.calls()).isEqualTo(3);
		assertThat(this.requests).extracting((r) -> r.headers().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2", "Bearer token-2", "Bearer token-3");
	}

	@Test
	void filterWhenManyRequestsReplayWithTheSameReplacementThenItsFateIsDecidedOnce() {
		// 200 requests rejected with token-1 at once share token-2 and replay with it;
		// the
		// replays work
		Set<String> revoked = ConcurrentHashMap.newKeySet();
		filter("orders").filter(request(), answering((r) -> HttpStatus.OK)).block();
		revoked.add("Bearer token-1");
		ExchangeFunction api = answering((r) -> revoked.contains(r.headers().getFirst("Authorization"))
				? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		assertThat(concurrently(200, api)).allSatisfy((status) -> assertThat(status).isEqualTo(HttpStatus.OK));
		assertThat(this.source.calls()).isEqualTo(2);
		// later token-2 is revoked: 200 requests at once again share one reacquisition
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-2");
		assertThat(concurrently(200, api)).allSatisfy((status) -> assertThat(status).isEqualTo(HttpStatus.OK));
		assertThat(this.source.calls()).isEqualTo(3);
		// then the API rejects every token: the 200 replays with token-4 strike once, and
		// the requests that follow get the 401 with no token call
		this.clock.advance(Duration.ofSeconds(10));
		revoked.add("Bearer token-3");
		revoked.add("Bearer token-4");
		assertThat(concurrently(200, api))
			.allSatisfy((status) -> assertThat(status).isEqualTo(HttpStatus.UNAUTHORIZED));
		assertThat(this.source.calls()).isEqualTo(4);
		assertThat(concurrently(200, api))
			.allSatisfy((status) -> assertThat(status).isEqualTo(HttpStatus.UNAUTHORIZED));
		assertThat(this.source.calls()).isEqualTo(4);
	}

	@Test
	void filterWhenTheApiRejectsEveryTokenAndRequestsComeWhileTheReplayIsOnTheWireThenTwoTokenCalls() throws Exception {
		// the replay with token-2 is held on the wire while 20 more requests read token-2
		// from the cache and are rejected with it
		CountDownLatch replaySent = new CountDownLatch(1);
		Sinks.Empty<Void> replayAnswered = Sinks.empty();
		AtomicInteger withReplacement = new AtomicInteger();
		ExchangeFunction api = (request) -> {
			this.requests.add(request);
			Mono<ClientResponse> unauthorized = Mono
				.fromSupplier(() -> ClientResponse.create(HttpStatus.UNAUTHORIZED).build());
			if ("Bearer token-2".equals(request.headers().getFirst("Authorization"))
					&& withReplacement.getAndIncrement() == 0) {
				replaySent.countDown();
				return replayAnswered.asMono().then(unauthorized);
			}
			return unauthorized;
		};
		BearerTokenExchangeFilterFunction filter = filter("orders");
		CompletableFuture<ClientResponse> first = filter.filter(request(), api).toFuture();
		assertThat(replaySent.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.source.calls()).isEqualTo(2);
		List<HttpStatusCode> more = Flux.range(0, 20)
			.flatMap((i) -> filter.filter(request(), api).subscribeOn(Schedulers.parallel()), 20)
			.map(ClientResponse::statusCode)
			.collectList()
			.block(Duration.ofSeconds(10));
		replayAnswered.tryEmitEmpty();
		assertThat(first.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(more).hasSize(20).allSatisfy((status) -> assertThat(status).isEqualTo(HttpStatus.UNAUTHORIZED));
		assertThat(this.source.calls()).as("token calls").isEqualTo(2);
		// the key rests: a request after gets the 401 with no token call
		assertThat(filter.filter(request(), api).block().statusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.source.calls()).as("token calls").isEqualTo(2);
	}

	/**
	 * Send {@code count} requests at once, each on a parallel thread, every one sent
	 * before the first answer comes back.
	 */
	private List<HttpStatusCode> concurrently(int count, ExchangeFunction api) {
		BearerTokenExchangeFilterFunction filter = filter("orders");
		AtomicInteger first = new AtomicInteger();
		Sinks.Empty<Void> allSent = Sinks.empty();
		ExchangeFunction gated = (request) -> {
			Mono<ClientResponse> answer = api.exchange(request);
			if (first.incrementAndGet() <= count) {
				if (first.get() == count) {
					allSent.tryEmitEmpty();
				}
				return allSent.asMono().then(answer);
			}
			return answer;
		};
		return Flux.range(0, count)
			.flatMap((i) -> filter.filter(request(), gated).subscribeOn(Schedulers.parallel()), count)
			.map(ClientResponse::statusCode)
			.collectList()
			.block(Duration.ofSeconds(10));
	}

	@Test
	void filterWhenTokenCachedThenSetsAuthorizationHeader() {
		ClientResponse response = filter("orders").filter(request(), answering((r) -> HttpStatus.OK)).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.requests).singleElement()
			.satisfies((r) -> assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer token-1"));
	}

	@Test
	void filterWhenHeaderConfiguredThenUsesNameAndFormat() {
		BearerTokenExchangeFilterFunction filter = new BearerTokenExchangeFilterFunction(this.manager, "custom");
		filter.filter(request(), answering((r) -> HttpStatus.OK)).block();
		ClientRequest sent = this.requests.peek();
		assertThat(sent.headers().getFirst("x-access-token")).isEqualTo("token-1");
		assertThat(sent.headers().containsHeader("Authorization")).isFalse();
	}

	@Test
	void filterWhenHeaderFormatHasNoPlaceholderThenRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> TokenAuthorizer.header("Authorization", "Bearer"))
			.withMessageContaining("{token}");
	}

	@Test
	void filterWhenSubjectAttributeThenSendsThatUsersToken() {
		this.manager.save(TokenKey.of("orders", "alice"), AccessToken.withValue("alice-token").build()).block();
		this.manager.save(TokenKey.of("orders", "bob"), AccessToken.withValue("bob-token").build()).block();
		WebClient client = WebClient.builder()
			.exchangeFunction(answering((r) -> HttpStatus.OK))
			.filter(filter("orders"))
			.build();
		client.get()
			.uri("https://api.example.com/a")
			.attributes(BearerTokenExchangeFilterFunction.subject("alice"))
			.retrieve()
			.toBodilessEntity()
			.block();
		client.get()
			.uri("https://api.example.com/b")
			.attributes(BearerTokenExchangeFilterFunction.subject("bob"))
			.retrieve()
			.toBodilessEntity()
			.block();
		assertThat(this.requests).extracting((r) -> r.headers().getFirst("Authorization"))
			.containsExactly("Bearer alice-token", "Bearer bob-token");
	}

	@Test
	void filterWhenTheRequestIsReadAndWrittenThenTheAuthorizerIsCalledOncePerSendAndOnceMoreForTheReplay() {
		AtomicInteger authorizations = new AtomicInteger();
		TokenAuthorizer counting = (token, method, uri, headers) -> headers.set("Authorization",
				"Proof " + token.getTokenValue() + "#" + authorizations.incrementAndGet());
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("orders", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, null,
						counting)),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		List<String> written = new ArrayList<>();
		AtomicInteger sends = new AtomicInteger();
		// an exchange that reads the headers (as a logging filter does), then writes the
		// request
		ExchangeFunction wire = (request) -> {
			String read = request.headers().getFirst("Authorization");
			MockClientHttpRequest http = new MockClientHttpRequest(request.method(), request.url());
			return request.writeTo(http, ExchangeStrategies.withDefaults()).then(Mono.fromSupplier(() -> {
				written.add(http.getHeaders().getFirst("Authorization"));
				assertThat(read).isEqualTo(http.getHeaders().getFirst("Authorization"));
				return ClientResponse.create((sends.getAndIncrement() == 0) ? HttpStatus.UNAUTHORIZED : HttpStatus.OK)
					.build();
			}));
		};
		BearerTokenExchangeFilterFunction filter = new BearerTokenExchangeFilterFunction(manager, "orders");
		assertThat(filter.filter(request(), wire).block().statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(written).containsExactly("Proof token-1#1", "Proof token-2#2");
		assertThat(authorizations.get()).isEqualTo(2);
		WebClient.builder()
			.exchangeFunction(wire)
			.filter(filter)
			.build()
			.get()
			.uri("https://api.example.com/orders")
			.retrieve()
			.toBodilessEntity()
			.block();
		assertThat(written).hasSize(3).last().isEqualTo("Proof token-2#3");
		assertThat(authorizations.get()).isEqualTo(3);
	}

	@Test
	void filterWhen401ThenRefreshesAndRetriesOnceWithNewToken() {
		AtomicInteger calls = new AtomicInteger();
		ClientResponse response = filter("orders")
			.filter(request(),
					answering((r) -> (calls.getAndIncrement() == 0) ? HttpStatus.UNAUTHORIZED : HttpStatus.OK))
			.block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.requests).extracting((r) -> r.headers().getFirst("Authorization"))
			.containsExactly("Bearer token-1", "Bearer token-2");
		assertThat(this.source.refreshes()).isEqualTo(1);
		assertThat(this.retries.get()).isEqualTo(1);
	}

	@Test
	void filterWhenSecond401ThenReturnsItToCaller() {
		ClientResponse response = filter("orders").filter(request(), answering((r) -> HttpStatus.UNAUTHORIZED)).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.requests).hasSize(2);
		assertThat(this.source.calls()).isEqualTo(2);
	}

	@Test
	void filterWhenTheReplayReportFailsThenTheReplayedBodyIsReleasedAndTheFailureGoesToTheCaller() {
		FailingReadsTokenStore store = new FailingReadsTokenStore();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		BearerTokenExchangeFilterFunction filter = new BearerTokenExchangeFilterFunction(manager, "orders");
		AtomicInteger replayedBodies = new AtomicInteger();
		ExchangeFunction exchange = (request) -> {
			boolean replay = "Bearer token-2".equals(request.headers().getFirst("Authorization"));
			if (replay) {
				// a custom store fails under the report of the replay
				store.failReads(new IllegalStateException("store down"));
			}
			Flux<DataBuffer> body = Flux.defer(() -> {
				if (replay) {
					replayedBodies.incrementAndGet();
				}
				return Flux.just(DefaultDataBufferFactory.sharedInstance
					.wrap("{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8)));
			});
			return Mono.just(ClientResponse.create(HttpStatus.UNAUTHORIZED).body(body).build());
		};
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> filter.filter(request(), exchange).block())
			.withMessage("store down");
		assertThat(replayedBodies.get()).as("the replayed response's body released").isEqualTo(1);
	}

	@Test
	void filterWhen401ThenDiscardedResponseBodyIsReleased() {
		AtomicInteger subscribed = new AtomicInteger();
		AtomicInteger calls = new AtomicInteger();
		ExchangeFunction exchange = (request) -> {
			if (calls.getAndIncrement() == 0) {
				Flux<DataBuffer> body = Flux.defer(() -> {
					subscribed.incrementAndGet();
					return Flux.just(DefaultDataBufferFactory.sharedInstance
						.wrap("{\"error\":\"invalid_token\"}".getBytes(StandardCharsets.UTF_8)));
				});
				return Mono.just(ClientResponse.create(HttpStatus.UNAUTHORIZED).body(body).build());
			}
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
		ClientResponse response = filter("orders").filter(request(), exchange).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(subscribed.get()).as("401 body drained").isEqualTo(1);
	}

	@Test
	void filterWhen401AndTokenCannotBeRenewedThenReturnsOriginalResponseWithoutRetry() {
		ClientResponse response = filter("static").filter(request(), answering((r) -> HttpStatus.UNAUTHORIZED)).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
		assertThat(this.requests).hasSize(1);
		assertThat(this.retries.get()).isZero();
	}

	@Test
	void filterWhen401AndRefreshFailsThenErrorReachesCaller() {
		AtomicInteger calls = new AtomicInteger();
		ExchangeFunction exchange = answering(
				(r) -> (calls.getAndIncrement() == 0) ? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		filter("orders").filter(request(), answering((r) -> HttpStatus.OK)).block();
		this.source.failNext(new IllegalStateException("token endpoint down"));
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> filter("orders").filter(request(), exchange).block());
	}

	@Test
	void filterWhen200ConcurrentRequestsRejectedWithSameTokenThenOneRefresh() {
		filter("orders").filter(request(), answering((r) -> HttpStatus.OK)).block();
		this.source.delay(Duration.ofMillis(50));
		this.requests.clear();
		// every request is sent with token-1 before the first 401 comes back: the 401s
		// are held until all 200 have
		// arrived
		AtomicInteger rejected = new AtomicInteger();
		Sinks.Empty<Void> allSent = Sinks.empty();
		ExchangeFunction exchange = (request) -> {
			this.requests.add(request);
			if ("Bearer token-1".equals(request.headers().getFirst("Authorization"))) {
				if (rejected.incrementAndGet() == 200) {
					allSent.tryEmitEmpty();
				}
				return allSent.asMono().thenReturn(ClientResponse.create(HttpStatus.UNAUTHORIZED).build());
			}
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
		BearerTokenExchangeFilterFunction filter = filter("orders");
		List<ClientResponse> responses = Flux.range(0, 200)
			.flatMap((i) -> filter.filter(request(), exchange).subscribeOn(Schedulers.parallel()), 200)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(responses).hasSize(200).allSatisfy((r) -> assertThat(r.statusCode()).isEqualTo(HttpStatus.OK));
		assertThat(this.requests).hasSize(400);
		assertThat(this.source.refreshes()).isEqualTo(1);
		assertThat(this.retries.get()).isEqualTo(200);
	}

	@Test
	void filterWhenNoTokenYetThenWaitsForAcquisition() {
		this.source.delay(Duration.ofMillis(50));
		ClientResponse response = filter("orders").filter(request(), answering((r) -> HttpStatus.OK))
			.block(Duration.ofSeconds(5));
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.requests.peek().headers().getFirst("Authorization")).isEqualTo("Bearer token-1");
	}

	@Test
	void constructWhenUnknownRegistrationThenRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> filter("payments"))
			.withMessageContaining("payments");
	}

}
