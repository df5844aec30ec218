package io.tokenkit.autoconfigure;

import io.tokenkit.autoconfigure.aozora.GmoAozoraProperties;
import io.tokenkit.autoconfigure.authlete.AuthleteProperties;
import io.tokenkit.autoconfigure.saasus.SaasusProperties;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that what IDEs get matches what the documentation promises: the configuration
 * metadata built by {@code spring-boot-configuration-processor} (merged with
 * {@code additional-spring-configuration-metadata.json}) describes every property, the
 * properties appendix of {@code docs/properties.md} is what {@link PropertiesAppendix}
 * generates from it and from the javadoc of the map value types (run with
 * {@code -Dtokenkit.docs.write=true}, it rewrites the appendix instead), every property
 * of the tables of {@code README.md}, {@code CONTRIBUTING.md} and {@code docs/*.md} is in
 * the appendix, and every hint has a name that Boot's metadata format documents.
 */
class ConfigurationMetadataTests {

	private static final Path ROOT = Path.of("..");

	private static final Path PROPERTIES_PAGE = ROOT.resolve(Path.of("docs", "properties.md"));

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<[^,]+,(.+)>");

	private static final Pattern KEY_NAME = Pattern.compile("<[a-z-]*>");

	private static PropertiesAppendix appendix;

	@BeforeAll
	static void readMetadataAndSources() throws IOException {
		appendix = PropertiesAppendix.read();
	}

	@Test
	void metadataDescribesEveryPropertyWithAFixedName() {
		List<String> undescribed = appendix.properties()
			.entrySet()
			.stream()
			.filter((entry) -> !StringUtils.hasText(entry.getValue().path("description").asString("")))
			.map(Map.Entry::getKey)
			.toList();
		assertThat(appendix.properties()).as("properties in %s", PropertiesAppendix.METADATA)
			.containsKey("tokenkit.store.type");
		assertThat(undescribed).as("properties of the metadata without a description").isEmpty();
	}

	@Test
	void everyFieldOfThePropertyTypesHasJavadoc() {
		List<String> undocumented = new ArrayList<>();
		appendix.fieldDocs().forEach((type, docs) -> docs.forEach((field, doc) -> {
			if (!StringUtils.hasText(doc)) {
				undocumented.add(type + "." + field);
			}
		}));
		assertThat(appendix.fieldDocs()).as("classes read from %s", PropertiesAppendix.SOURCES)
			.containsKeys(TokenKitProperties.Registration.class.getName(), TokenKitProperties.Client.class.getName(),
					SaasusProperties.class.getName(), GmoAozoraProperties.class.getName(),
					AuthleteProperties.class.getName());
		assertThat(undocumented).as("fields without a javadoc description (IDEs show it as the property's)").isEmpty();
	}

	@Test
	void appendixCoversEveryPropertyAndEveryKeyOfAMapEntry() {
		Map<String, PropertiesAppendix.Row> rows = appendix.rows()
			.stream()
			.collect(Collectors.toMap(PropertiesAppendix.Row::name, (row) -> row));
		assertThat(rows.keySet()).as("properties of the appendix")
			.containsAll(appendix.properties().keySet())
			.contains("tokenkit.registrations.<id>.grant-type", "tokenkit.registrations.<id>.token-uri",
					"tokenkit.registrations.<id>.additional-parameters.*", "tokenkit.clients.<name>.base-url",
					"tokenkit.service-groups.<group>.registration", "tokenkit.saasus.bearer-token",
					"tokenkit.saasus.default-token-lifetime", "tokenkit.gmo-aozora.id-token-leeway",
					"tokenkit.gmo-aozora.nonce-time-to-live", "tokenkit.store.redis-key-prefix");
		assertThat(rows.values()).as("rows without a description")
			.allSatisfy((row) -> assertThat(row.description()).as(row.name()).isNotBlank());
		assertThat(rows.get("tokenkit.registrations.<id>.client-authentication")).satisfies((row) -> {
			assertThat(row.defaultValue()).isEqualTo("basic");
			assertThat(row.type()).contains("`basic`", "`post`");
		});
		assertThat(rows.get("tokenkit.registrations.<id>.refresh-skew").defaultValue()).isEqualTo("30s");
		assertThat(rows.get("tokenkit.store.redis-key-prefix").description())
			.startsWith("**Deprecated** since 0.2.0: use `tokenkit.store.redis.key-prefix`.");
	}

	@Test
	void committedAppendixIsTheGeneratedOne() throws IOException {
		String page = Files.readString(PROPERTIES_PAGE, StandardCharsets.UTF_8);
		String generated = appendix.replaceIn(page);
		if (Boolean.getBoolean("tokenkit.docs.write")) {
			Files.writeString(PROPERTIES_PAGE, generated, StandardCharsets.UTF_8);
			return;
		}
		assertThat(page).as("""
				the properties appendix of %s is not what the configuration metadata and the javadoc of the \
				property types give; regenerate it (from the repository's root) with
				  %s
				""", PROPERTIES_PAGE.normalize(), PropertiesAppendix.WRITE_COMMAND).isEqualTo(generated);
	}

	@Test
	void everyPropertyOfTheDocumentationTablesIsInTheAppendix() throws IOException {
		Set<String> known = appendix.rows().stream().map((row) -> normalized(row.name())).collect(Collectors.toSet());
		List<String> documented = tableProperties(documentationPages());
		assertThat(documented).as("tokenkit properties in the first column of the docs' tables").hasSizeGreaterThan(20);
		List<String> unknown = documented.stream().filter((property) -> !known.contains(normalized(property))).toList();
		assertThat(unknown)
			.as("documented properties that are not in the properties appendix (IDEs cannot describe them)")
			.isEmpty();
	}

	@Test
	void everyHintHasANameBootDocuments() {
		List<String> undocumented = appendix.hints().stream().filter((name) -> !isDocumentedHintName(name)).toList();
		assertThat(appendix.hints()).as("hints in the metadata").isNotEmpty();
		assertThat(undocumented).as("hints named neither after a property nor after a map's .keys / .values").isEmpty();
	}

	private static boolean isDocumentedHintName(String name) {
		if (appendix.properties().containsKey(name)) {
			return true;
		}
		for (String suffix : List.of(".keys", ".values")) {
			if (name.endsWith(suffix)) {
				JsonNode map = appendix.properties().get(name.substring(0, name.length() - suffix.length()));
				return map != null && MAP_TYPE.matcher(map.path("type").asString("")).matches();
			}
		}
		return false;
	}

	/** Return a property name with its map keys' names and a trailing {@code .*} gone. */
	private static String normalized(String property) {
		String name = property.endsWith(".*") ? property.substring(0, property.length() - 2) : property;
		return KEY_NAME.matcher(name).replaceAll("<>");
	}

	/**
	 * Return {@code README.md}, {@code CONTRIBUTING.md} and every {@code docs/*.md}: the
	 * pages whose tables may document a property.
	 */
	private static List<Path> documentationPages() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CONTRIBUTING.md")));
		try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
			files.filter((file) -> file.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	/**
	 * Return the {@code tokenkit.} properties of the first column of the pages' tables
	 * whose header starts with "property". A cell may name siblings after the first, such
	 * as {@code `tokenkit.token-calls.connect-timeout` / `response-timeout`}.
	 */
	private static List<String> tableProperties(List<Path> pages) throws IOException {
		List<String> result = new ArrayList<>();
		for (Path page : pages) {
			readTableProperties(page, result);
		}
		return result;
	}

	private static void readTableProperties(Path page, List<String> result) throws IOException {
		boolean inTable = false;
		for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
			if (!line.startsWith("|")) {
				inTable = false;
				continue;
			}
			String firstCell = line.substring(1, line.indexOf('|', 1)).trim();
			if (firstCell.equals("property")) {
				inTable = true;
				continue;
			}
			if (!inTable) {
				continue;
			}
			Matcher code = CODE.matcher(firstCell);
			String first = null;
			while (code.find()) {
				String name = code.group(1);
				if (name.endsWith(".*")) {
					name = name.substring(0, name.length() - 2);
				}
				if (first == null) {
					first = name;
				}
				else if (!name.contains(".")) {
					name = first.substring(0, first.lastIndexOf('.') + 1) + name;
				}
				if (name.startsWith("tokenkit.")) {
					result.add(name);
				}
			}
		}
	}

}
