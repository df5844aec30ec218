package io.tokenkit.saasus;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Registers the reflection hints that the JSON bodies of SaaSus's {@code /credentials}
 * endpoint need in a native image: {@link Credentials}, which {@link SaasusClient} writes
 * with Jackson, and {@link AuthorizationTempCode}, which applications read from their own
 * endpoints. TokenKit's auto-configuration imports these hints; an application that
 * creates its {@code SaasusClient} without it adds
 * {@code @ImportRuntimeHints(SaasusRuntimeHints.class)}.
 */
public final class SaasusRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingHints.registerReflectionHints(hints.reflection(), Credentials.class, AuthorizationTempCode.class);
	}

}
