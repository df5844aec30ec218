package io.tokenkit.authlete;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An extra property attached to an access token in Authlete. {@code toString()} redacts
 * the value of a hidden property.
 *
 * @param key the key
 * @param value the value
 * @param hidden whether the property is hidden from client applications
 */
public record Property(@Nullable String key, @Nullable String value, boolean hidden) {

	/**
	 * Create a property that client applications can see.
	 * @param key the key
	 * @param value the value
	 * @return the property
	 */
	public static Property of(String key, String value) {
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(value, "value must not be null");
		return new Property(key, value, false);
	}

	/**
	 * Create a property hidden from client applications.
	 * @param key the key
	 * @param value the value
	 * @return the property
	 */
	public static Property hidden(String key, String value) {
		Assert.hasText(key, "key must not be empty");
		Assert.notNull(value, "value must not be null");
		return new Property(key, value, true);
	}

	@Override
	public String toString() {
		return "Property[key=" + this.key + ", value=" + (this.hidden ? "(redacted)" : this.value) + ", hidden="
				+ this.hidden + "]";
	}

}
