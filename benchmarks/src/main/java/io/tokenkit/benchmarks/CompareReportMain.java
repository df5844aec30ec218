package io.tokenkit.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The report of {@code benchmarks/compare.sh}: reads the JMH JSON results of the hot-path
 * benchmarks run in rounds on a base build and on the working tree's build, and writes
 * {@code compare-body.md}: per benchmark method both scores, their ratio and allocation,
 * then issue 17's two checks and the A/A noise between rounds of the same build.
 * <p>
 * Arguments: the directory holding the JSON files, named
 * {@code base-r<round>-<part>.json} and {@code new-r<round>-<part>.json}, then the labels
 * of the base and the new build.
 */
public final class CompareReportMain {

	private static final Pattern FILE = Pattern.compile("(base|new)-r(\\d+)-[\\w-]+\\.json");

	/** Check (a): every method within this fraction of its base score. */
	private static final double BOUND = 0.10;

	/** Check (b): TokenKit's extra time at most this many times the header's. */
	private static final double HEADER_FACTOR = 1.1;

	/** Check (b): bytes of {@code gc.alloc.rate.norm} read as no difference. */
	private static final double ALLOCATION_TOLERANCE = 1;

	private static final String INTERCEPTOR = "InterceptorOverheadBenchmark.";

	private static final String TOKEN_KIT = INTERCEPTOR + "b_tokenKit";

	private static final String NOOP = INTERCEPTOR + "a2_noopInterceptor";

	private static final String HEADER = INTERCEPTOR + "headerInterceptor";

	private CompareReportMain() {
	}

	/**
	 * Write the report.
	 * @param args the directory of the JSON files, the base label and the new label
	 * @throws IOException if the directory cannot be read
	 */
	public static void main(String[] args) throws IOException {
		Path directory = Path.of(args[0]);
		Map<String, Map<String, TreeMap<Integer, Sample>>> builds = read(directory);
		Map<String, TreeMap<Integer, Sample>> base = builds.get("base");
		Map<String, TreeMap<Integer, Sample>> fresh = builds.get("new");
		List<String> methods = new ArrayList<>(base.keySet());
		fresh.keySet().stream().filter((method) -> !base.containsKey(method)).forEach(methods::add);

		StringBuilder md = new StringBuilder();
		md.append(Output.format("| method | base %s ns/op | new %s ns/op | new/base (per round) | B/op base "
				+ "| B/op new | A/A base | A/A new | (a) ±10 %% |%n", args[1], args[2]));
		md.append("|---|---:|---:|---:|---:|---:|---:|---:|---|\n");
		Verdict a = Verdict.MET;
		List<String> outside = new ArrayList<>();
		List<String> onlyOne = new ArrayList<>();
		for (String method : methods) {
			TreeMap<Integer, Sample> b = base.get(method);
			TreeMap<Integer, Sample> n = fresh.get(method);
			if (b == null || n == null) {
				String where = (b == null) ? "only in the new build" : "only in the base build";
				onlyOne.add("`" + method + "` " + where);
				md.append(Output.format("| `%s` | %s | %s | %s | %s | %s | %s | %s | not compared |%n", method,
						score(b), score(n), where, alloc(b), alloc(n), aa(b), aa(n)));
				continue;
			}
			double[] ratios = b.keySet()
				.stream()
				.filter(n::containsKey)
				.mapToDouble((round) -> n.get(round).score() / b.get(round).score())
				.toArray();
			String verdict;
			if (TOKEN_KIT.equals(method)) {
				verdict = "exempt, see (b)";
			}
			else {
				Verdict v = between(ratios, 1 - BOUND, 1 + BOUND);
				a = a.and(v);
				verdict = v.label;
				if (v != Verdict.MET) {
					outside.add(Output.format("`%s` %s", method,
							(ratios.length == 1) ? Output.format("%.3f", ratios[0]) : range(ratios)));
				}
			}
			md.append(Output.format("| `%s` | %s | %s | %.3f %s | %s | %s | %s | %s | %s |%n", method, score(b),
					score(n), mean(n, Sample::score) / mean(b, Sample::score), range(ratios), alloc(b), alloc(n), aa(b),
					aa(n), verdict));
		}
		md.append("\nScores: the mean of the rounds, ± half the spread between rounds and JMH's 99.9 % error "
				+ "(the largest of the rounds'). Per round: that round's new/base ratio (base and new ran "
				+ "one after the other). A/A: the largest score of a build's rounds over its smallest, the noise "
				+ "between identical runs.\n\n");
		md.append(Output.format(
				"- (a) every hot-path method within ±10 %% of the base (TokenKit's `RestClient` "
						+ "interceptor aside, see (b)); undecided where the per-round ratios cross a bound: %s%s.%n",
				a.label, outside.isEmpty() ? "" : " (" + String.join("; ", outside) + ")"));
		if (fresh.values().stream().allMatch((rounds) -> rounds.size() < 2)) {
			md.append("  One round: no spread between rounds, so no verdict can be undecided and each rests on a "
					+ "single ratio; run R=2 or more before relying on it.\n");
		}
		md.append("- (b) TokenKit's `RestClient` interceptor on the new build: ")
			.append(interceptor(fresh))
			.append('\n');
		md.append("  On the base build, for reference: ").append(interceptor(base)).append('\n');
		md.append("- A/A noise: ").append(noise(base, "base")).append("; ").append(noise(fresh, "new")).append(".\n");
		if (!onlyOne.isEmpty()) {
			md.append("- Not compared: ").append(String.join("; ", onlyOne)).append(".\n");
		}
		new Output(args[0]).write("compare-body.md", md);
	}

