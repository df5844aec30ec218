package io.tokenkit.testsupport;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The types a vendor client exchanges as bodies, found from its public methods rather
 * than listed by hand, and the check that runtime hints let Jackson bind them in a native
 * image as Spring's {@code BindingReflectionHintsRegistrar} would.
 */
public final class ClientBodyTypes {

	private ClientBodyTypes() {
	}

	/**
	 * Return the types of the client's package that its public methods take or give (also
	 * inside {@code Mono}, {@code List} and the like), with the types of their record
	 * components, transitively.
	 * @param client the client class
	 * @param notBodies types of the client's package that travel other than as a body
	 * @return the types, at least one
	 */
	public static Set<Class<?>> of(Class<?> client, Set<Class<?>> notBodies) {
		Set<Class<?>> types = new LinkedHashSet<>();
		for (Method method : client.getDeclaredMethods()) {
			if (Modifier.isPublic(method.getModifiers()) && !method.isSynthetic()) {
				collect(ResolvableType.forMethodReturnType(method), client.getPackageName(), notBodies, types);
				for (int i = 0; i < method.getParameterCount(); i++) {
					collect(ResolvableType.forMethodParameter(new MethodParameter(method, i)), client.getPackageName(),
							notBodies, types);
				}
			}
		}
		assertThat(types).isNotEmpty();
		return types;
	}

	private static void collect(ResolvableType type, String packageName, Set<Class<?>> notBodies, Set<Class<?>> types) {
		Arrays.stream(type.getGenerics()).forEach((generic) -> collect(generic, packageName, notBodies, types));
		Class<?> resolved = type.resolve();
		if (resolved == null || !resolved.getPackageName().equals(packageName) || notBodies.contains(resolved)
				|| !types.add(resolved)) {
			return;
		}
		if (resolved.isRecord()) {
			for (RecordComponent component : resolved.getRecordComponents()) {
				collect(ResolvableType.forType(component.getGenericType()), packageName, notBodies, types);
			}
		}
	}

	/**
	 * Assert that the hints let Jackson create, read and write each type: for a record,
	 * its declared constructors and every component accessor; for an enum, the type.
	 * @param hints the hints
	 * @param types the types
	 */
	public static void assertBindable(RuntimeHints hints, Set<Class<?>> types) {
		for (Class<?> type : types) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getName()).accepts(hints);
			if (type.isRecord()) {
				assertThat(RuntimeHintsPredicates.reflection()
					.onType(type)
					.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).as(type.getName()).accepts(hints);
				for (RecordComponent component : type.getRecordComponents()) {
					assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
						.as(type.getName() + "." + component.getName() + "()")
						.accepts(hints);
				}
			}
		}
	}

}
