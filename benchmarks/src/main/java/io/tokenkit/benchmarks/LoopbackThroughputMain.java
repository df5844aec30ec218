package io.tokenkit.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 2: loopback throughput. A Reactor Netty server on 127.0.0.1 answers {@code 200 ok}; each
 * contender sends a fixed number of requests at a fixed concurrency, in several rounds whose order rotates
 * so that a quiet or busy moment of the machine does not favour one contender, after two warm-up rounds each. Reports the median over
 * rounds of requests per second and of the 99th percentile latency.
 * <p>
 * Arguments: the output directory, then optionally requests per round, concurrency, rounds.
 */
public final class LoopbackThroughputMain {

	private static final int WARMUP_ROUNDS = 2;

	private static final String[] NAMES = { "a. no filter", "b. TokenKit", "c. Spring Security" };

	private LoopbackThroughputMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, then optionally requests per round, concurrency and rounds
	 */
	public static void main(String[] args) {
		Output output = new Output(args[0]);
		int requests = (args.length > 1) ? Integer.parseInt(args[1]) : 10_000;
		int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 32;
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 9;

		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.get("/api/resource",
					(request, response) -> response.header("Content-Type", "text/plain").sendString(Mono.just("ok"))))
			.bindNow();
		ConnectionProvider pool = ConnectionProvider.builder("loopback-bench")
			.maxConnections(concurrency)
			.pendingAcquireMaxCount(-1)
			.build();
		try {
			URI uri = URI.create("http://127.0.0.1:" + server.port() + "/api/resource");
			WebClient.Builder base = WebClient.builder()
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool)));
			Clock clock = Clock.systemUTC();
			Instant now = clock.instant();
			TokenManager manager = Contenders.tokenKitManager(new StaticTokenSource("unused-static-token"), clock);
			manager.save(Contenders.applicationKey(), AccessToken.withValue(FilterOverheadBenchmark.TOKEN)
				.issuedAt(now)
				.expiresAt(now.plus(Duration.ofHours(1)))
				.build()).block();
			Contenders.SpringSecurity spring = Contenders.springSecurity("http://127.0.0.1:9/token", clock);
			spring.seed(FilterOverheadBenchmark.TOKEN, now, now.plus(Duration.ofHours(1)));
			WebClient[] clients = { Contenders.floor(base), Contenders.tokenKit(base, manager), spring.client(base) };

			for (int w = 0; w < WARMUP_ROUNDS * clients.length; w++) {
				int c = w % clients.length;
				Round warmup = run(clients[c], uri, requests, concurrency);
				System.out.printf("warm-up %-20s %8.0f req/s p99 %6.0f us failed %d%n", NAMES[c], warmup.perSecond(),
						warmup.p99Micros(), warmup.failed());
			}
			double[][] perSecond = new double[clients.length][rounds];
			double[][] p99 = new double[clients.length][rounds];
			int failed = 0;
			for (int r = 0; r < rounds; r++) {
				for (int i = 0; i < clients.length; i++) {
					int c = (r + i) % clients.length;
					Round round = run(clients[c], uri, requests, concurrency);
					perSecond[c][r] = round.perSecond();
					p99[c][r] = round.p99Micros();
					failed += round.failed();
					System.out.printf("round %d %-20s %8.0f req/s p99 %6.0f us failed %d%n", r + 1, NAMES[c],
							round.perSecond(), round.p99Micros(), round.failed());
				}
			}
			double[] medianPerSecond = new double[clients.length];
			double[] medianP99 = new double[clients.length];
			for (int c = 0; c < clients.length; c++) {
				medianPerSecond[c] = median(perSecond[c]);
				medianP99[c] = median(p99[c]);
			}
			StringBuilder md = new StringBuilder();
			md.append(Output.format("%,d requests per round at concurrency %d, %d measured rounds per contender in rotating "
					+ "order after %d warm-up rounds each; median over rounds; %d failed requests in all.%n%n", requests,
					concurrency, rounds, WARMUP_ROUNDS, failed));
			md.append("| contender | req/s (median) | req/s ratio to floor | p99 latency, µs (median) | p99 ratio to floor |\n");
			md.append("|---|---:|---:|---:|---:|\n");
			for (int c = 0; c < clients.length; c++) {
				md.append(Output.format("| %s | %.0f | %.3f | %.0f | %.3f |%n", NAMES[c], medianPerSecond[c],
						medianPerSecond[c] / medianPerSecond[0], medianP99[c], medianP99[c] / medianP99[0]));
			}
			md.append("\nEvery round, req/s: ");
			for (int c = 0; c < clients.length; c++) {
				md.append((c > 0) ? "; " : "").append(NAMES[c]).append(' ').append(join(perSecond[c]));
			}
			md.append(".\n\nGoal: throughput with TokenKit at least 0.95 of the floor: ")
				.append(Output.met(medianPerSecond[1] / medianPerSecond[0] >= 0.95))
				.append(Output.format(" (%.3f).%n", medianPerSecond[1] / medianPerSecond[0]));
			output.write("throughput.md", md);
		}
		finally {
			server.disposeNow();
			pool.disposeLater().block(Duration.ofSeconds(5));
		}
	}

	private static Round run(WebClient client, URI uri, int requests, int concurrency) {
		long[] latencies = new long[requests];
		AtomicInteger failed = new AtomicInteger();
		long start = System.nanoTime();
		Flux.range(0, requests).flatMap((i) -> Mono.defer(() -> {
			long sent = System.nanoTime();
			return client.get()
				.uri(uri)
				.retrieve()
				.toBodilessEntity()
				.doOnSuccess((entity) -> latencies[i] = System.nanoTime() - sent)
				.then()
				.onErrorResume((error) -> {
					latencies[i] = System.nanoTime() - sent;
					failed.incrementAndGet();
					return Mono.empty();
				});
		}), concurrency).then().block(Duration.ofMinutes(5));
		long elapsed = System.nanoTime() - start;
		Arrays.sort(latencies);
		long p99 = latencies[(int) Math.ceil(requests * 0.99) - 1];
		return new Round(requests * 1e9 / elapsed, p99 / 1e3, failed.get());
	}

	private static double median(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int n = sorted.length;
		return (n % 2 == 1) ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	}

	private static String join(double[] values) {
		StringBuilder result = new StringBuilder();
		for (double value : values) {
			result.append((result.length() > 0) ? ", " : "").append(Output.format("%.0f", value));
		}
		return result.toString();
	}

	private record Round(double perSecond, double p99Micros, int failed) {
	}

}
