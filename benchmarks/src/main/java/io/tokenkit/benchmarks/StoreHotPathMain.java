package io.tokenkit.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Benchmark 5c runner: starts a {@code redis-server} on a free loopback port, runs
 * {@link StoreHotPathBenchmark} with JMH and the GC profiler, stops the server, then
 * writes {@code hotpath.md}.
 * <p>
 * Arguments: the output directory, then JMH command-line options (for example
 * {@code -f 1 -wi 3 -w 1s -i 5 -r 1s}).
 */
public final class StoreHotPathMain {

	private StoreHotPathMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory followed by JMH options
	 * @throws Exception if Redis cannot be started or JMH fails
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		Path out = Path.of(args[0]).toAbsolutePath();
		Files.deleteIfExists(out.resolve("hotpath-redis-commands.txt"));
		Map<String, double[]> rows;
		try (LocalRedis redis = LocalRedis.start()) {
			rows = JmhRows.run(args, StoreHotPathBenchmark.class, "-Dtokenkit.bench.redis.port=" + redis.port(),
					"-Dtokenkit.bench.out=" + out);
		}
		Map<String, Long> commands = new LinkedHashMap<>();
		Path commandsFile = out.resolve("hotpath-redis-commands.txt");
		if (Files.exists(commandsFile)) {
			for (String line : Files.readAllLines(commandsFile)) {
				String[] parts = line.trim().split(" ");
				if (parts.length == 2) {
					commands.put(parts[0], Long.parseLong(parts[1]));
				}
			}
		}
		StringBuilder md = new StringBuilder();
		md.append("| hot path | store | ns/op | ± (99.9% CI) | time ratio to in-memory | B/op "
				+ "| Redis commands during the trial |\n");
		md.append("|---|---|---:|---:|---:|---:|---:|\n");
		List<String> verdicts = new ArrayList<>();
		boolean met = true;
		for (String path : new String[] { "cached", "filter" }) {
			double[] a = rows.get(path + "_a_inMemory");
			double[] aa = rows.get(path + "_aa_inMemoryAgain");
			double[] b = rows.get(path + "_b_redis");
			if (a == null || aa == null || b == null) {
				throw new IllegalStateException("Missing results for " + path + ": " + rows.keySet());
			}
			String label = "cached".equals(path) ? "`TokenManager.getCachedToken`" : "bearer filter, one request";
			md.append(row(label, "in-memory", a, a, commands.get(path + "_a_inMemory")));
			md.append(row(label, "in-memory again (A/A control)", aa, a, commands.get(path + "_aa_inMemoryAgain")));
			md.append(row(label, "Redis, token cached locally", b, a, commands.get(path + "_b_redis")));
			double ratio = b[0] / a[0];
			double noise = Math.abs(aa[0] / a[0] - 1);
			boolean intervalsOverlap = Math.abs(b[0] - a[0]) <= b[1] + a[1];
			boolean timeEqual = Math.abs(ratio - 1) <= noise || intervalsOverlap;
			double allocNoise = Math.max(Math.abs(aa[2] - a[2]), 1);
			boolean allocEqual = Math.abs(b[2] - a[2]) <= allocNoise;
			long redisCommands = commands.getOrDefault(path + "_b_redis", -1L);
			boolean quiet = redisCommands == 0;
			met &= timeEqual && allocEqual && quiet;
			verdicts.add(Output.format(
					"%s: Redis/in-memory %.3f against an A/A ratio of %.3f (noise ±%.1f%%)%s, %.0f against %.0f B/op, "
							+ "%s Redis commands",
					"cached".equals(path) ? "`getCachedToken`" : "filter", ratio, aa[0] / a[0], noise * 100,
					intervalsOverlap ? ", 99.9% intervals overlap" : "", b[2], a[2],
					(redisCommands >= 0) ? Long.toString(redisCommands) : "unknown"));
		}
		md.append("\nGoal: the hot path with the Redis store equal to the in-memory store within the A/A noise, "
				+ "in time (no farther from 1 than the A/A ratio, or 99.9% intervals overlapping) and allocation "
				+ "(B/op within the A/A difference, at least 1 B), with no Redis command: ")
			.append(Output.met(met))
			.append(" (")
			.append(String.join("; ", verdicts))
			.append(").\n");
		output.write("hotpath.md", md);
		System.out.print(md);
	}

	private static String row(String path, String store, double[] values, double[] base, @Nullable Long commands) {
		return Output.format("| %s | %s | %.1f | %.1f | %.3f | %.0f | %s |%n", path, store, values[0], values[1],
				values[0] / base[0], values[2], (commands != null) ? Long.toString(commands) : "–");
	}

}
