package io.tokenkit.benchmarks;

import java.util.Map;

/**
 * Benchmark 10 runner: runs {@link SubjectTokenKeyBenchmark} with JMH and the GC
 * profiler, then writes {@code token-exchange.md}: per method, the time and allocation of
 * a request's key through a token-exchange registration beside the default resolver.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class SubjectTokenKeyMain {

	private SubjectTokenKeyMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Map<String, double[]> rows = JmhRows.run(args, SubjectTokenKeyBenchmark.class);
		StringBuilder md = new StringBuilder();
		md.append("| benchmark | ns/op | ± | B/op |\n");
		md.append("|---|---:|---:|---:|\n");
		for (String method : new String[] { "attributes", "fingerprint", "resolve" }) {
			double[] row = rows.get(method);
			if (row != null) {
				md.append(Output.format("| %s | %.1f | %.1f | %.0f |%n", name(method), row[0], row[1], row[2]));
			}
		}
		output.write("token-exchange.md", md);
		System.out.print(md);
	}

	private static String name(String method) {
		return switch (method) {
			case "attributes" -> "`attributes` (default resolver of other registrations)";
			case "fingerprint" -> "`fingerprint` (SHA-256 + base64url of the token)";
			default -> "`resolve` (the whole key of an exchange registration, token already held)";
		};
	}

}
