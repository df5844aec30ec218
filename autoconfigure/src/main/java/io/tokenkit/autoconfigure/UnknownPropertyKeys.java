package io.tokenkit.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.tokenkit.registration.InvalidTokenKitPropertyException;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Refuses a key under {@code tokenkit.registrations.<id>.} or
 * {@code tokenkit.clients.<name>.} that no setting binds, so that a mistyped or
 * not-yet-supported security setting stops start-up instead of leaving a registration
 * with a weaker one. Boot's own {@link NoUnboundElementsBindHandler} finds the keys (with
 * relaxed binding: camelCase, kebab-case and environment variables alike); the failure
 * names the property and the nearest known key of its level.
 */
final class UnknownPropertyKeys {

	/**
	 * Keys of settings a later TokenKit version serves, in their uniform form (no dashes,
	 * lower case), with what they configure.
	 */
	private static final Map<String, String> NOT_SUPPORTED = Map.of();

	private UnknownPropertyKeys() {
	}

	/**
	 * Stop start-up when a registration or a client has a key no setting binds.
	 * @param binder the binder of the application's environment
	 * @throws InvalidTokenKitPropertyException naming the first such key
	 */
	static void refuse(Binder binder) {
		refuse(binder, "tokenkit.registrations", TokenKitProperties.Registration.class, "registration");
		refuse(binder, "tokenkit.clients", TokenKitProperties.Client.class, "client");
	}

