package io.tokenkit.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the code blocks of the docs are the compiled examples they say they are: a
 * code block of {@code README.md}, {@code CONTRIBUTING.md} or {@code docs/*.md} preceded
 * by {@code <!-- snippet: path/from/the/root#tag -->} must be, line for line, the region
 * between {@code tag::tag[]} and {@code end::tag[]} of that file (in a comment of any
 * kind; other tag lines inside it left out, the region's common indentation removed), or
 * the whole file without {@code #tag}.
 */
class DocsSnippetsTests {

	private static final Path ROOT = Path.of("..");

	/** The command that copies every region into its page. */
	static final String WRITE_COMMAND = "./mvnw -B -pl autoconfigure -am test -Dtest=DocsSnippetsTests "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -Dtokenkit.docs.write=true";

	private static final Pattern SNIPPET = Pattern.compile("^<!-- snippet: ([^#\\s]+)(?:#(\\S+))? -->$");

	private static final Pattern FENCE = Pattern.compile("^(```|~~~)");

	private static final Pattern TAG_LINE = Pattern.compile("(?:tag|end)::[\\w-]+\\[]");

	@Test
	void everyMarkedCodeBlockIsItsCompiledRegion() throws IOException {
		if (Boolean.getBoolean("tokenkit.docs.write")) {
			for (Path page : pages(ROOT)) {
				copyRegionsInto(ROOT, page);
			}
		}
		List<Snippet> snippets = snippets(ROOT, pages(ROOT));
		assertThat(snippets).as("marked code blocks of the docs").hasSizeGreaterThanOrEqualTo(6);
		List<String> problems = new ArrayList<>();
		for (Snippet snippet : snippets) {
			String problem = problem(ROOT, snippet);
			if (problem != null) {
				problems.add(problem);
			}
		}
		assertThat(problems).as("""
				code blocks that differ from their source; copy the regions into the pages with
				  %s
				""", WRITE_COMMAND).isEmpty();
	}

	@Test
	void copyWhenACodeBlockDiffersThenItBecomesTheRegion(@TempDir Path root) throws IOException {
		Files.writeString(root.resolve("Example.java"), """
				class Example {
					// tag::body[]
					int answer() {
						return 42;
					}
					// end::body[]
				}
				""");
		Files.writeString(root.resolve("README.md"), """
				Before.

				<!-- snippet: Example.java#body -->
				```java
				int answer() { return 41; }
				```

				After.
				""");
		copyRegionsInto(root, root.resolve("README.md"));
		assertThat(root.resolve("README.md")).content().isEqualTo("""
				Before.

				<!-- snippet: Example.java#body -->
				```java
				int answer() {
					return 42;
				}
				```

				After.
				""");
	}

	/** Replace the code block after each marker of the page by its region. */
	private static void copyRegionsInto(Path root, Path page) throws IOException {
		List<String> lines = new ArrayList<>(Files.readAllLines(page, StandardCharsets.UTF_8));
		List<Snippet> snippets = new ArrayList<>(snippets(root, List.of(page)));
		Collections.reverse(snippets);
		for (Snippet snippet : snippets) {
			String expected = expected(root, snippet);
			if (expected == null) {
				continue;
			}
			int open = snippet.line();
			while (!FENCE.matcher(lines.get(open)).find()) {
				open++;
			}
			int close = open + 1;
			while (!FENCE.matcher(lines.get(close)).find()) {
				close++;
			}
			lines.subList(open + 1, close).clear();
			lines.addAll(open + 1, List.of(expected.split("\n", -1)));
		}
		Files.writeString(page, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
	}

	/** Return the region a snippet shows, or {@code null} when there is none. */
	private static String expected(Path root, Snippet snippet) {
		try {
			List<String> region = region(Files.readAllLines(root.resolve(snippet.file()), StandardCharsets.UTF_8),
					snippet.tag());
			return (region != null) ? dedented(region) : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

	@Test
	void checkWhenACodeBlockDiffersThenItIsReported(@TempDir Path root) throws IOException {
		Files.writeString(root.resolve("Example.java"), """
				class Example {
					// tag::body[]
					int answer() {
						// tag::inner[]
						return 42;
						// end::inner[]
					}
					// end::body[]
				}
				""");
		Files.writeString(root.resolve("README.md"), """
				<!-- snippet: Example.java#body -->
				```java
				int answer() {
					return 42;
				}
				```

				<!-- snippet: Example.java#inner -->
				```java
				return 41;
				```

				<!-- snippet: Example.java#missing -->
				```java
				```
				""");
		List<String> problems = snippets(root, List.of(root.resolve("README.md"))).stream()
			.map((snippet) -> problem(root, snippet))
			.toList();
		assertThat(problems.get(0)).isNull();
		assertThat(problems.get(1)).contains("README.md:8", "Example.java#inner", "return 42;");
		assertThat(problems.get(2)).contains("no region tag::missing[]");
	}

	/** Return why the snippet's code block is not its source, or {@code null}. */
	private static String problem(Path root, Snippet snippet) {
		Path file = root.resolve(snippet.file());
		String where = root.relativize(snippet.page()) + ":" + snippet.line() + ": " + snippet.file()
				+ ((snippet.tag() != null) ? "#" + snippet.tag() : "");
		if (!Files.isRegularFile(file)) {
			return where + ": no such file";
		}
		List<String> lines;
		try {
			lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return where + ": " + ex;
		}
		List<String> region = region(lines, snippet.tag());
		if (region == null) {
			return where + ": no region tag::" + snippet.tag() + "[] … end::" + snippet.tag() + "[] in the file";
		}
		String expected = dedented(region);
		String actual = String.join("\n", snippet.code()).strip();
		return expected.equals(actual) ? null
				: where + ": the code block differs from the file's region, which is:\n" + expected;
	}

	private static List<String> region(List<String> lines, String tag) {
		if (tag == null) {
			return lines.stream().filter((line) -> !TAG_LINE.matcher(line).find()).toList();
		}
		int begin = -1;
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains("tag::" + tag + "[]")) {
				begin = i + 1;
			}
			else if (begin >= 0 && lines.get(i).contains("end::" + tag + "[]")) {
				return lines.subList(begin, i).stream().filter((line) -> !TAG_LINE.matcher(line).find()).toList();
			}
		}
		return null;
	}

	private static String dedented(List<String> lines) {
		int indent = lines.stream()
			.filter((line) -> !line.isBlank())
			.mapToInt((line) -> line.length() - line.stripLeading().length())
			.min()
			.orElse(0);
		return lines.stream()
			.map((line) -> line.isBlank() ? "" : line.substring(indent).stripTrailing())
			.collect(Collectors.joining("\n"))
			.strip();
	}

	/** Return the marked code blocks of the pages. */
	private static List<Snippet> snippets(Path root, List<Path> pages) throws IOException {
		List<Snippet> snippets = new ArrayList<>();
		for (Path page : pages) {
			List<String> lines = Files.readAllLines(page, StandardCharsets.UTF_8);
			for (int i = 0; i < lines.size(); i++) {
				Matcher marker = SNIPPET.matcher(lines.get(i).strip());
				if (!marker.matches()) {
					continue;
				}
				int open = i + 1;
				while (open < lines.size() && lines.get(open).isBlank()) {
					open++;
				}
				List<String> code = new ArrayList<>();
				if (open < lines.size() && FENCE.matcher(lines.get(open)).find()) {
					for (int j = open + 1; j < lines.size() && !FENCE.matcher(lines.get(j)).find(); j++) {
						code.add(lines.get(j).stripTrailing());
					}
				}
				snippets.add(new Snippet(page, i + 1, marker.group(1), marker.group(2), code));
			}
		}
		return snippets;
	}

	private static List<Path> pages(Path root) throws IOException {
		List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md"), root.resolve("CONTRIBUTING.md")));
		try (Stream<Path> files = Files.list(root.resolve("docs"))) {
			files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	private record Snippet(Path page, int line, String file, String tag, List<String> code) {
	}

}
