package io.tokenkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every shell command shown in {@code README.md}, {@code CONTRIBUTING.md} and
 * {@code docs/*.md} is either run by the test command (this class knows which test or
 * build step runs each, checks that it does, and runs the cheap ones again) or listed
 * with its reason in {@code docs/commands-not-run.md}.
 */
class DocumentationCommandsTests {

	private static final Path ROOT = Path.of("..");

	private static final Path NOT_RUN = ROOT.resolve("docs/commands-not-run.md");

	private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~)(\\S*)");

	private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

	/** A code span that is a command: a program with arguments, or a script. */
	private static final Pattern COMMAND = Pattern.compile("^(?:\\./mvnw |mvn |curl |sudo |apt-get |openssl |java "
			+ "|git |docker |export |[A-Z][A-Z_]*=\\S* |\\.ci/run$|(?:\\.\\./)?[\\w./-]+\\.sh(?: |$))");

	/** A call of the running sample app, as the docs show them. */
	private static final Pattern SAMPLE_CALL = Pattern
		.compile("^curl -s (?:-X POST )?localhost:8080(/[^ ?]*)(?: \\| grep .*)?$");

	private static final Path SAMPLE_TESTS = ROOT.resolve("sample-app/src/test/java");

	/**
	 * The commands the test command runs, each with the test or build step that runs it
	 * and a check that it still does (run again where cheap).
	 */
	private static final Map<String, Run> RUN = new LinkedHashMap<>();

	static {
		run("./mvnw -B test", "the test command: .ci/run, the CI entry point, runs exactly this",
				() -> assertThat(Files.readAllLines(ROOT.resolve(".ci/run"))).contains("./mvnw -B test"));
		run(".ci/run", "CI runs it", () -> assertThat(ROOT.resolve(".ci/run")).isExecutable());
		run("./mvnw -B -pl sample-app -am test", "part of the test command (sample-app is one of its modules)",
				() -> assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("<module>sample-app</module>"));
		run("./mvnw -pl sample-app -am spring-boot:test-run",
				"TestSampleApplicationTests (sample), which starts TestSampleApplication, the one main class of the sample's "
						+ "tests and so what spring-boot:test-run runs, and calls its demos; the goal itself runs until stopped",
				() -> {
					assertThat(Files.readString(ROOT.resolve("sample-app/pom.xml")))
						.contains("<spring-boot.run.skip>false</spring-boot.run.skip>");
					assertThat(sampleTestSource("TestSampleApplicationTests")).contains("TestSampleApplication.run(");
					assertThat(sampleTestSource("TestSampleApplication")).contains("public static void main(")
						.contains("run(args);");
					try (Stream<Path> files = Files.walk(SAMPLE_TESTS)) {
						assertThat(files.filter((file) -> file.toString().endsWith(".java"))
							.filter((file) -> read(file).contains("static void main("))
							.map((file) -> file.getFileName().toString()))
							.as("main classes among the sample's tests, of which spring-boot:test-run needs one")
							.containsExactly("TestSampleApplication.java");
					}
				});
		run("scripts/install-test-packages.sh",
				"the build, before each module's tests (parent pom); run again here for redis-server, installed by then",
				() -> {
					assertThat(Files.readString(ROOT.resolve("pom.xml"))).contains("scripts/install-test-packages.sh");
					assertThat(exec("scripts/install-test-packages.sh", "redis-server")).isZero();
				});
		run("scripts/find-jdk.sh",
				"the build, before the virtual-thread tests (core's pom); run again here for a JDK 21+, which the build needs",
				() -> {
					assertThat(Files.readString(ROOT.resolve("core/pom.xml"))).contains("scripts/find-jdk.sh");
					assertThat(exec("scripts/find-jdk.sh", "21")).isZero();
				});
	}

	private static String sampleTestSource(String className) throws IOException {
		return Files.readString(SAMPLE_TESTS.resolve("io/tokenkit/sample/" + className + ".java"));
	}

	private static String read(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Test
	void everyCommandOfTheDocsIsRunOrListedWithItsReason() throws IOException {
		Set<String> notRun = notRun();
		Map<String, String> shown = commands(pages(ROOT));
		assertThat(shown).as("commands found in the docs").hasSizeGreaterThan(20);
		List<String> unaccounted = new ArrayList<>();
		shown.forEach((command, where) -> {
			if (!notRun.contains(command) && !RUN.containsKey(command) && !SAMPLE_CALL.matcher(command).matches()) {
				unaccounted.add(where + ": " + command);
			}
		});
		assertThat(unaccounted).as("""
				commands of the docs that no test or build step runs; run them in a test and add them to %s's \
				RUN, or list them with the reason in %s""", getClass().getSimpleName(), NOT_RUN.normalize()).isEmpty();
	}

	@Test
	void everyCommandSaidToBeRunIsRun() throws Exception {
		for (Map.Entry<String, Run> entry : RUN.entrySet()) {
			try {
				entry.getValue().check().run();
			}
			catch (AssertionError | Exception ex) {
				throw new AssertionError(
						"'" + entry.getKey() + "' is said to be run by " + entry.getValue().by() + ", but: " + ex, ex);
			}
		}
	}

	@Test
	void everySampleCallOfTheDocsIsMadeByATestOfTheSample() throws IOException {
		List<String> sampleTests = new ArrayList<>();
		try (Stream<Path> files = Files.walk(SAMPLE_TESTS)) {
			for (Path file : files.filter((file) -> file.toString().endsWith(".java")).toList()) {
				sampleTests.add(Files.readString(file, StandardCharsets.UTF_8));
			}
		}
		List<String> calls = new ArrayList<>();
		List<String> untested = new ArrayList<>();
		commands(pages(ROOT)).forEach((command, where) -> {
			Matcher call = SAMPLE_CALL.matcher(command);
			if (call.matches()) {
				calls.add(command);
				String path = call.group(1);
				if (sampleTests.stream().noneMatch((source) -> source.contains("\"" + path))) {
					untested.add(where + ": " + command);
				}
			}
		});
		assertThat(calls).as("calls of the sample app shown in the docs").hasSizeGreaterThan(5);
		assertThat(untested).as("calls of the sample whose path no test in %s requests", SAMPLE_TESTS.normalize())
			.isEmpty();
	}

	@Test
	void everyListedCommandIsShownSomewhere() throws IOException {
		Set<String> shown = commands(pages(ROOT)).keySet();
		assertThat(notRun()).as("commands of %s that no page shows any more: remove them", NOT_RUN.normalize())
			.isSubsetOf(shown);
		assertThat(RUN.keySet()).as("commands of RUN that no page shows any more: remove them").isSubsetOf(shown);
	}

	@Test
	void commandsAreFoundInBlocksSpansAndPromptLines(@TempDir Path root) throws IOException {
		Files.writeString(root.resolve("README.md"), """
				Run `./mvnw -B test` or `.ci/run`; the wrapper `./mvnw` and `docs/` are no commands.

				```bash
				./mvnw -pl app \\
				  spring-boot:run
				# a comment
				```

				```
				$ curl -s localhost:8080/a
				{"output": true}
				```

				| what | command |
				|---|---|
				| grep | `curl -s localhost:8080/b \\| grep x` |
				""");
		assertThat(commands(List.of(root.resolve("README.md")))).containsOnlyKeys("./mvnw -B test", ".ci/run",
				"./mvnw -pl app spring-boot:run", "curl -s localhost:8080/a", "curl -s localhost:8080/b | grep x");
	}

	/** Return the commands listed in the first column of docs/commands-not-run.md. */
	private static Set<String> notRun() throws IOException {
		Set<String> listed = new LinkedHashSet<>();
		for (String line : Files.readAllLines(NOT_RUN, StandardCharsets.UTF_8)) {
			if (line.startsWith("| `")) {
				Matcher span = CODE_SPAN.matcher(line.substring(1, line.indexOf(" | ")));
				while (span.find()) {
					listed.add(normalized(span.group(1)));
				}
			}
		}
		assertThat(listed).as("commands listed in %s", NOT_RUN.normalize()).isNotEmpty();
		return listed;
	}

	/**
	 * Return the commands of the pages, each with the first place it is shown: every line
	 * of a {@code bash}, {@code sh}, {@code shell} or {@code console} block (a line
	 * ending in {@code \} continued by the next), every {@code $ } line of another block,
	 * and every code span outside blocks that starts with a command.
	 */
	static Map<String, String> commands(List<Path> pages) throws IOException {
		Map<String, String> commands = new LinkedHashMap<>();
		for (Path page : pages) {
			String fence = null;
			StringBuilder continued = new StringBuilder();
			int number = 0;
			for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
				number++;
				String where = ROOT.toAbsolutePath().normalize().relativize(page.toAbsolutePath().normalize()) + ":"
						+ number;
				Matcher opening = FENCE.matcher(line);
				if (opening.find()) {
					fence = (fence != null) ? null : opening.group(2);
					continue;
				}
				String text = line.strip();
				if (fence != null) {
					boolean shell = List.of("bash", "sh", "shell", "console").contains(fence);
					if (text.startsWith("$ ")) {
						text = text.substring(2);
					}
					else if (!shell || text.isEmpty() || text.startsWith("#")) {
						continue;
					}
					if (text.endsWith("\\")) {
						continued.append(text, 0, text.length() - 1).append(' ');
						continue;
					}
					commands.putIfAbsent(normalized(continued + text), where);
					continued.setLength(0);
					continue;
				}
				Matcher span = CODE_SPAN.matcher(line);
				while (span.find()) {
					String command = normalized(span.group(1).replace("\\|", "|"));
					if (COMMAND.matcher(command).find()) {
						commands.putIfAbsent(command, where);
					}
				}
			}
		}
		return commands;
	}

	private static String normalized(String command) {
		return command.strip().replaceAll("\\s+", " ");
	}

	/**
	 * Return {@code README.md}, {@code CONTRIBUTING.md} and every {@code docs/*.md} but
	 * the list of commands not run.
	 */
	private static List<Path> pages(Path root) throws IOException {
		List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md")));
		try (Stream<Path> files = Files.list(root.resolve("docs"))) {
			files.filter((file) -> file.toString().endsWith(".md") && !file.endsWith(NOT_RUN.getFileName()))
				.sorted()
				.forEach(pages::add);
		}
		return pages;
	}

	private static int exec(String script, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(ROOT.resolve(script).toAbsolutePath().toString()));
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).directory(ROOT.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		if (!process.waitFor(60, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not end within 60 seconds");
		}
		return process.exitValue();
	}

	private static void run(String command, String by, Check check) {
		RUN.put(command, new Run(by, check));
	}

	private record Run(String by, Check check) {
	}

	@FunctionalInterface
	private interface Check {

		void run() throws Exception;

	}

}
