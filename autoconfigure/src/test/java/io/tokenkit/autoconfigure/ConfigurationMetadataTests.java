package io.tokenkit.autoconfigure;

import io.tokenkit.autoconfigure.aozora.GmoAozoraProperties;
import io.tokenkit.autoconfigure.authlete.AuthleteProperties;
import io.tokenkit.autoconfigure.saasus.SaasusProperties;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.lang.model.element.Modifier;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.TreePath;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that what IDEs get matches what the documentation promises: the configuration
 * metadata built by {@code spring-boot-configuration-processor} (merged with
 * {@code additional-spring-configuration-metadata.json}) describes every property of the
 * tables of {@code README.md}, {@code CONTRIBUTING.md} and {@code docs/*.md} (the
 * properties appendix, {@code docs/properties.md}, among them), the keys under a map
 * entry are described by the javadoc of the map's value type, and every hint has a name
 * that Boot's metadata format documents.
 */
class ConfigurationMetadataTests {

	private static final String METADATA = "META-INF/spring-configuration-metadata.json";

	private static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

	private static final Path ROOT = Path.of("..");

	private static final Path PROPERTIES_APPENDIX = ROOT.resolve(Path.of("docs", "properties.md"));

	private static final Path SOURCES = Path.of("src", "main", "java", "io", "tokenkit", "autoconfigure");

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private static final Pattern PLACEHOLDER = Pattern.compile("\\.<[a-z-]+>\\.");

	private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<[^,]+,(.+)>");

	/** Property name to its metadata entry, from both files. */
	private static final Map<String, JsonNode> properties = new LinkedHashMap<>();

	/** Hint names, from both files. */
	private static final Set<String> hints = new LinkedHashSet<>();

	/** Binary name of each class of the property sources to its fields' javadoc. */
	private static final Map<String, Map<String, String>> fieldDocs = new LinkedHashMap<>();

	@BeforeAll
	static void readMetadataAndSources() throws IOException {
		URL classes = TokenKitProperties.class.getProtectionDomain().getCodeSource().getLocation();
		for (String name : List.of(METADATA, ADDITIONAL_METADATA)) {
			try (InputStream in = new URL(classes, name).openStream()) {
				JsonNode metadata = JsonMapper.builder().build().readTree(in);
				metadata.path("properties")
					.forEach((property) -> properties.merge(property.path("name").asString(), property, (generated,
							additional) -> generated.path("description").isMissingNode() ? additional : generated));
				metadata.path("hints").forEach((hint) -> hints.add(hint.path("name").asString()));
			}
		}
		readFieldDocs();
	}

	@Test
	void metadataDescribesEveryPropertyWithAFixedName() {
		List<String> undescribed = properties.entrySet()
			.stream()
			.filter((entry) -> !StringUtils.hasText(entry.getValue().path("description").asString("")))
			.map(Map.Entry::getKey)
			.toList();
		assertThat(properties).as("properties in %s", METADATA).containsKey("tokenkit.store.type");
		assertThat(undescribed).as("properties of the metadata without a description").isEmpty();
	}

	@Test
	void everyFieldOfThePropertyTypesHasJavadoc() {
		List<String> undocumented = new ArrayList<>();
		fieldDocs.forEach((type, docs) -> docs.forEach((field, doc) -> {
			if (!StringUtils.hasText(doc)) {
				undocumented.add(type + "." + field);
			}
		}));
		assertThat(fieldDocs).as("classes read from %s", SOURCES)
			.containsKeys(TokenKitProperties.Registration.class.getName(), TokenKitProperties.Client.class.getName(),
					SaasusProperties.class.getName(), GmoAozoraProperties.class.getName(),
					AuthleteProperties.class.getName());
		assertThat(undocumented).as("fields without a javadoc description (IDEs show it as the property's)").isEmpty();
	}

	@Test
	void everyPropertyOfTheDocumentationTablesIsDescribed() throws IOException {
		assertThat(tableProperties(List.of(PROPERTIES_APPENDIX)))
			.as("tokenkit properties in the first column of the tables of %s", PROPERTIES_APPENDIX)
			.hasSizeGreaterThan(20)
			.contains("tokenkit.registrations.<id>.grant-type", "tokenkit.clients.<name>.registration",
					"tokenkit.store.type");
		List<String> documented = tableProperties(documentationPages());
		List<String> missing = new ArrayList<>();
		for (String property : documented) {
			String problem = problem(property);
			if (problem != null) {
				missing.add(property + ": " + problem);
			}
		}
		assertThat(missing).as("documented properties that IDEs cannot describe").isEmpty();
	}

	@Test
	void everyHintHasANameBootDocuments() {
		List<String> undocumented = hints.stream().filter((name) -> !isDocumentedHintName(name)).toList();
		assertThat(hints).as("hints in the metadata").isNotEmpty();
		assertThat(undocumented).as("hints named neither after a property nor after a map's .keys / .values").isEmpty();
	}

	private static boolean isDocumentedHintName(String name) {
		if (properties.containsKey(name)) {
			return true;
		}
		for (String suffix : List.of(".keys", ".values")) {
			if (name.endsWith(suffix)) {
				JsonNode map = properties.get(name.substring(0, name.length() - suffix.length()));
				return map != null && MAP_TYPE.matcher(map.path("type").asString("")).matches();
			}
		}
		return false;
	}

	/**
	 * Return why IDEs cannot describe a documented property, or {@code null} when they
	 * can.
	 */
	private static String problem(String property) {
		Matcher placeholder = PLACEHOLDER.matcher(property);
		if (!placeholder.find()) {
			JsonNode entry = properties.get(property);
			if (entry == null) {
				return "not in the metadata";
			}
			return StringUtils.hasText(entry.path("description").asString("")) ? null : "no description";
		}
		String mapName = property.substring(0, placeholder.start());
		String key = property.substring(placeholder.end()).split("\\.")[0];
		JsonNode map = properties.get(mapName);
		if (map == null) {
			return "its map " + mapName + " is not in the metadata";
		}
		if (!StringUtils.hasText(map.path("description").asString(""))) {
			return "its map " + mapName + " has no description";
		}
		Matcher mapType = MAP_TYPE.matcher(map.path("type").asString(""));
		if (!mapType.matches()) {
			return mapName + " is not a map in the metadata";
		}
		String valueType = mapType.group(1);
		String field = camelCase(key);
		PropertyDescriptor descriptor;
		try {
			descriptor = BeanUtils.getPropertyDescriptor(Class.forName(valueType), field);
		}
		catch (ClassNotFoundException ex) {
			return "value type " + valueType + " not found";
		}
		if (descriptor == null) {
			return valueType + " has no property " + field;
		}
		String doc = fieldDocs.getOrDefault(valueType, Map.of()).get(field);
		return StringUtils.hasText(doc) ? null : "field " + valueType + "." + field + " has no javadoc";
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

	private static String camelCase(String kebab) {
		StringBuilder result = new StringBuilder();
		boolean upper = false;
		for (char c : kebab.toCharArray()) {
			if (c == '-') {
				upper = true;
			}
			else {
				result.append(upper ? Character.toUpperCase(c) : c);
				upper = false;
			}
		}
		return result.toString();
	}

	/**
	 * Parse the sources of the {@code @ConfigurationProperties} classes and record the
	 * javadoc of every instance field of every class in them, nested ones included: the
	 * processor writes it into the metadata for fixed names, and IDEs show it for the
	 * keys under a map entry.
	 */
	private static void readFieldDocs() throws IOException {
		List<Path> sources;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			sources = files.filter((file) -> file.toString().endsWith("Properties.java")).toList();
		}
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		try (StandardJavaFileManager fileManager = compiler.getStandardFileManager(null, null,
				StandardCharsets.UTF_8)) {
			Iterable<? extends JavaFileObject> units = fileManager.getJavaFileObjectsFromPaths(sources);
			JavacTask task = (JavacTask) compiler.getTask(null, fileManager, null, List.of("-proc:none"), null, units);
			Trees trees = Trees.instance(task);
			for (CompilationUnitTree unit : task.parse()) {
				if (unit.toString().contains("@ConfigurationProperties")) {
					new FieldDocScanner(trees, unit.getPackageName().toString()).scan(unit, null);
				}
			}
		}
	}

	private static final class FieldDocScanner extends TreePathScanner<Void, String> {

		private final Trees trees;

		private final String packageName;

		FieldDocScanner(Trees trees, String packageName) {
			this.trees = trees;
			this.packageName = packageName;
		}

		@Override
		public Void visitClass(ClassTree tree, String outer) {
			if (tree.getKind() == Tree.Kind.ENUM) {
				return null;
			}
			String name = ((outer != null) ? outer + "$" : this.packageName + ".") + tree.getSimpleName();
			Map<String, String> docs = fieldDocs.computeIfAbsent(name, (key) -> new LinkedHashMap<>());
			for (Tree member : tree.getMembers()) {
				if (member instanceof VariableTree field
						&& !field.getModifiers().getFlags().contains(Modifier.STATIC)) {
					String doc = this.trees.getDocComment(new TreePath(getCurrentPath(), field));
					docs.put(field.getName().toString(), (doc != null) ? doc : "");
				}
			}
			return super.visitClass(tree, name);
		}

	}

}
