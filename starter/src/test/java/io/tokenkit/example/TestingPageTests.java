package io.tokenkit.example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of {@code docs/testing.md} is the code the build compiles and runs: each
 * file's region between {@code tag::testing-page[]} and {@code end::testing-page[]} is
 * one fenced block of the page, line for line.
 */
class TestingPageTests {

	private static final Path PAGE = Path.of("..", "docs", "testing.md");

	private static final String TAG = "tag::testing-page[]";

	private static final String END = "end::testing-page[]";

	@ParameterizedTest
	@ValueSource(strings = { "src/test/java/io/tokenkit/example/ExampleApplication.java",
			"src/test/java/io/tokenkit/example/ExampleApplicationTests.java",
			"src/test/java/io/tokenkit/example/SandboxesExampleTests.java",
			"src/test/java/io/tokenkit/example/WithoutSpringExampleTests.java",
			"src/test/resources/application-example.yml" })
	void pageWhenQuotingExampleFileThenSameAsFile(String file) throws IOException {
		String region = region(Files.readAllLines(Path.of(file)));
		assertThat(region).as("the %s region of %s", TAG, file).isNotBlank();
		assertThat(fencedBlocks(Files.readAllLines(PAGE))).as("the fenced blocks of %s", PAGE).contains(region);
	}

	private static String region(List<String> lines) {
		int start = lines.indexOf(lines.stream().filter((line) -> line.contains(TAG)).findFirst().orElseThrow());
		int end = lines.indexOf(lines.stream().filter((line) -> line.contains(END)).findFirst().orElseThrow());
		return String.join("\n", lines.subList(start + 1, end));
	}

	private static List<String> fencedBlocks(List<String> page) {
		List<String> blocks = new ArrayList<>();
		List<String> block = null;
		for (String line : page) {
			if (line.startsWith("```")) {
				if (block == null) {
					block = new ArrayList<>();
				}
				else {
					blocks.add(String.join("\n", block));
					block = null;
				}
			}
			else if (block != null) {
				block.add(line);
			}
		}
		return blocks;
	}

}
