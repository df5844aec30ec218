package io.tokenkit.benchmarks;

import java.util.Map;

/**
 * Benchmark 7 runner: runs {@link ClientAuthenticationBenchmark} with JMH and the GC
 * profiler, then writes {@code client-authentication.md}: per method, the time and
 * allocation of one {@code authenticate} call and of one token call on loopback, and what
 * {@code private_key_jwt} adds over {@code client_secret_basic}.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class ClientAuthenticationMain {

	private static final String[] METHODS = { "ClientSecretBasic", "PrivateKeyJwtPs256", "PrivateKeyJwtEs256" };

	private ClientAuthenticationMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Map<String, double[]> rows = JmhRows.run(args, ClientAuthenticationBenchmark.class);
		StringBuilder md = new StringBuilder();
		md.append("| method | authenticate: µs/op | ± | B/op | token call on loopback: µs/op | ± | B/op "
				+ "| added per token call over client_secret_basic: µs |\n");
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|\n");
		double[] basicCall = rows.get("tokenCallClientSecretBasic");
		for (String method : METHODS) {
			double[] authenticate = rows.get("authenticate" + method);
			double[] call = rows.get("tokenCall" + method);
			if (authenticate == null || call == null) {
				continue;
			}
			md.append(Output.format("| %s | %.2f | %.2f | %.0f | %.1f | %.1f | %.0f | %s |%n", name(method),
					authenticate[0], authenticate[1], authenticate[2], call[0], call[1], call[2],
					(basicCall != null) ? Output.format("%.1f", call[0] - basicCall[0]) : "n/a"));
		}
		output.write("client-authentication.md", md);
		System.out.print(md);
	}

	private static String name(String method) {
		return switch (method) {
			case "ClientSecretBasic" -> "`client_secret_basic`";
			case "PrivateKeyJwtPs256" -> "`private_key_jwt` PS256 (RSA 2048)";
			default -> "`private_key_jwt` ES256 (P-256)";
		};
	}

}