	private static void refuse(Binder binder, String prefix, Class<?> type, String what) {
		try {
			binder.bind(prefix, Bindable.mapOf(String.class, type),
					new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
		}
		catch (BindException ex) {
			if (!(ex.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
				throw ex;
			}
			ConfigurationPropertyName root = ConfigurationPropertyName.of(prefix);
			List<String> known = knownKeys(type);
			ConfigurationProperty property = unbound.getUnboundProperties()
				.stream()
				.filter((candidate) -> !legacyEnvironmentVariable(candidate, root, type))
				.min(Comparator.comparing(ConfigurationProperty::getName))
				.orElse(null);
			if (property == null) {
				return;
			}
			throw unknown(root, property, type, known, what);
		}
	}

	/**
	 * Return whether a property is an environment variable that Boot binds in its legacy
	 * form, with {@code _} for {@code -} ({@code ..._HEADER_FORMAT} for
	 * {@code header-format}), which Boot's handler reports unbound: all its parts after
	 * the id together are one known key, or start with a map or list key
	 * ({@code ..._ADDITIONAL_PARAMETERS_AUDIENCE}, {@code ..._SCOPES_0}), or are a key of
	 * a group of settings ({@code ..._CLIENT_KEY_SSL_BUNDLE}).
	 */
	private static boolean legacyEnvironmentVariable(ConfigurationProperty property, ConfigurationPropertyName root,
			Class<?> type) {
		if (!environmentVariable(property)) {
			return false;
		}
		String joined = uniform(String.join("", rest(root, property.getName())));
		return knownKeys(type).stream().anyMatch((key) -> uniform(key).equals(joined))
				|| containerKeys(type).stream().anyMatch((key) -> joined.startsWith(uniform(key)))
				|| knownKeys(type).stream().anyMatch((group) -> {
					Class<?> nested = nestedType(type, group);
					return nested != null && knownKeys(nested).stream()
						.anyMatch((key) -> (uniform(group) + uniform(key)).equals(joined));
				});
	}

	private static boolean environmentVariable(ConfigurationProperty property) {
		ConfigurationPropertySource source = property.getSource();
		return source != null && source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
	}

	/**
	 * Return the parts of a property's name after the registration id or client name, in
	 * kebab-case.
	 */
	private static List<String> rest(ConfigurationPropertyName root, ConfigurationPropertyName name) {
		List<String> parts = new ArrayList<>();
		for (int i = root.getNumberOfElements() + 1; i < name.getNumberOfElements(); i++) {
			parts.add(name.getElement(i, Form.DASHED));
		}
		return parts;
	}

	/**
	 * Return what a not-yet-supported key configures when the property's leading parts
	 * are that key in any relaxed form ({@code clientKey.*}, {@code ..._CLIENT_KEY_*}).
	 */
	private static @Nullable String notSupported(List<String> rest) {
		StringBuilder joined = new StringBuilder();
		for (String part : rest) {
			joined.append(uniform(part));
			String feature = NOT_SUPPORTED.get(joined.toString());
			if (feature != null) {
				return feature;
			}
		}
		return null;
	}

	private static InvalidTokenKitPropertyException unknown(ConfigurationPropertyName prefix,
			ConfigurationProperty unbound, Class<?> type, List<String> known, String what) {
		ConfigurationPropertyName name = unbound.getName();
		int level = prefix.getNumberOfElements() + 1;
		List<String> rest = rest(prefix, name);
		// an environment variable's parts are the words of one key: TOKEN_URII is
		// token-urii
		String key = environmentVariable(unbound) ? String.join("-", rest) : rest.get(0);
		String property = name.toString();
		String feature = notSupported(rest);
		if (feature != null) {
			return new InvalidTokenKitPropertyException(property, null,
					"this TokenKit version does not support " + feature + " yet; ignoring it would run the " + what
							+ " with a weaker security setting than configured",
					"Remove it until a TokenKit version that supports it.");
		}
		Class<?> nested = (rest.size() > 1 && !environmentVariable(unbound)) ? nestedType(type, rest.get(0)) : null;
		if (nested != null) {
			// a key of a group of settings, such as client-key.sslbundle
			return unknownKey(name, rest.get(1), knownKeys(nested), name.chop(level + 1).toString(),
					rest.get(0) + " setting of a TokenKit " + what, rest.get(0));
		}
		return unknownKey(name, key, known, name.chop(level).toString(), "setting of a TokenKit " + what, "a " + what);
	}

	private static InvalidTokenKitPropertyException unknownKey(ConfigurationPropertyName name, String key,
			List<String> known, String owner, String description, String group) {
		String nearest = known.stream()
			.min(Comparator.comparingInt((candidate) -> distance(uniform(key), uniform(candidate))))
			.orElseThrow();
		return new InvalidTokenKitPropertyException(name.toString(), null, "'" + key + "' is not a " + description,
				"Did you mean " + owner + "." + nearest + "? Correct the key or remove it; the settings of " + group
						+ " are " + known + ".");
	}

	/**
	 * Return the type of a group of settings ({@code client-key}) of a properties class,
	 * or {@code null} when the key is not such a group.
	 */
	private static @Nullable Class<?> nestedType(Class<?> type, String key) {
		return descriptors(type).filter((descriptor) -> uniform(kebab(descriptor)).equals(uniform(key)))
			.map(PropertyDescriptor::getPropertyType)
			.filter((candidate) -> candidate.getEnclosingClass() == TokenKitProperties.class)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Return the keys of a properties class's settings that are maps or lists, in
	 * kebab-case: the keys an environment variable may continue with an entry's key or
	 * index.
	 */
	private static List<String> containerKeys(Class<?> type) {
		return descriptors(type)
			.filter((descriptor) -> Map.class.isAssignableFrom(descriptor.getPropertyType())
					|| Collection.class.isAssignableFrom(descriptor.getPropertyType())
					|| descriptor.getPropertyType().isArray())
			.map(UnknownPropertyKeys::kebab)
			.toList();
	}

	/**
	 * Return the keys of a properties class's settings, in kebab-case.
	 */
	private static List<String> knownKeys(Class<?> type) {
		return descriptors(type).map(UnknownPropertyKeys::kebab).sorted().toList();
	}

	private static Stream<PropertyDescriptor> descriptors(Class<?> type) {
		return Arrays.stream(BeanUtils.getPropertyDescriptors(type))
			.filter((descriptor) -> descriptor.getReadMethod() != null && descriptor.getWriteMethod() != null);
	}

	private static String kebab(PropertyDescriptor descriptor) {
		return descriptor.getName().replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
	}

	private static String uniform(String key) {
		return key.replace("-", "").toLowerCase(Locale.ROOT);
	}

	/**
	 * Return the edit (Levenshtein) distance between two keys.
	 */
	static int distance(String first, String second) {
		int[] previous = new int[second.length() + 1];
		int[] current = new int[second.length() + 1];
		for (int j = 0; j <= second.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= first.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= second.length(); j++) {
				int substitution = previous[j - 1] + ((first.charAt(i - 1) == second.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[second.length()];
	}

}
