package io.tokenkit.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs the methods of one JMH benchmark class with the GC profiler and returns, per
 * method, its score, the score's error and its allocation per operation: what the runners
 * of the benchmarks read from JMH.
 */
final class JmhRows {

	private JmhRows() {
	}

	/**
	 * Run a benchmark class.
	 * @param args the runner's arguments: the output directory, then JMH options
	 * @param benchmark the benchmark class
	 * @param jvmArgs more arguments of the forked JVMs
	 * @return per method name (without the class): score, score error, bytes per
	 * operation
	 * @throws Exception if JMH fails
	 */
	static Map<String, double[]> run(String[] args, Class<?> benchmark, String... jvmArgs) throws Exception {
		String[] jmhArgs = new String[args.length - 1];
		System.arraycopy(args, 1, jmhArgs, 0, args.length - 1);
		Collection<RunResult> results = new Runner(new OptionsBuilder().parent(new CommandLineOptions(jmhArgs))
			.include(benchmark.getName().replace(".", "\\.") + "\\..*")
			.addProfiler("gc")
			.jvmArgsAppend(jvmArgs)
			.build()).run();
		return rows(results);
	}

	/**
	 * Return the rows of JMH results by benchmark method name: score, score error and
	 * bytes allocated per operation.
	 * @param results the results of a run with the {@code gc} profiler
	 * @return the rows, in the order of the results
	 */
	static Map<String, double[]> rows(Collection<RunResult> results) {
		Map<String, double[]> rows = new LinkedHashMap<>();
		for (RunResult result : results) {
			String name = result.getParams().getBenchmark();
			name = name.substring(name.lastIndexOf('.') + 1);
			Result<?> primary = result.getPrimaryResult();
			Result<?> alloc = result.getSecondaryResults()
				.entrySet()
				.stream()
				.filter((e) -> e.getKey().endsWith("gc.alloc.rate.norm"))
				.map(Map.Entry::getValue)
				.findFirst()
				.orElseThrow(() -> new IllegalStateException(
						"No gc.alloc.rate.norm for " + result.getParams().getBenchmark()));
			rows.put(name, new double[] { primary.getScore(), primary.getScoreError(), alloc.getScore() });
		}
		return rows;
	}

}
