package io.tokenkit.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Diagnostic companion of {@link FilterOverheadBenchmark}: what any filter costs before
 * it does anything.
 * <ul>
 * <li>{@code noopFilter}: a filter that passes the request on, the price WebClient
 * charges for having a filter at all;</li>
 * <li>{@code headerFilter}: a filter that adds one constant header with
 * {@code ClientRequest.from}, the least a header-adding filter can do through the public
 * API.</li>
 * </ul>
 * The difference between TokenKit and {@code headerFilter} is what TokenKit's own code
 * costs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class FilterBreakdownBenchmark {

	private WebClient noopFilter;

	private WebClient headerFilter;

	/** Build the clients. */
	@Setup
	public void setup() {
		ExchangeFunction exchange = Contenders.inMemoryOk();
		this.noopFilter = WebClient.builder()
			.exchangeFunction(exchange)
			.filter((request, next) -> next.exchange(request))
			.build();
		String value = "Bearer " + FilterOverheadBenchmark.TOKEN;
		this.headerFilter = WebClient.builder()
			.exchangeFunction(exchange)
			.filter((request,
					next) -> next.exchange(ClientRequest.from(request)
						.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, value))
						.build()))
			.build();
	}

	/**
	 * A filter that passes the request on.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> noopFilter() {
		return FilterOverheadBenchmark.call(this.noopFilter);
	}

	/**
	 * A filter that adds a constant header.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> headerFilter() {
		return FilterOverheadBenchmark.call(this.headerFilter);
	}

}
