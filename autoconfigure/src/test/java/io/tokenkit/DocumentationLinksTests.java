package io.tokenkit;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the documentation holds together: every relative link and {@code #anchor} of
 * {@code README.md}, {@code CONTRIBUTING.md} and {@code docs/*.md} names a file that
 * exists and, for a Markdown file, a heading of it (by GitHub's slug rules), and every
 * page of {@code docs/} is linked from the README and from {@code docs/index.md}.
 */
class DocumentationLinksTests {

	private static final Path ROOT = Path.of("..");

	/**
	 * An inline link or image: {@code [text](target)} or {@code [text](target "title")}.
	 */
	private static final Pattern INLINE_LINK = Pattern
		.compile("!?\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	/** A link reference definition: {@code [label]: target}. */
	private static final Pattern REFERENCE_DEFINITION = Pattern
		.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?(\\S+?)>?(?:\\s.*)?$");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}(#{1,6})\\s+(.*?)\\s*#*\\s*$");

	private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	@Test
	void everyRelativeLinkAndAnchorResolves() throws IOException {
		List<Path> pages = pages(ROOT);
		assertThat(pages).as("pages checked")
			.contains(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md"), ROOT.resolve("docs/index.md"));
		List<Link> links = new ArrayList<>();
		for (Path page : pages) {
			links.addAll(links(page));
		}
		assertThat(links).as("relative links found").hasSizeGreaterThan(50);
		assertThat(problems(ROOT, links)).as("broken links (file:line: [text](target): why)").isEmpty();
	}

	@Test
	void everyDocsPageIsLinkedFromTheReadmeAndTheIndex() throws IOException {
		Path index = ROOT.resolve("docs/index.md");
		Set<Path> fromReadme = targets(links(ROOT.resolve("README.md")));
		Set<Path> fromIndex = targets(links(index));
		List<String> unlinked = new ArrayList<>();
		for (Path page : pages(ROOT)) {
			if (page.getParent().normalize().equals(ROOT.resolve("docs").normalize()) && !page.equals(index)) {
				if (!fromReadme.contains(page.normalize())) {
					unlinked.add(page + " from README.md");
				}
				if (!fromIndex.contains(page.normalize())) {
					unlinked.add(page + " from docs/index.md");
				}
			}
		}
		assertThat(fromReadme).as("pages the README links to").contains(index.normalize());
		assertThat(unlinked).as("docs pages not linked").isEmpty();
	}

	@Test
	void checkWhenALinkIsBrokenThenItIsReported(@TempDir Path root) throws IOException {
		Files.createDirectories(root.resolve("docs"));
		Files.writeString(root.resolve("README.md"), """
				# Project

				[index](docs/index.md), [missing](docs/missing.md), [section](#two-commands),
				[wrong section](docs/index.md#nowhere), [site](https://example.com/missing.md)
				`[in code](docs/gone.md)`

				## Two commands
				""");
		Files.writeString(root.resolve("docs/index.md"), """
				# Index

				```
				[in a fence](gone.md)
				```

				[back](../README.md#project), [again](../README.md#two-commands-1)
				""");
		List<Link> links = new ArrayList<>();
		for (Path page : pages(root)) {
			links.addAll(links(page));
		}
		assertThat(problems(root, links)).satisfiesExactlyInAnyOrder(
				(problem) -> assertThat(problem).contains("README.md:3: [missing](docs/missing.md): no file"),
				(problem) -> assertThat(problem)
					.contains("README.md:4: [wrong section](docs/index.md#nowhere): no heading"),
				(problem) -> assertThat(problem)
					.contains("index.md:7: [again](../README.md#two-commands-1): no heading"));
	}

	@Test
	void anchorsFollowGitHubSlugRules() {
		assertThat(slug("Upgrading to 0.2")).isEqualTo("upgrading-to-02");
		assertThat(slug("SaaSus Auth — `SaasusClient`")).isEqualTo("saasus-auth--saasusclient");
		assertThat(slug("Moving from Spring Security's OAuth2 client"))
			.isEqualTo("moving-from-spring-securitys-oauth2-client");
		assertThat(slug("At rest: what someone who can read Redis gets"))
			.isEqualTo("at-rest-what-someone-who-can-read-redis-gets");
		assertThat(slug("snake_case and kebab-case")).isEqualTo("snake_case-and-kebab-case");
	}

	/**
	 * Return {@code README.md}, {@code CONTRIBUTING.md} and every {@code docs/*.md} under
	 * the given root.
	 */
	private static List<Path> pages(Path root) throws IOException {
		List<Path> pages = new ArrayList<>();
		for (String name : List.of("README.md", "CONTRIBUTING.md")) {
			if (Files.isRegularFile(root.resolve(name))) {
				pages.add(root.resolve(name));
			}
		}
		Path docs = root.resolve("docs");
		if (Files.isDirectory(docs)) {
			try (Stream<Path> files = Files.list(docs)) {
				files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
			}
		}
		return pages;
	}

	/**
	 * Return the relative links of a page, outside code: inline links, images and link
	 * reference definitions.
	 */
	private static List<Link> links(Path page) throws IOException {
		String text = withoutCode(Files.readString(page, StandardCharsets.UTF_8));
		List<Link> links = new ArrayList<>();
		for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_DEFINITION)) {
			Matcher matcher = pattern.matcher(text);
			while (matcher.find()) {
				String target = matcher.group(matcher.groupCount());
				if (!target.isEmpty() && !SCHEME.matcher(target).find()) {
					int line = (int) text.substring(0, matcher.start()).chars().filter((c) -> c == '\n').count() + 1;
					links.add(new Link(page, line, matcher.group().replace('\n', ' '), target));
				}
			}
		}
		return links;
	}

	/**
	 * Return the text with fenced code blocks and code spans blanked out, line breaks
	 * kept, so that an example's brackets are not taken for links.
	 */
	private static String withoutCode(String text) {
		StringBuilder result = new StringBuilder();
		boolean fenced = false;
		for (String line : text.split("\n", -1)) {
			if (FENCE.matcher(line).find()) {
				fenced = !fenced;
				result.append('\n');
				continue;
			}
			result.append(fenced ? "" : CODE_SPAN.matcher(line).replaceAll("")).append('\n');
		}
		return result.toString();
	}

	private static List<String> problems(Path root, List<Link> links) {
		Map<Path, Set<String>> anchors = new HashMap<>();
		List<String> problems = new ArrayList<>();
		for (Link link : links) {
			int hash = link.target().indexOf('#');
			String file = URLDecoder.decode((hash < 0) ? link.target() : link.target().substring(0, hash),
					StandardCharsets.UTF_8);
			String anchor = (hash < 0) ? null : link.target().substring(hash + 1);
			Path target = file.isEmpty() ? link.page() : link.page().getParent().resolve(file).normalize();
			String where = root.relativize(link.page()) + ":" + link.line() + ": " + link.text() + ": ";
			if (!target.toAbsolutePath().normalize().startsWith(root.toAbsolutePath().normalize())) {
				problems.add(where + "outside the repository: " + target);
			}
			else if (!Files.exists(target)) {
				problems.add(where + "no file " + root.relativize(target));
			}
			else if (anchor != null && !target.toString().endsWith(".md")) {
				problems.add(where + "an anchor on a file that is not Markdown");
			}
			else if (anchor != null) {
				Set<String> headings = anchors.computeIfAbsent(target, DocumentationLinksTests::headingAnchors);
				if (!headings.contains(anchor)) {
					problems.add(where + "no heading of " + root.relativize(target) + " has the anchor #" + anchor
							+ " (known: " + headings + ")");
				}
			}
		}
		return problems;
	}

	private static Set<Path> targets(List<Link> links) {
		Set<Path> targets = new LinkedHashSet<>();
		for (Link link : links) {
			String file = link.target().split("#", -1)[0];
			if (!file.isEmpty()) {
				targets.add(link.page().getParent().resolve(file).normalize());
			}
		}
		return targets;
	}

	/**
	 * Return the anchors GitHub gives the headings of a Markdown file: the slug of each,
	 * a repeated slug suffixed {@code -1}, {@code -2}, ….
	 */
	private static Set<String> headingAnchors(Path file) {
		String text;
		try {
			text = Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Cannot read " + file, ex);
		}
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		boolean fenced = false;
		for (String line : text.split("\n")) {
			if (FENCE.matcher(line).find()) {
				fenced = !fenced;
				continue;
			}
			Matcher heading = HEADING.matcher(line);
			if (!fenced && heading.matches()) {
				String slug = slug(heading.group(2));
				int count = seen.merge(slug, 1, Integer::sum);
				anchors.add((count == 1) ? slug : slug + "-" + (count - 1));
			}
		}
		return anchors;
	}

	/**
	 * Return GitHub's slug of a heading: lower-case, punctuation other than {@code -} and
	 * {@code _} removed, each space a {@code -}.
	 */
	private static String slug(String heading) {
		return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\p{M} _-]", "").replace(' ', '-');
	}

	private record Link(Path page, int line, String text, String target) {
	}

}
