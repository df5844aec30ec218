package io.tokenkit.benchmarks;

import java.util.Map;

/**
 * Benchmark 8 runner: runs {@link DpopBenchmark} with JMH and the GC profiler, then
 * writes {@code dpop.md}: per method the time and allocation, what the DPoP request adds
 * over the bearer request, and that extra time against one bare ES256 signature (the
 * goal: at most 1.5 times).
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class DpopMain {

	private DpopMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Map<String, double[]> rows = JmhRows.run(args, DpopBenchmark.class);
		double[] bearer = rows.get("a_bearer");
		double[] dpop = rows.get("b_dpop");
		double[] bare = rows.get("c_bareEs256Signature");
		StringBuilder md = new StringBuilder();
		md.append("| method | µs/op | ± (99.9% CI) | B/op |\n|---|---:|---:|---:|\n");
		md.append(row("a. request, cached bearer token", bearer));
		md.append(row("b. request, cached DPoP-bound token, new ES256 proof", dpop));
		md.append(row("c. one bare ES256 signature (JDK)", bare));
		if (bearer != null && dpop != null && bare != null) {
			double extra = dpop[0] - bearer[0];
			double ratio = extra / bare[0];
			md.append(Output.format("%nExtra per request with DPoP: %.1f µs and %.0f B; against one bare signature: "
					+ "%.2f times.%n%n", extra, dpop[2] - bearer[2], ratio));
			md.append(Output.format(
					"Goal: the DPoP request's extra time at most 1.5 times one bare ES256 signature: **%s** (%.2f).%n",
					(ratio <= 1.5) ? "met" : "not met", ratio));
		}
		output.write("dpop.md", md);
		System.out.print(md);
	}

	private static String row(String name, double[] row) {
		return (row != null) ? Output.format("| %s | %.2f | %.2f | %.0f |%n", name, row[0], row[1], row[2])
				: "| " + name + " | n/a | | |\n";
	}

}
