package io.tokenkit.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.tokenkit.token.TokenManager;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 1: the cost of one request through each contender with a valid cached token,
 * over a {@link WebClient} whose exchange function answers at once in memory, so that
 * only the client and its filter chain are measured. Run with {@code -prof gc} for bytes
 * allocated per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class FilterOverheadBenchmark {

	static final String TOKEN = "Zx3c9VbN1mQ7wErT5yUiOp2AsDfGhJkL0zXcVbNm4Qw";

	private WebClient floor;

	private WebClient tokenKit;

	private WebClient springSecurity;

	/**
	 * Build the three clients, cache a token valid for an hour in TokenKit and Spring
	 * Security, and check that b and c really send it.
	 */
	@Setup
	public void setup() {
		Clock clock = Clock.systemUTC();
		Instant now = clock.instant();
		WebClient.Builder exchange = Contenders.builder(Contenders.inMemoryOk());
		this.floor = Contenders.floor(exchange);

		// A long-lived cached token: the hot path checks its expiry on every request.
		TokenManager manager = Contenders.tokenKitManagerHolding(TOKEN, clock);
		this.tokenKit = Contenders.tokenKit(exchange, manager);

		// The token endpoint is a closed port: any token call would fail the check below.
		Contenders.SpringSecurity spring = Contenders.springSecurity("http://127.0.0.1:9/token", clock);
		spring.seed(TOKEN, now, now.plus(Duration.ofHours(1)));
		this.springSecurity = spring.client(exchange);

		check("TokenKit", Contenders.tokenKit(Contenders.builder(capturing()), manager));
		check("Spring Security", spring.client(Contenders.builder(capturing())));
	}

	private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	private ExchangeFunction capturing() {
		return (request) -> {
			this.lastAuthorization.set(request.headers().getFirst(HttpHeaders.AUTHORIZATION));
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
	}

	private void check(String name, WebClient client) {
		this.lastAuthorization.set(null);
		call(client);
		if (!("Bearer " + TOKEN).equals(this.lastAuthorization.get())) {
			throw new IllegalStateException(name + " did not send the cached token");
		}
	}

	/**
	 * a. No filter: the floor.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> a_noFilter() {
		return call(this.floor);
	}

	/**
	 * b. TokenKit's bearer filter with a cached token.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> b_tokenKit() {
		return call(this.tokenKit);
	}

	/**
	 * c. Spring Security's OAuth2 client filter with a cached authorized client.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> c_springSecurity() {
		return call(this.springSecurity);
	}

	static ResponseEntity<Void> call(WebClient client) {
		return client.get().uri(Contenders.RESOURCE).retrieve().toBodilessEntity().block();
	}

}
