package io.tokenkit.authlete;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * Registers the reflection hints that {@link AuthleteClient} needs in a native image: the
 * request records it writes and the response records it reads with Jackson, with the
 * types of their components, as Spring registers the types it binds. Their
 * {@code toString()} reads their components reflectively too. TokenKit's
 * auto-configuration imports these hints; an application that creates its
 * {@code AuthleteClient} without it adds
 * {@code @ImportRuntimeHints(AuthleteRuntimeHints.class)}.
 */
public final class AuthleteRuntimeHints implements RuntimeHintsRegistrar {

	private static final Class<?>[] BOUND_TYPES = { IdTokenReissueRequest.class, IdTokenReissueResponse.class,
			TokenListRequest.class, TokenListResponse.class, TokenCreateRequest.class, TokenCreateResponse.class,
			TokenUpdateRequest.class, TokenUpdateResponse.class, TokenRevokeRequest.class, TokenRevokeResponse.class };

	private final BindingReflectionHintsRegistrar bindingHints = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		this.bindingHints.registerReflectionHints(hints.reflection(), BOUND_TYPES);
	}

}
