package io.tokenkit.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.token.TokenLifetimes;

/**
 * Maps {@code tokenkit.token-lifetime.*} to the {@link TokenLifetimes} of token sources
 * and typed clients, which keep the lifetime a server answers, and to the longest
 * lifetime the token manager stores a token with; checks that each lifetime is at least
 * one second and, when {@code tokenkit.token-lifetime.max} is set, that a default
 * lifetime is not longer than it.
 */
public final class TokenLifetimeSettings {

	static final String DEFAULT_PROPERTY = "tokenkit.token-lifetime.default";

	static final String MAX_PROPERTY = "tokenkit.token-lifetime.max";

	private static final Duration ONE_SECOND = Duration.ofSeconds(1);

	private TokenLifetimeSettings() {
	}

	/**
	 * Return the lifetimes of {@code tokenkit.token-lifetime.*} for token sources: the
	 * default lifetime, and no longest one (the manager caps, see {@link #max}).
	 * @param properties the properties
	 * @return the lifetimes
	 * @throws InvalidTokenKitPropertyException if a lifetime is shorter than a second, or
	 * the default is longer than the maximum
	 */
	public static TokenLifetimes of(TokenKitProperties.TokenLifetime properties) {
		return withDefault(properties, DEFAULT_PROPERTY, properties.getDefault());
	}

	/**
	 * Return the lifetimes of {@code tokenkit.token-lifetime.*} with another default
	 * lifetime, such as a vendor's own, for token sources.
	 * @param properties the properties, which give the maximum the default is checked
	 * against
	 * @param defaultProperty the property that configured the default lifetime
	 * @param defaultLifetime the default lifetime
	 * @return the lifetimes
	 * @throws InvalidTokenKitPropertyException if a lifetime is shorter than a second, or
	 * the default is longer than the maximum
	 */
	public static TokenLifetimes withDefault(TokenKitProperties.TokenLifetime properties, String defaultProperty,
			@Nullable Duration defaultLifetime) {
		Duration max = max(properties);
		Duration lifetime = atLeastOneSecond(defaultProperty, defaultLifetime);
		if (max != null && lifetime.compareTo(max) > 0) {
			throw new InvalidTokenKitPropertyException(defaultProperty, lifetime.toString(),
					"it is longer than " + MAX_PROPERTY + " (" + max
							+ "), the longest lifetime TokenKit stores a token with",
					"Set it to at most " + max + ", or raise or remove " + MAX_PROPERTY + ".");
		}
		return new TokenLifetimes(lifetime);
	}

	/**
	 * Return {@code tokenkit.token-lifetime.max}: the longest lifetime the token manager
	 * stores a token it acquired with.
	 * @param properties the properties
	 * @return the longest lifetime, or {@code null} when it is not set
	 * @throws InvalidTokenKitPropertyException if it is shorter than a second
	 */
	static @Nullable Duration max(TokenKitProperties.TokenLifetime properties) {
		Duration max = properties.getMax();
		return (max != null) ? atLeastOneSecond(MAX_PROPERTY, max) : null;
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
