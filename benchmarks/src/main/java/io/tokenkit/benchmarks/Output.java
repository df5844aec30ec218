package io.tokenkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a harness's results into the output directory: a Markdown fragment for
 * RESULTS.md and a data file for gnuplot.
 */
final class Output {

	private final Path directory;

	Output(String directory) {
		this.directory = Path.of(directory);
		try {
			Files.createDirectories(this.directory);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void write(String fileName, CharSequence content) {
		try {
			Files.writeString(this.directory.resolve(fileName), content, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String format(String pattern, Object... args) {
		return String.format(Locale.ROOT, pattern, args);
	}

	static String met(boolean met) {
		return met ? "**met**" : "**not met**";
	}

}
