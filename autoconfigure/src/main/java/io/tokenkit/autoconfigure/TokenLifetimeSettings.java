package io.tokenkit.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenLifetimes;

/**
 * Maps {@code tokenkit.token-lifetime.*} to the {@link TokenLifetimes} of token sources,
 * checking that each lifetime is at least one second and that a default lifetime is not
 * longer than {@code tokenkit.token-lifetime.max}.
 */
final class TokenLifetimeSettings {

	static final String DEFAULT_PROPERTY = "tokenkit.token-lifetime.default";

	static final String MAX_PROPERTY = "tokenkit.token-lifetime.max";

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	private TokenLifetimeSettings() {
	}

	/**
	 * Return the lifetimes of {@code tokenkit.token-lifetime.*}.
	 * @param properties the properties
	 * @return the lifetimes
	 * @throws InvalidTokenKitPropertyException if a lifetime is shorter than a second, or
	 * the default is longer than the maximum
	 */
	static TokenLifetimes of(TokenKitProperties.TokenLifetime properties) {
		return withDefault(properties, DEFAULT_PROPERTY, properties.getDefault());
	}

	/**
	 * Return the lifetimes of {@code tokenkit.token-lifetime.*} with another default
	 * lifetime, such as a vendor's own.
	 * @param properties the properties, which give the maximum
	 * @param defaultProperty the property that configured the default lifetime
	 * @param defaultLifetime the default lifetime
	 * @return the lifetimes
	 * @throws InvalidTokenKitPropertyException if a lifetime is shorter than a second, or
	 * the default is longer than the maximum
	 */
	static TokenLifetimes withDefault(TokenKitProperties.TokenLifetime properties, String defaultProperty,
			@Nullable Duration defaultLifetime) {
		Duration max = atLeastOneSecond(MAX_PROPERTY, properties.getMax());
		Duration lifetime = atLeastOneSecond(defaultProperty, defaultLifetime);
		if (lifetime.compareTo(max) > 0) {
			throw new InvalidTokenKitPropertyException(defaultProperty, lifetime.toString(),
					"it is longer than " + MAX_PROPERTY + " (" + max + "), the longest lifetime TokenKit believes",
					"Set it to at most " + max + ", or raise " + MAX_PROPERTY + ".");
		}
		return new TokenLifetimes(lifetime, max);
	}

	private static Duration atLeastOneSecond(String property, @Nullable Duration value) {
		if (value == null || value.compareTo(ONE_SECOND) < 0) {
			throw new InvalidTokenKitPropertyException(property, String.valueOf(value),
					"it must be positive, at least one second",
					"Set " + property + " to a duration such as 1h, or remove it to use the default.");
		}
		return value;
	}

}
