package io.tokenkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.token.TokenManager;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 2: loopback throughput. A Reactor Netty server on 127.0.0.1 answers
 * {@code 200 ok}; each contender sends a fixed number of requests at a fixed concurrency,
 * in several rounds whose order rotates so that a quiet or busy moment of the machine
 * does not favour one contender, after two warm-up rounds each. Reports the median over
 * rounds of requests per second and of the 99th percentile latency, and the median of the
 * ratios to the floor within each round. A second no-filter client is run as an A/A
 * control.
 * <p>
 * Arguments: the output directory, then optionally requests per round, concurrency,
 * rounds.
 */
public final class LoopbackThroughputMain {

	private static final int WARMUP_ROUNDS = 2;

	private static final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private static final String[] NAMES = { "a. no filter", "a′. no filter again (A/A control)", "b. TokenKit",
			"c. Spring Security" };

	private LoopbackThroughputMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, then optionally requests per round, concurrency
	 * and rounds
	 */
	public static void main(String[] args) {
		Output output = new Output(args[0]);
		int requests = (args.length > 1) ? Integer.parseInt(args[1]) : 8_000;
		int concurrency = (args.length > 2) ? Integer.parseInt(args[2]) : 32;
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 16;

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
			TokenManager manager = Contenders.tokenKitManagerHolding(FilterOverheadBenchmark.TOKEN, clock);
			Contenders.SpringSecurity spring = Contenders.springSecurity("http://127.0.0.1:9/token", clock);
			spring.seed(FilterOverheadBenchmark.TOKEN, now, now.plus(Duration.ofHours(1)));
			// a' is a second no-filter client: an A/A control that shows how far noise
			// alone moves the figures.
			WebClient[] clients = { Contenders.floor(base), Contenders.floor(base), Contenders.tokenKit(base, manager),
					spring.client(base) };
			String[] names = NAMES;
			boolean diagnostics = Boolean.getBoolean("loopback.diagnostics");
			if (diagnostics) {
				// Diagnostic run: what a filter that does nothing costs, what the header
				// alone costs on the wire
				// (sent by defaultHeader, no filter), and what a filter that adds it with
				// ClientRequest.from costs.
				String header = "Bearer " + FilterOverheadBenchmark.TOKEN;
				clients = new WebClient[] { clients[0],
						base.clone().filter((request, next) -> next.exchange(request)).build(),
						base.clone().defaultHeader(HttpHeaders.AUTHORIZATION, header).build(),
						base.clone()
							.filter((request,
									next) -> next.exchange(ClientRequest.from(request)
										.headers((headers) -> headers.set(HttpHeaders.AUTHORIZATION, header))
										.build()))
							.build(),
						clients[2] };
				names = new String[] { NAMES[0], "empty filter", "no filter, header by defaultHeader",
						"header-adding filter (ClientRequest.from)", NAMES[2] };
			}

			for (int w = 0; w < WARMUP_ROUNDS * clients.length; w++) {
				int c = w % clients.length;
				Round warmup = run(clients[c], uri, requests, concurrency);
				System.out.printf("warm-up %-30s %8.0f req/s p99 %6.0f us failed %d%n", names[c], warmup.perSecond(),
						warmup.p99Micros(), warmup.failed());
			}
			double[][] perSecond = new double[clients.length][rounds];
			double[][] p99 = new double[clients.length][rounds];
			double[][] cpu = new double[clients.length][rounds];
			int failed = 0;
			for (int r = 0; r < rounds; r++) {
				for (int i = 0; i < clients.length; i++) {
					int c = (r + i) % clients.length;
					Round round = run(clients[c], uri, requests, concurrency);
					perSecond[c][r] = round.perSecond();
					p99[c][r] = round.p99Micros();
					cpu[c][r] = round.cpuMicrosPerRequest();
					failed += round.failed();
					System.out.printf("round %2d %-30s %8.0f req/s p99 %6.0f us cpu %5.1f us/req failed %d%n", r + 1,
							names[c], round.perSecond(), round.p99Micros(), round.cpuMicrosPerRequest(),
							round.failed());
				}
			}
			double[] medianPerSecond = new double[clients.length];
			double[] medianP99 = new double[clients.length];
			double[] pairedPerSecond = new double[clients.length];
			double[] pairedP99 = new double[clients.length];
			double[] medianCpu = new double[clients.length];
			double[] pairedCpu = new double[clients.length];
			for (int c = 0; c < clients.length; c++) {
				medianPerSecond[c] = median(perSecond[c]);
				medianP99[c] = median(p99[c]);
				double[] ratios = new double[rounds];
				double[] p99Ratios = new double[rounds];
				for (int r = 0; r < rounds; r++) {
					ratios[r] = perSecond[c][r] / perSecond[0][r];
					p99Ratios[r] = p99[c][r] / p99[0][r];
				}
				pairedPerSecond[c] = median(ratios);
				pairedP99[c] = median(p99Ratios);
				double[] cpuRatios = new double[rounds];
				for (int r = 0; r < rounds; r++) {
					cpuRatios[r] = cpu[c][r] / cpu[0][r];
				}
				medianCpu[c] = median(cpu[c]);
				pairedCpu[c] = median(cpuRatios);
			}
			StringBuilder md = new StringBuilder();
			md.append(Output
				.format("%,d requests per round at concurrency %d; %d measured rounds, each running every contender "
						+ "once in an order that rotates from round to round, after %d warm-up rounds; %d failed requests in all. "
						+ "Two ratios to the floor: of the medians over rounds, and the median over rounds of the ratio within "
						+ "each round (paired, so that load from other processes that comes and goes hits both sides alike).%s%n%n",
						requests, concurrency, rounds, WARMUP_ROUNDS, failed, diagnostics ? ""
								: " a′ is a second no-filter client, an A/A control: its distance from 1.000 is the noise of this run."));
			md.append(
					"| contender | req/s (median) | ratio of medians | paired ratio (median) | p99 latency, µs (median) "
							+ "| p99 ratio of medians | p99 paired ratio (median) |\n");
			md.append("|---|---:|---:|---:|---:|---:|---:|\n");
			for (int c = 0; c < clients.length; c++) {
				md.append(Output.format("| %s | %.0f | %.3f | %.3f | %.0f | %.3f | %.3f |%n", names[c],
						medianPerSecond[c], medianPerSecond[c] / medianPerSecond[0], pairedPerSecond[c], medianP99[c],
						medianP99[c] / medianP99[0], pairedP99[c]));
			}
			md.append("\nCPU time of the whole process (client and server) per request, from "
					+ "`OperatingSystemMXBean.getProcessCpuTime()`: less sensitive than wall-clock throughput to other "
					+ "processes on the machine.\n\n");
			md.append(
					"| contender | CPU µs per request (median) | paired ratio to floor (median) |\n|---|---:|---:|\n");
			for (int c = 0; c < clients.length; c++) {
				md.append(Output.format("| %s | %.1f | %.3f |%n", names[c], medianCpu[c], pairedCpu[c]));
			}
			md.append("\nEvery round, req/s: ");
			for (int c = 0; c < clients.length; c++) {
				md.append((c > 0) ? "; " : "").append(names[c]).append(' ').append(join(perSecond[c]));
			}
			if (diagnostics) {
				md.append(".\n");
				output.write("throughput-diagnostics.md", md);
				return;
			}
			double ofMedians = medianPerSecond[2] / medianPerSecond[0];
			double paired = pairedPerSecond[2];
			md.append(".\n\nGoal: throughput with TokenKit at least 0.95 of the floor: ")
				.append(Output.met(ofMedians >= 0.95 && paired >= 0.95))
				.append(Output.format(" (ratio of medians %.3f, paired %.3f; A/A control a′/a: %.3f and %.3f).%n",
						ofMedians, paired, medianPerSecond[1] / medianPerSecond[0], pairedPerSecond[1]));
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
		long cpuStart = os.getProcessCpuTime();
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
		double cpuMicros = (os.getProcessCpuTime() - cpuStart) / 1e3 / requests;
		Arrays.sort(latencies);
		long p99 = latencies[(int) Math.ceil(requests * 0.99) - 1];
		return new Round(requests * 1e9 / elapsed, p99 / 1e3, failed.get(), cpuMicros);
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

	private record Round(double perSecond, double p99Micros, int failed, double cpuMicrosPerRequest) {
	}

}
