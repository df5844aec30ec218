package io.tokenkit.autoconfigure;

import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Type;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.BeanUtils;
import org.springframework.beans.BeanWrapperImpl;

/**
 * Generates the properties appendix of {@code docs/properties.md}: every property of the
 * configuration metadata built by {@code spring-boot-configuration-processor}, and every
 * key under a map entry ({@code tokenkit.registrations.<id>.*}, …), which the metadata
 * does not expand, from the fields, javadoc and defaults of the map's value type.
 */
final class PropertiesAppendix {

	/**
	 * The command that rewrites the appendix, as the docs and failure messages name it.
	 */
	static final String WRITE_COMMAND = "./mvnw -B -pl autoconfigure -am test -Dtest=ConfigurationMetadataTests "
			+ "-Dsurefire.failIfNoSpecifiedTests=false -Dtokenkit.docs.write=true";

	static final String BEGIN = "<!-- begin generated properties appendix: do not edit, see CONTRIBUTING.md#documentation -->";

	static final String END = "<!-- end generated properties appendix -->";

	static final String METADATA = "META-INF/spring-configuration-metadata.json";

	static final String ADDITIONAL_METADATA = "META-INF/additional-spring-configuration-metadata.json";

	static final Path SOURCES = Path.of("src", "main", "java", "io", "tokenkit", "autoconfigure");

	private static final Pattern MAP_TYPE = Pattern.compile("java\\.util\\.Map<([^,<>]+),\\s*(.+)>");

	private static final Pattern PACKAGE = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+(?=[A-Z])");

	private static final Pattern CODE_TAG = Pattern.compile("\\{@(?:code|link|literal) ([^}]*)}");

	/** Primitive types by the names the metadata gives them. */
	private static final Map<String, String> BOXED = Map.of("boolean", "java.lang.Boolean", "int", "java.lang.Integer",
			"long", "java.lang.Long", "double", "java.lang.Double");

	/** Names of the keys of a map property, as the docs write them. */
	private static final Map<String, String> KEY_NAMES = Map.of("tokenkit.registrations", "<id>", "tokenkit.clients",
			"<name>", "tokenkit.service-groups", "<group>");

	/** Property name to its metadata entry, from both files. */
	private final Map<String, JsonNode> properties = new LinkedHashMap<>();

	/** Hint names, from both files. */
	private final Set<String> hints = new LinkedHashSet<>();

	/** Binary name of each class of the property sources to its fields' javadoc. */
	private final Map<String, Map<String, String>> fieldDocs = new LinkedHashMap<>();

	private PropertiesAppendix() {
	}

	/**
	 * Read the metadata from the class path of {@link TokenKitProperties} and the javadoc
	 * of the {@code @ConfigurationProperties} sources.
	 */
	static PropertiesAppendix read() throws IOException {
		PropertiesAppendix appendix = new PropertiesAppendix();
		URL classes = TokenKitProperties.class.getProtectionDomain().getCodeSource().getLocation();
		for (String name : List.of(METADATA, ADDITIONAL_METADATA)) {
			try (InputStream in = new URL(classes, name).openStream()) {
				JsonNode metadata = JsonMapper.builder().build().readTree(in);
				metadata.path("properties")
					.forEach((property) -> appendix.properties.merge(property.path("name").asString(), property,
							(generated, additional) -> generated.path("description").isMissingNode() ? additional
									: generated));
				metadata.path("hints").forEach((hint) -> appendix.hints.add(hint.path("name").asString()));
			}
		}
		appendix.readFieldDocs();
		return appendix;
	}

	Map<String, JsonNode> properties() {
		return this.properties;
	}

	Set<String> hints() {
		return this.hints;
	}

	Map<String, Map<String, String>> fieldDocs() {
		return this.fieldDocs;
	}

