package io.tokenkit.benchmarks;

import java.util.Collection;
import java.util.Map;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Benchmark 1 runner: runs {@link FilterOverheadBenchmark} and
 * {@link FilterBreakdownBenchmark} with JMH and the GC profiler, then writes
 * {@code overhead.md} and {@code overhead.dat}.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 4 -w 2s}).
 */
public final class OverheadMain {

	private OverheadMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		String[] jmhArgs = new String[args.length - 1 + 3];
		System.arraycopy(args, 1, jmhArgs, 0, args.length - 1);
		jmhArgs[args.length - 1] = "-prof";
		jmhArgs[args.length] = "gc";
		jmhArgs[args.length + 1] = "io\\.tokenkit\\.benchmarks\\.Filter(Overhead|Breakdown)Benchmark\\..*";
		Collection<RunResult> results = new Runner(new CommandLineOptions(jmhArgs)).run();
		Map<String, double[]> rows = JmhRows.rows(results);
		double[] a = rows.get("a_noFilter");
		double[] b = rows.get("b_tokenKit");
		double[] c = rows.get("c_springSecurity");
		double overheadB = b[0] - a[0];
		double overheadC = c[0] - a[0];
		double allocB = b[2] - a[2];
		double allocC = c[2] - a[2];
		StringBuilder md = new StringBuilder();
		md.append("| contender | ns/op | ± (99.9% CI) | overhead over floor, ns | B/op | extra B/op over floor |\n");
		md.append("|---|---:|---:|---:|---:|---:|\n");
		md.append(row("a. no filter (floor)", a, 0, 0));
		md.append(row("b. TokenKit `BearerTokenExchangeFilterFunction`", b, overheadB, allocB));
		md.append(row("c. Spring Security `ServerOAuth2AuthorizedClientExchangeFilterFunction`", c, overheadC, allocC));
		md.append("\n| ratio | value |\n|---|---:|\n");
		md.append(Output.format("| time b/a | %.2f |\n", b[0] / a[0]));
		md.append(Output.format("| time c/b | %.2f |\n", c[0] / b[0]));
		md.append(Output.format("| allocation b/a | %.2f |\n", b[2] / a[2]));
		md.append(Output.format("| allocation c/b | %.2f |\n", c[2] / b[2]));
		md.append(Output.format("| overhead over floor, Spring Security / TokenKit | %s |\n",
				ratio(overheadC, overheadB)));
		md.append(Output.format("| extra allocation over floor, Spring Security / TokenKit | %s |\n",
				ratio(allocC, allocB)));
		md.append("\nGoals: TokenKit's overhead over the floor at least 10 times smaller than Spring Security's: ");
		md.append(Output.met(overheadB <= 0 || overheadC / overheadB >= 10));
		md.append(" (").append(ratio(overheadC, overheadB)).append(" times smaller)");
		md.append("; at least 5 times less extra allocation: ");
		md.append(Output.met(allocB <= 0 || allocC / allocB >= 5));
		md.append(" (").append(ratio(allocC, allocB)).append(" times less)");
		md.append(".\n\nDiagnostics (same run): what any filter costs before it does anything.\n\n");
		md.append("| diagnostic | ns/op | ± | B/op |\n|---|---:|---:|---:|\n");
		for (String name : new String[] { "noopFilter", "headerFilter" }) {
			double[] d = rows.get(name);
			if (d != null) {
				md.append(Output.format("| `%s` | %.0f | %.0f | %.0f |\n", name, d[0], d[1], d[2]));
			}
		}
		output.write("overhead.md", md);
		StringBuilder dat = new StringBuilder("# contender ns_per_op ns_error bytes_per_op\n");
		dat.append(Output.format("\"a. no filter\" %.1f %.1f %.0f\n", a[0], a[1], a[2]));
		dat.append(Output.format("\"b. TokenKit\" %.1f %.1f %.0f\n", b[0], b[1], b[2]));
		dat.append(Output.format("\"c. Spring Security\" %.1f %.1f %.0f\n", c[0], c[1], c[2]));
		output.write("overhead.dat", dat);
	}

	private static String row(String name, double[] values, double overhead, double extraAlloc) {
		return Output.format("| %s | %.0f | %.0f | %.0f | %.0f | %.0f |\n", name, values[0], values[1], overhead,
				values[2], extraAlloc);
	}

	private static String ratio(double numerator, double denominator) {
		return (denominator <= 0) ? "∞ (TokenKit at or below the floor)"
				: Output.format("%.1f", numerator / denominator);
	}

}
