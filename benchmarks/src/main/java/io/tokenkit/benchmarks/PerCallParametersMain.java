package io.tokenkit.benchmarks;

import java.util.Map;

/**
 * Benchmark 8 runner: runs {@link PerCallParametersBenchmark} with JMH and the GC
 * profiler, then writes {@code per-call-parameters.md}: per pair, the time and allocation
 * with the registration's defaults and with a two-scope {@code TokenParameters}, and what
 * the parameters add.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class PerCallParametersMain {

	private PerCallParametersMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Map<String, double[]> rows = JmhRows.run(args, PerCallParametersBenchmark.class);
		StringBuilder md = new StringBuilder();
		md.append("| measured | defaults: ns/op | ± | B/op | two scopes: ns/op | ± | B/op | added: ns | added: B |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		double worstTime = 0;
		double worstBytes = 0;
		for (String pair : new String[] { "key", "filter" }) {
			double[] defaults = rows.get(pair + "_a_defaults");
			double[] parameters = rows.get(pair + "_b_twoScopes");
			if (defaults == null || parameters == null) {
				continue;
			}
			double time = parameters[0] - defaults[0];
			double bytes = parameters[2] - defaults[2];
			worstTime = Math.max(worstTime, time);
			worstBytes = Math.max(worstBytes, bytes);
			md.append(Output.format("| %s | %.1f | %.1f | %.0f | %.1f | %.1f | %.0f | %.1f | %.0f |%n", name(pair),
					defaults[0], defaults[1], defaults[2], parameters[0], parameters[1], parameters[2], time, bytes));
		}
		md.append(Output.format(
				"%nGoal: at most 50 ns and 0 B added per request once the key is cached: "
						+ "%.1f ns and %.0f B at most here (%s; a difference under 16 B, the smallest object, "
						+ "is the profiler's noise and counts as none).%n",
				worstTime, worstBytes, (worstTime <= 50 && worstBytes < 16) ? "met" : "not met"));
		output.write("per-call-parameters.md", md);
		System.out.print(md);
	}

	private static String name(String pair) {
		return "key".equals(pair) ? "`keyOf` + `getCachedToken`" : "request through the bearer filter";
	}

}
