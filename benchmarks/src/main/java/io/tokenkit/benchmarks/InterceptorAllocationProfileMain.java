package io.tokenkit.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.tokenkit.token.TokenManager;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.support.HttpRequestWrapper;
import org.springframework.web.client.RestClient;

/**
 * Profile for benchmark 6a: bytes allocated per {@link RestClient} request by each
 * blocking contender and by two diagnostic interceptors, with a valid cached token,
 * measured on the current thread with
 * {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} after JIT warm-up
 * (escape analysis included), averaged over many calls. Allocation, unlike time, does not
 * depend on what else runs on the machine. Writes {@code blocking-profile.md}.
 * <p>
 * Arguments: the output directory.
 */
public final class InterceptorAllocationProfileMain {

	private static final int WARMUP = 200_000;

	private static final int MEASURED = 500_000;

	private InterceptorAllocationProfileMain() {
	}

	/**
	 * Run the profile.
	 * @param args the output directory
	 */
	public static void main(String[] args) {
		Output output = new Output(args[0]);
		Clock clock = Clock.systemUTC();
		Instant now = clock.instant();
		RestClient.Builder factory = BlockingContenders.builder(BlockingContenders.inMemoryOk());
		TokenManager manager = Contenders.tokenKitManagerHolding(FilterOverheadBenchmark.TOKEN, clock);
		BlockingContenders.SpringSecurity spring = BlockingContenders.springSecurity("http://127.0.0.1:9/token", clock);
		spring.seed(FilterOverheadBenchmark.TOKEN, now, now.plus(Duration.ofHours(1)));
		String value = "Bearer " + FilterOverheadBenchmark.TOKEN;
		RestClient none = BlockingContenders.noInterceptor(factory);
		RestClient floor = BlockingContenders.noopInterceptor(factory);
		RestClient tokenKit = BlockingContenders.tokenKit(factory, manager);
		RestClient springSecurity = spring.client(factory);
		RestClient setHeader = factory.clone().requestInterceptor((request, body, execution) -> {
			request.getHeaders().set(HttpHeaders.AUTHORIZATION, value);
			return execution.execute(request, body);
		}).build();
		RestClient copyHeaders = factory.clone().requestInterceptor((request, body, execution) -> {
			HttpHeaders headers = new HttpHeaders();
			headers.putAll(request.getHeaders());
			headers.set(HttpHeaders.AUTHORIZATION, value);
			return execution.execute(new HeadersRequest(request, headers), body);
		}).build();

		double noneBytes = measure(() -> BlockingContenders.call(none));
		double floorBytes = measure(() -> BlockingContenders.call(floor));
		double tokenKitBytes = measure(() -> BlockingContenders.call(tokenKit));
		double springBytes = measure(() -> BlockingContenders.call(springSecurity));
		double setHeaderBytes = measure(() -> BlockingContenders.call(setHeader));
		double copyHeadersBytes = measure(() -> BlockingContenders.call(copyHeaders));

		StringBuilder md = new StringBuilder();
		md.append("Bytes allocated per request on one thread (`ThreadMXBean.getThreadAllocatedBytes`, after ")
			.append(Output.format("%,d warm-up calls, mean of %,d), whole `RestClient` call:%n%n", WARMUP, MEASURED));
		md.append("| client | B/request | extra over the no-op floor |\n|---|---:|---:|\n");
		md.append(line("a. no interceptor", noneBytes, floorBytes));
		md.append(line("a′. no-op interceptor (floor)", floorBytes, floorBytes));
		md.append(line("b. TokenKit", tokenKitBytes, floorBytes));
		md.append(line("c. Spring Security", springBytes, floorBytes));
		md.append(line("diagnostic: sets `Authorization` on the request's own headers", setHeaderBytes, floorBytes));
		md.append(line("diagnostic: sends a wrapper with a copy of the headers that carries `Authorization`",
				copyHeadersBytes, floorBytes));
		md.append(Output.format("%nExtra allocation over the floor, Spring Security / TokenKit: %s.%n",
				((tokenKitBytes - floorBytes) <= 0) ? "∞ (TokenKit at or below the floor)"
						: Output.format("%.1f", (springBytes - floorBytes) / (tokenKitBytes - floorBytes))));
		output.write("blocking-profile.md", md);
		System.out.print(md);
	}

	private static String line(String name, double bytes, double floor) {
		return Output.format("| %s | %.0f | %.0f |%n", name, bytes, bytes - floor);
	}

	private static double measure(Supplier<Object> step) {
		return AllocationMeter.bytesPerCall(step, WARMUP, MEASURED);
	}

	/**
	 * A request sent with other headers than the caller's.
	 */
	private static final class HeadersRequest extends HttpRequestWrapper {

		private final HttpHeaders headers;

		HeadersRequest(HttpRequest request, HttpHeaders headers) {
			super(request);
			this.headers = headers;
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

	}

}
