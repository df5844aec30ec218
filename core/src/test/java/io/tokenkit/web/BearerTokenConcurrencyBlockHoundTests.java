package io.tokenkit.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The bearer filter and token manager against a real token endpoint on loopback, under
 * BlockHound: many concurrent requests, expiry, and 401 retries, with no blocking call on
 * a Reactor thread. Runs in its own JVM (see the {@code blockhound} Surefire execution)
 * because BlockHound instruments the JDK.
 */
class BearerTokenConcurrencyBlockHoundTests {

	private final MockWebServer tokenEndpoint = new MockWebServer();

	private final AtomicInteger tokenCalls = new AtomicInteger();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private TokenManager manager;

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@BeforeEach
	void start() throws Exception {
		this.tokenEndpoint.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				int n = BearerTokenConcurrencyBlockHoundTests.this.tokenCalls.incrementAndGet();
				return new MockResponse.Builder().addHeader("Content-Type", "application/json")
					.body("{\"access_token\":\"token-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":300}")
					.headersDelay(100, java.util.concurrent.TimeUnit.MILLISECONDS)
					.build();
			}
		});
		this.tokenEndpoint.start();
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.tokenEndpoint.url("/token").toString()), "app", "secret",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP);
		this.manager = new TokenManager(
				List.of(TokenRegistration.of("orders",
						new ClientCredentialsTokenSource(client, List.of(), Map.of(), this.clock))),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(10));
	}

	@AfterEach
	void stop() {
		this.tokenEndpoint.close();
	}

	@Test
	void blockHoundWhenBlockingCallOnReactorThreadThenDetected() {
		Mono<Void> blocking = Mono.fromRunnable(() -> LockSupport.parkNanos(1_000))
			.subscribeOn(Schedulers.parallel())
			.then();
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> blocking.block(Duration.ofSeconds(5)))
			.satisfies((ex) -> assertThat(Exceptions.unwrap(ex)).isInstanceOf(BlockingOperationError.class));
	}

	@Test
	void filterWhen1000ConcurrentRequestsFindTokenExpiredThenOneTokenEndpointCall() {
		WebClient webClient = webClient((request) -> HttpStatus.OK);
		call(webClient, 1).blockLast(Duration.ofSeconds(10));
		assertThat(this.tokenCalls.get()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(301));
		List<ResponseEntity<Void>> responses = call(webClient, 1000).collectList().block(Duration.ofSeconds(30));
		assertThat(responses).hasSize(1000).allSatisfy((r) -> assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK));
		assertThat(this.tokenCalls.get()).isEqualTo(2);
		assertThat(this.manager.getCachedToken(TokenKey.of("orders")).getTokenValue()).isEqualTo("token-2");
	}

	@Test
	void filterWhen401ThenRetriesWithoutBlocking() {
		WebClient webClient = webClient(
				(request) -> "Bearer token-1".equals(request) ? HttpStatus.UNAUTHORIZED : HttpStatus.OK);
		List<ResponseEntity<Void>> responses = call(webClient, 50).collectList().block(Duration.ofSeconds(30));
		assertThat(responses).hasSize(50).allSatisfy((r) -> assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK));
		assertThat(this.tokenCalls.get()).isEqualTo(2);
	}

	private WebClient webClient(java.util.function.Function<String, HttpStatus> statusForAuthorization) {
		ExchangeFunction resource = (request) -> Mono.delay(Duration.ofMillis(5))
			.map((tick) -> ClientResponse
				.create(statusForAuthorization.apply(request.headers().getFirst("Authorization")))
				.build());
		return WebClient.builder()
			.exchangeFunction(resource)
			.filter(new BearerTokenExchangeFilterFunction(this.manager, "orders"))
			.build();
	}

	private static Flux<ResponseEntity<Void>> call(WebClient webClient, int count) {
		return Flux.range(0, count)
			.flatMap((i) -> webClient.get()
				.uri("https://api.example.com/orders/" + i)
				.retrieve()
				.onStatus((status) -> false, (response) -> Mono.empty())
				.toBodilessEntity()
				.subscribeOn(Schedulers.parallel()), count);
	}

}
