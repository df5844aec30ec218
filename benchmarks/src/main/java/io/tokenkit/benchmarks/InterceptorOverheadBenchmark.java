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

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * Benchmark 6a: the cost of one {@link RestClient} request through each blocking
 * contender with a valid cached token, over a request factory that answers at once in
 * memory, so that only the client and its interceptor chain are measured. Run with
 * {@code -prof gc} for bytes allocated per request.
 * <p>
 * The floor is a client with an interceptor that passes the request on: a
 * {@code RestClient} with any interceptor buffers the request body and wraps the
 * execution, a cost every interceptor pays before it does anything. The client with no
 * interceptor at all is measured beside it, and a diagnostic interceptor that sets a
 * constant {@code Authorization} header on the request shows the least a header-adding
 * interceptor costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class InterceptorOverheadBenchmark {

	private RestClient noInterceptor;

	private RestClient noopInterceptor;

	private RestClient headerInterceptor;

	private RestClient tokenKit;

	private RestClient springSecurity;

	private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	/**
	 * Build the clients, cache a token valid for an hour in TokenKit and Spring Security,
	 * and check that b and c really send it.
	 */
	@Setup
	public void setup() {
		Clock clock = Clock.systemUTC();
		Instant now = clock.instant();
		RestClient.Builder factory = BlockingContenders.builder(BlockingContenders.inMemoryOk());
		this.noInterceptor = BlockingContenders.noInterceptor(factory);
		this.noopInterceptor = BlockingContenders.noopInterceptor(factory);
		String value = "Bearer " + FilterOverheadBenchmark.TOKEN;
		this.headerInterceptor = factory.clone().requestInterceptor((request, body, execution) -> {
			request.getHeaders().set(HttpHeaders.AUTHORIZATION, value);
			return execution.execute(request, body);
		}).build();

		// A long-lived cached token: the hot path checks its expiry on every request.
		TokenManager manager = Contenders.tokenKitManagerHolding(FilterOverheadBenchmark.TOKEN, clock);
		this.tokenKit = BlockingContenders.tokenKit(factory, manager);

		// The token endpoint is a closed port: any token call would fail the check below.
		BlockingContenders.SpringSecurity spring = BlockingContenders.springSecurity("http://127.0.0.1:9/token", clock);
		spring.seed(FilterOverheadBenchmark.TOKEN, now, now.plus(Duration.ofHours(1)));
		this.springSecurity = spring.client(factory);

		ClientHttpRequestFactory capturing = BlockingContenders.inMemory((headers) -> {
			this.lastAuthorization.set(headers.getFirst(HttpHeaders.AUTHORIZATION));
			return HttpStatus.OK;
		});
		check("TokenKit", BlockingContenders.tokenKit(BlockingContenders.builder(capturing), manager));
		check("Spring Security", spring.client(BlockingContenders.builder(capturing)));
		check("the header interceptor", this.headerInterceptor.mutate().requestFactory(capturing).build());
	}

	private void check(String name, RestClient client) {
		this.lastAuthorization.set(null);
		BlockingContenders.call(client);
		if (!("Bearer " + FilterOverheadBenchmark.TOKEN).equals(this.lastAuthorization.get())) {
			throw new IllegalStateException(name + " did not send the cached token");
		}
	}

	/**
	 * a. No interceptor.
	 * @return the status
	 */
	@Benchmark
	public HttpStatusCode a_noInterceptor() {
		return BlockingContenders.call(this.noInterceptor);
	}

	/**
	 * a′. An interceptor that passes the request on: the floor.
	 * @return the status
	 */
	@Benchmark
	public HttpStatusCode a2_noopInterceptor() {
		return BlockingContenders.call(this.noopInterceptor);
	}

	/**
	 * b. TokenKit's bearer interceptor with a cached token.
	 * @return the status
	 */
	@Benchmark
	public HttpStatusCode b_tokenKit() {
		return BlockingContenders.call(this.tokenKit);
	}

	/**
	 * c. Spring Security's OAuth2 client interceptor with a cached authorized client.
	 * @return the status
	 */
	@Benchmark
	public HttpStatusCode c_springSecurity() {
		return BlockingContenders.call(this.springSecurity);
	}

	/**
	 * Diagnostic: an interceptor that sets a constant {@code Authorization} header.
	 * @return the status
	 */
	@Benchmark
	public HttpStatusCode headerInterceptor() {
		return BlockingContenders.call(this.headerInterceptor);
	}

}
