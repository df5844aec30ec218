package io.tokenkit.benchmarks;

import java.util.Map;

/**
 * Benchmark 6a runner: runs {@link InterceptorOverheadBenchmark} with JMH and the GC
 * profiler, then writes {@code blocking-overhead.md} and {@code blocking-overhead.dat}.
 * Every figure is compared with the floor, the client with an interceptor that does
 * nothing, measured in the same run.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class BlockingOverheadMain {

	/** TokenKit's extra time over the floor must stay under this, in nanoseconds. */
	private static final double TIME_LIMIT_NS = 100;

	/**
	 * Spring Security's extra over the floor must be at least this many times TokenKit's.
	 */
	private static final double FACTOR = 5;

	private BlockingOverheadMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Map<String, double[]> rows = JmhRows.run(args, InterceptorOverheadBenchmark.class);
		double[] none = rows.get("a_noInterceptor");
		double[] floor = rows.get("a2_noopInterceptor");
		double[] b = rows.get("b_tokenKit");
		double[] c = rows.get("c_springSecurity");
		double timeB = b[0] - floor[0];
		double timeC = c[0] - floor[0];
		double allocB = b[2] - floor[2];
		double allocC = c[2] - floor[2];
		StringBuilder md = new StringBuilder();
		md.append("| contender | ns/op | ± (99.9% CI) | extra over floor, ns | ± of the extra | B/op "
				+ "| extra B/op over floor |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|\n");
		md.append(row("a. no interceptor", none, floor));
		md.append(row("a′. no-op interceptor (floor)", floor, floor));
		md.append(row("b. TokenKit `BearerTokenClientHttpRequestInterceptor`", b, floor));
		md.append(row("c. Spring Security `OAuth2ClientHttpRequestInterceptor`", c, floor));
		md.append("\n| ratio | value |\n|---|---:|\n");
		md.append(Output.format("| time b/a′ | %.2f |\n", b[0] / floor[0]));
		md.append(Output.format("| time c/b | %.2f |\n", c[0] / b[0]));
		md.append(Output.format("| allocation b/a′ | %.2f |\n", b[2] / floor[2]));
		md.append(Output.format("| allocation c/b | %.2f |\n", c[2] / b[2]));
		md.append(Output.format("| extra time over floor, Spring Security / TokenKit | %s |\n", ratio(timeC, timeB)));
		md.append(Output.format("| extra allocation over floor, Spring Security / TokenKit | %s |\n",
				ratio(allocC, allocB)));
		md.append(Output.format("| what having an interceptor costs `RestClient` (a′ − a) | %.0f ns, %.0f B |\n",
				floor[0] - none[0], floor[2] - none[2]));
		// The time goals are judged on the 99.9% intervals of the extras: met when even
		// the
		// worst case within them meets the goal, not met when even the best case misses
		// it,
		// undecided when the noise of the run leaves both possible.
		double errorB = error(b, floor);
		double errorC = error(c, floor);
		String timeRatio = verdict((timeC - errorC) >= FACTOR * Math.max(timeB + errorB, 0) && timeC - errorC > 0,
				(timeB - errorB) > 0 && (timeC + errorC) < FACTOR * (timeB - errorB));
		String timeLimit = verdict(timeB + errorB < TIME_LIMIT_NS, timeB - errorB >= TIME_LIMIT_NS);
		boolean allocMet = allocB <= 0 || allocC / allocB >= FACTOR;
		md.append("\nGoals: with `RestClient`, TokenKit's extra time over the no-op-interceptor floor at least 5 times "
				+ "smaller than Spring Security's: ");
		md.append(timeRatio)
			.append(Output.format(" (%.0f ± %.0f against %.0f ± %.0f ns)", timeB, errorB, timeC, errorC));
		md.append(", and under 0.1 µs: ").append(timeLimit);
		md.append("; its extra allocation at least 5 times smaller: ").append(Output.met(allocMet));
		md.append(Output.format(" (%.0f against %.0f B, ", allocB, allocC))
			.append(ratio(allocC, allocB))
			.append(" times smaller).\n");
		md.append("\nDiagnostic (same run): an interceptor that sets a constant `Authorization` header on the request, "
				+ "the least a header-adding interceptor does.\n\n");
		md.append("| diagnostic | ns/op | ± | extra over floor, ns | B/op | extra B/op over floor |\n");
		md.append("|---|---:|---:|---:|---:|---:|\n");
		double[] header = rows.get("headerInterceptor");
		if (header != null) {
			md.append(Output.format("| `headerInterceptor` | %.0f | %.0f | %.0f | %.0f | %.0f |\n", header[0],
					header[1], header[0] - floor[0], header[2], header[2] - floor[2]));
		}
		output.write("blocking-overhead.md", md);
		StringBuilder dat = new StringBuilder("# contender ns_per_op ns_error bytes_per_op\n");
		dat.append(Output.format("\"a. none\" %.1f %.1f %.0f\n", none[0], none[1], none[2]));
		dat.append(Output.format("\"a′. no-op floor\" %.1f %.1f %.0f\n", floor[0], floor[1], floor[2]));
		dat.append(Output.format("\"b. TokenKit\" %.1f %.1f %.0f\n", b[0], b[1], b[2]));
		dat.append(Output.format("\"c. Spring Security\" %.1f %.1f %.0f\n", c[0], c[1], c[2]));
		output.write("blocking-overhead.dat", dat);
	}

	private static String row(String name, double[] values, double[] floor) {
		boolean isFloor = values == floor;
		return Output.format("| %s | %.0f | %.0f | %.0f | %s | %.0f | %.0f |\n", name, values[0], values[1],
				values[0] - floor[0], isFloor ? "–" : Output.format("%.0f", error(values, floor)), values[2],
				values[2] - floor[2]);
	}

	/**
	 * The 99.9% half-width of a difference of two independent means: the root of the sum
	 * of the squares of their half-widths.
	 */
	private static double error(double[] values, double[] floor) {
		return Math.sqrt(values[1] * values[1] + floor[1] * floor[1]);
	}

	private static String verdict(boolean met, boolean notMet) {
		return met ? Output.met(true)
				: notMet ? Output.met(false) : "**undecided** (within the noise of this run: see the ± of the extras)";
	}

	private static String ratio(double numerator, double denominator) {
		return (denominator <= 0) ? "∞ (TokenKit at or below the floor)"
				: Output.format("%.1f", numerator / denominator);
	}

}