	/**
	 * Return every row of the appendix, sorted by property name as the metadata has them,
	 * each map followed by the keys of its value type.
	 */
	List<Row> rows() {
		List<Row> rows = new ArrayList<>();
		this.properties.values()
			.stream()
			.sorted((a, b) -> a.path("name").asString().compareTo(b.path("name").asString()))
			.forEach((entry) -> {
				String name = entry.path("name").asString();
				String type = entry.path("type").asString("");
				rows.add(new Row(name, typeCell(type), metadataDefault(entry.path("defaultValue")),
						deprecation(entry.path("deprecation"), entry.path("deprecated").asBoolean(false))
								+ text(entry.path("description").asString(""))));
				Matcher map = MAP_TYPE.matcher(type);
				if (map.matches()) {
					addKeys(rows, name + "." + KEY_NAMES.getOrDefault(name, "<key>"), map.group(2));
				}
			});
		return rows;
	}

	/** Add a row per property of the given value type, under the given prefix. */
	private void addKeys(List<Row> rows, String prefix, String valueType) {
		Map<String, String> docs = this.fieldDocs.get(valueType);
		if (docs == null) {
			return;
		}
		Class<?> type = load(valueType);
		BeanWrapperImpl defaults = new BeanWrapperImpl(BeanUtils.instantiateClass(type));
		docs.forEach((field, doc) -> {
			PropertyDescriptor descriptor = BeanUtils.getPropertyDescriptor(type, field);
			if (descriptor == null || descriptor.getReadMethod() == null) {
				return;
			}
			String name = prefix + "." + kebabCase(field);
			Type generic = descriptor.getReadMethod().getGenericReturnType();
			String typeName = BOXED.getOrDefault(generic.getTypeName(), generic.getTypeName());
			Matcher map = MAP_TYPE.matcher(typeName);
			if (this.fieldDocs.containsKey(typeName)) {
				addKeys(rows, name, typeName);
				return;
			}
			if (map.matches() && this.fieldDocs.containsKey(map.group(2))) {
				rows.add(new Row(name, typeCell(typeName), "", text(doc)));
				addKeys(rows, name + ".<key>", map.group(2));
				return;
			}
			rows.add(new Row(map.matches() ? name + ".*" : name, typeCell(typeName),
					valueDefault(defaults.getPropertyValue(field)), text(doc)));
		});
	}

	/**
	 * Return the appendix as Markdown, between its markers.
	 */
	String markdown() {
		StringBuilder result = new StringBuilder(BEGIN).append("\n\n");
		result.append("| property | type | default | description |\n|---|---|---|---|\n");
		for (Row row : rows()) {
			result.append("| `")
				.append(row.name())
				.append("` | ")
				.append(cell(row.type()))
				.append(" | ")
				.append(row.defaultValue().isEmpty() ? "" : "`" + cell(row.defaultValue()) + "`")
				.append(" | ")
				.append(cell(row.description()))
				.append(" |\n");
		}
		return result.append('\n').append(END).toString();
	}

	/**
	 * Return the given page with the text between the markers replaced by the appendix.
	 */
	String replaceIn(String page) {
		int begin = page.indexOf(BEGIN);
		int end = page.indexOf(END);
		if (begin < 0 || end < begin) {
			throw new IllegalStateException("The page has no appendix markers: put " + BEGIN + " and " + END
					+ " on lines of their own where the appendix goes, then run " + WRITE_COMMAND);
		}
		return page.substring(0, begin) + markdown() + page.substring(end + END.length());
	}

	private static String cell(String text) {
		return text.replace("|", "\\|");
	}

	private static String deprecation(JsonNode deprecation, boolean deprecated) {
		if (!deprecated && deprecation.isMissingNode()) {
			return "";
		}
		StringBuilder result = new StringBuilder("**Deprecated**");
		if (deprecation.hasNonNull("since")) {
			result.append(" since ").append(deprecation.path("since").asString());
		}
		if (deprecation.hasNonNull("replacement")) {
			result.append(": use `").append(deprecation.path("replacement").asString()).append('`');
		}
		if (deprecation.hasNonNull("reason")) {
			result.append(" (").append(deprecation.path("reason").asString()).append(')');
		}
		return result.append(". ").toString();
	}

