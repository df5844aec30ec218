package io.tokenkit.web;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class BearerTokenExchangeFilterFunctionTests {

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", this.source),
					TokenRegistration.of("static", new StaticTokenSource("fixed-token"))),
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
		return new BearerTokenExchangeFilterFunction(this.manager, registration, "Authorization", "Bearer {token}",
				this.retryCounter);
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
	void filterWhenTokenCachedThenSetsAuthorizationHeader() {
		ClientResponse response = filter("orders").filter(request(), answering((r) -> HttpStatus.OK)).block();
		assertThat(response.statusCode()).isEqualTo(HttpStatus.OK);
		assertThat(this.requests).singleElement()
			.satisfies((r) -> assertThat(r.headers().getFirst("Authorization")).isEqualTo("Bearer token-1"));
	}

	@Test
	void filterWhenHeaderConfiguredThenUsesNameAndFormat() {
		BearerTokenExchangeFilterFunction filter = new BearerTokenExchangeFilterFunction(this.manager, "orders",
				"x-access-token", "{token}", TokenEventListener.NONE);
		filter.filter(request(), answering((r) -> HttpStatus.OK)).block();
		ClientRequest sent = this.requests.peek();
		assertThat(sent.headers().getFirst("x-access-token")).isEqualTo("token-1");
		assertThat(sent.headers().containsHeader("Authorization")).isFalse();
	}

	@Test
	void filterWhenHeaderFormatHasNoPlaceholderThenRejected() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new BearerTokenExchangeFilterFunction(this.manager, "orders", "Authorization", "Bearer",
					TokenEventListener.NONE))
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
