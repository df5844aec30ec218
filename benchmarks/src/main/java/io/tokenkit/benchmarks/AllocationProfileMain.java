package io.tokenkit.benchmarks;

import java.time.Clock;
import java.util.function.Supplier;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * Profile for benchmark 1: bytes allocated by TokenKit's filter on the cached-token path,
 * and by the request copy a header-adding filter usually makes, measured on the current
 * thread with {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes} after JIT
 * warm-up (escape analysis included), averaged over many calls. Writes
 * {@code profile.md}.
 * <p>
 * Arguments: the output directory.
 */
public final class AllocationProfileMain {

	private static final int WARMUP = 200_000;

	private static final int MEASURED = 1_000_000;

	private AllocationProfileMain() {
	}

	/**
	 * Run the profile.
	 * @param args the output directory
	 */
	public static void main(String[] args) {
		Output output = new Output(args[0]);
		Clock clock = Clock.systemUTC();
		TokenManager manager = Contenders.tokenKitManagerHolding(FilterOverheadBenchmark.TOKEN, clock);
		TokenKey key = Contenders.applicationKey();
		BearerTokenExchangeFilterFunction filter = new BearerTokenExchangeFilterFunction(manager,
				Contenders.REGISTRATION_ID);
		ClientRequest request = ClientRequest.create(HttpMethod.GET, Contenders.RESOURCE).build();
		ExchangeFunction inMemory = Contenders.inMemoryOk();
		String header = "Bearer " + FilterOverheadBenchmark.TOKEN;

		double lookup = measure(() -> manager.getCachedToken(key));
		double copy = measure(
				() -> ClientRequest.from(request).headers((h) -> h.set(HttpHeaders.AUTHORIZATION, header)).build());
		double exchangeOnly = measure(() -> inMemory.exchange(request).block());
		double filterWithExchange = measure(() -> filter.filter(request, inMemory).block());
		double filterOwn = filterWithExchange - exchangeOnly;

		StringBuilder md = new StringBuilder();
		md.append("Bytes allocated per call on one thread (`ThreadMXBean.getThreadAllocatedBytes`, after ")
			.append(Output.format("%,d warm-up calls, mean of %,d):%n%n", WARMUP, MEASURED));
		md.append("| step | B/call |\n|---|---:|\n");
		md.append(Output.format("| `TokenManager.getCachedToken(key)`: store lookup and expiry check | %.0f |%n",
				lookup));
		md.append(Output
			.format("| `BearerTokenExchangeFilterFunction.filter(...)` in all, cached token, exchange excluded "
					+ "(lookup, the request view that carries the header, the `flatMap` that watches for a `401`) | %.0f |%n",
					filterOwn));
		md.append(Output
			.format("| for comparison: `ClientRequest.from(request).headers(set Authorization).build()`, the "
					+ "copy a header-adding filter usually makes (and TokenKit made before it sent a request view) | %.0f |%n",
					copy));
		output.write("profile.md", md);
		System.out.print(md);
	}

	private static double measure(Supplier<Object> step) {
		return AllocationMeter.bytesPerCall(step, WARMUP, MEASURED);
	}

}