	/** Return javadoc as one line of Markdown. */
	private static String text(String javadoc) {
		String text = javadoc.lines()
			.map(String::strip)
			.filter((line) -> !line.startsWith("@"))
			.collect(Collectors.joining(" "))
			.strip();
		return CODE_TAG.matcher(text).replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
	}

	/**
	 * Return a type as the appendix shows it: without packages, and with the values an
	 * enum takes.
	 */
	private static String typeCell(String type) {
		if (type.isEmpty()) {
			return "";
		}
		String name = "`" + PACKAGE.matcher(type).replaceAll("").replace('$', '.').replaceAll(",\\s*", ", ") + "`";
		if (type.contains("<")) {
			return name;
		}
		try {
			Class<?> enumType = Class.forName(type);
			if (!enumType.isEnum()) {
				return name;
			}
			return Arrays.stream(enumType.getEnumConstants())
				.map((constant) -> "`" + kebabValue(((Enum<?>) constant).name()) + "`")
				.collect(Collectors.joining(", ", name + ": ", ""));
		}
		catch (ClassNotFoundException ex) {
			return name;
		}
	}

	private static String metadataDefault(JsonNode value) {
		if (value.isMissingNode() || value.isNull()) {
			return "";
		}
		if (value.isArray()) {
			List<String> items = new ArrayList<>();
			value.forEach((item) -> items.add(item.asString()));
			return String.join(", ", items);
		}
		return value.asString();
	}

	/** Return a default as the processor writes it, or nothing for none. */
	private static String valueDefault(Object value) {
		if (value == null || (value instanceof Collection<?> collection && collection.isEmpty())
				|| (value instanceof Map<?, ?> map && map.isEmpty())) {
			return "";
		}
		if (value instanceof Enum<?> constant) {
			return kebabValue(constant.name());
		}
		if (value instanceof Duration duration) {
			return durationText(duration);
		}
		if (value instanceof Collection<?> collection) {
			return collection.stream().map(String::valueOf).collect(Collectors.joining(", "));
		}
		return String.valueOf(value);
	}

	private static String durationText(Duration duration) {
		long millis = duration.toMillis();
		for (Map.Entry<String, Long> unit : List.of(Map.entry("d", 86_400_000L), Map.entry("h", 3_600_000L),
				Map.entry("m", 60_000L), Map.entry("s", 1_000L))) {
			if (millis != 0 && millis % unit.getValue() == 0) {
				return millis / unit.getValue() + unit.getKey();
			}
		}
		return millis + "ms";
	}

	private static String kebabValue(String constant) {
		return constant.toLowerCase(Locale.ROOT).replace('_', '-');
	}

	static String kebabCase(String camel) {
		return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
	}

	private static Class<?> load(String name) {
		try {
			return Class.forName(name);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("The value type " + name + " of a property map is not on the class path",
					ex);
		}
	}

	/**
	 * Parse the sources of the {@code @ConfigurationProperties} classes and record the
	 * javadoc of every instance field of every class in them, nested ones included, in
	 * declaration order: the processor writes it into the metadata for fixed names, and
	 * IDEs show it for the keys under a map entry.
	 */
	private void readFieldDocs() throws IOException {
		List<Path> sources;
		try (Stream<Path> files = Files.walk(SOURCES)) {
			sources = files.filter((file) -> file.toString().endsWith("Properties.java")).sorted().toList();
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

	/**
	 * One row of the appendix: a property (a key under a map entry with the map's key
	 * name, such as {@code <id>}), its type, its default and its description.
	 */
	record Row(String name, String type, String defaultValue, String description) {
	}

	private final class FieldDocScanner extends TreePathScanner<Void, String> {

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
			Map<String, String> docs = PropertiesAppendix.this.fieldDocs.computeIfAbsent(name,
					(key) -> new LinkedHashMap<>());
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