	private static Map<String, Map<String, TreeMap<Integer, Sample>>> read(Path directory) throws IOException {
		Map<String, Map<String, TreeMap<Integer, Sample>>> builds = new TreeMap<>();
		builds.put("base", new LinkedHashMap<>());
		builds.put("new", new LinkedHashMap<>());
		JsonMapper mapper = JsonMapper.builder().build();
		List<Path> files;
		try (Stream<Path> listing = Files.list(directory)) {
			files = listing.sorted().toList();
		}
		for (Path file : files) {
			Matcher matcher = FILE.matcher(file.getFileName().toString());
			if (!matcher.matches()) {
				continue;
			}
			Map<String, TreeMap<Integer, Sample>> build = builds.get(matcher.group(1));
			int round = Integer.parseInt(matcher.group(2));
			for (JsonNode result : mapper.readTree(file)) {
				String benchmark = result.path("benchmark").asString();
				String method = benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1);
				JsonNode params = result.path("params");
				if (!params.isMissingNode() && !params.isEmpty()) {
					method += params.toString();
				}
				JsonNode primary = result.path("primaryMetric");
				double alloc = Double.NaN;
				for (Map.Entry<String, JsonNode> metric : result.path("secondaryMetrics").properties()) {
					if (metric.getKey().endsWith("gc.alloc.rate.norm")) {
						alloc = number(metric.getValue().path("score"));
					}
				}
				build.computeIfAbsent(method, (key) -> new TreeMap<>())
					.put(round, new Sample(number(primary.path("score")), number(primary.path("scoreError")), alloc));
			}
		}
		if (builds.get("base").isEmpty() || builds.get("new").isEmpty()) {
			throw new IllegalStateException("No JMH results of the base or the new build in " + directory
					+ ": expected files named base-r<round>-<part>.json and new-r<round>-<part>.json");
		}
		return builds;
	}

	/** A JMH figure: a number, or the string "NaN" (the error of a single iteration). */
	private static double number(JsonNode node) {
		return node.isNumber() ? node.doubleValue() : Double.NaN;
	}

	/**
	 * Check (b) on one build: TokenKit's extra time over the no-op interceptor at most
	 * 1.1 times that of the constant-header interceptor, and no more allocation than it.
	 */
	private static String interceptor(Map<String, TreeMap<Integer, Sample>> build) {
		TreeMap<Integer, Sample> tokenKit = build.get(TOKEN_KIT);
		TreeMap<Integer, Sample> noop = build.get(NOOP);
		TreeMap<Integer, Sample> header = build.get(HEADER);
		if (tokenKit == null || noop == null || header == null) {
			return Output.format("%s: `%s`, `%s` and `%s` are not all in this build.", Verdict.UNDECIDED.label,
					TOKEN_KIT, NOOP, HEADER);
		}
		List<Integer> rounds = tokenKit.keySet()
			.stream()
			.filter((round) -> noop.containsKey(round) && header.containsKey(round))
			.toList();
		double[] factors = new double[rounds.size()];
		double[] margins = new double[rounds.size()];
		double[] allocations = new double[rounds.size()];
		for (int i = 0; i < rounds.size(); i++) {
			Sample t = tokenKit.get(rounds.get(i));
			Sample o = noop.get(rounds.get(i));
			Sample h = header.get(rounds.get(i));
			factors[i] = (t.score() - o.score()) / (h.score() - o.score());
			margins[i] = (h.score() > o.score()) ? (t.score() - o.score()) - HEADER_FACTOR * (h.score() - o.score())
					: Double.NaN;
			allocations[i] = t.alloc() - h.alloc();
		}
		Verdict time = between(margins, Double.NEGATIVE_INFINITY, 0);
		// B/op differs a little between identical runs: the spread between rounds widens
		// the tolerance
		double tolerance = Math.max(ALLOCATION_TOLERANCE,
				Math.max(spread(tokenKit, Sample::alloc), spread(header, Sample::alloc)));
		Verdict allocation = between(allocations, Double.NEGATIVE_INFINITY, tolerance);
		double extraTokenKit = mean(tokenKit, Sample::score) - mean(noop, Sample::score);
		double extraHeader = mean(header, Sample::score) - mean(noop, Sample::score);
		String factor = (extraHeader > 0)
				? Output.format("%.2f ×", extraTokenKit / extraHeader) + (" " + range(factors)).stripTrailing()
				: "no factor (the constant-header interceptor measured no slower than the no-op one)";
		return Output.format(
				"extra time over the no-op interceptor %.1f ns, the constant-header interceptor's %.1f ns: %s, "
						+ "at most %.1f ×: %s; B/op %.0f against the header's %.0f (no more, %.0f B tolerance): "
						+ "%s; together: %s.",
				extraTokenKit, extraHeader, factor, HEADER_FACTOR, time.label, mean(tokenKit, Sample::alloc),
				mean(header, Sample::alloc), tolerance, allocation.label, time.and(allocation).label);
	}

	private static String noise(Map<String, TreeMap<Integer, Sample>> build, String name) {
		@Nullable String worst = null;
		double largest = 0;
		for (Map.Entry<String, TreeMap<Integer, Sample>> entry : build.entrySet()) {
			double value = spreadRatio(entry.getValue());
			if (!Double.isNaN(value) && value >= largest) {
				largest = value;
				worst = entry.getKey();
			}
		}
		return (worst != null) ? Output.format("%s build up to %.3f (`%s`)", name, largest, worst)
				: name + " build: one round, no A/A figure (run R=2 or more)";
	}

	/**
	 * Return met when every value lies within the bounds, not met when none does, and
	 * undecided otherwise (a value that is not a number is undecided).
	 */
	private static Verdict between(double[] values, double low, double high) {
		int inside = 0;
		for (double value : values) {
			if (Double.isNaN(value)) {
				return Verdict.UNDECIDED;
			}
			inside += (value >= low && value <= high) ? 1 : 0;
		}
		if (values.length == 0) {
			return Verdict.UNDECIDED;
		}
		return (inside == values.length) ? Verdict.MET : (inside == 0) ? Verdict.NOT_MET : Verdict.UNDECIDED;
	}

	private static String range(double[] values) {
		if (values.length < 2) {
			return "";
		}
		double low = Double.POSITIVE_INFINITY;
		double high = Double.NEGATIVE_INFINITY;
		for (double value : values) {
			low = Math.min(low, value);
			high = Math.max(high, value);
		}
		return Output.format("(%.3f–%.3f)", low, high);
	}

	private static double mean(Map<Integer, Sample> rounds, ToDoubleFunction<Sample> value) {
		return rounds.values().stream().mapToDouble(value).average().orElse(Double.NaN);
	}

	private static String score(@Nullable Map<Integer, Sample> rounds) {
		if (rounds == null) {
			return "–";
		}
		double error = rounds.values().stream().mapToDouble(Sample::error).max().orElse(Double.NaN);
		String jmh = Double.isNaN(error) ? "JMH ±–" : Output.format("JMH ±%.1f", error);
		return (rounds.size() < 2) ? Output.format("%.1f (%s)", mean(rounds, Sample::score), jmh)
				: Output.format("%.1f ±%.1f (%s)", mean(rounds, Sample::score), spread(rounds, Sample::score) / 2, jmh);
	}

	private static String alloc(@Nullable Map<Integer, Sample> rounds) {
		return (rounds != null) ? Output.format("%.0f", mean(rounds, Sample::alloc)) : "–";
	}

	private static String aa(@Nullable Map<Integer, Sample> rounds) {
		double value = (rounds != null) ? spreadRatio(rounds) : Double.NaN;
		return Double.isNaN(value) ? "–" : Output.format("%.3f", value);
	}

	private static double spread(Map<Integer, Sample> rounds, ToDoubleFunction<Sample> value) {
		double high = rounds.values().stream().mapToDouble(value).max().orElse(Double.NaN);
		double low = rounds.values().stream().mapToDouble(value).min().orElse(Double.NaN);
		return high - low;
	}

	/** The largest score of the rounds over the smallest; not a number for one round. */
	private static double spreadRatio(Map<Integer, Sample> rounds) {
		if (rounds.size() < 2) {
			return Double.NaN;
		}
		double high = rounds.values().stream().mapToDouble(Sample::score).max().orElse(Double.NaN);
		double low = rounds.values().stream().mapToDouble(Sample::score).min().orElse(Double.NaN);
		return high / low;
	}

	/** One round's result of one benchmark method: ns/op, JMH's error and B/op. */
	private record Sample(double score, double error, double alloc) {
	}

	/** The outcome of a check. */
	private enum Verdict {

		MET("**met**"), UNDECIDED("**undecided (within noise)**"), NOT_MET("**not met**");

		private final String label;

		Verdict(String label) {
			this.label = label;
		}

		Verdict and(Verdict other) {
			return (other.ordinal() > ordinal()) ? other : this;
		}

	}

}
