package io.tokenkit.registration;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKitException;

/**
 * A TokenKit property is missing or wrong. Stops start-up with a failure analysis naming
 * the property and the fix. Never carries the value of a secret property.
 */
public class InvalidTokenKitPropertyException extends TokenKitException {

	private final String property;

	private final @Nullable String value;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the full property name, for example
	 * {@code tokenkit.registrations.orders.token-uri}
	 * @param value the value as configured, or {@code null} when unset or secret
	 * @param reason what is wrong
	 * @param action what to do
	 */
	public InvalidTokenKitPropertyException(String property, @Nullable String value, String reason, String action) {
		super("Invalid TokenKit property '" + property + "'" + ((value != null) ? " (value '" + value + "')" : "")
				+ ": " + reason + ". " + action);
		this.property = property;
		this.value = value;
		this.reason = reason;
		this.action = action;
	}

	/**
	 * Return the property name.
	 * @return the property
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Return the configured value, or {@code null} when unset or secret.
	 * @return the value
	 */
	public @Nullable String getValue() {
		return this.value;
	}

	/**
	 * Return what is wrong.
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

	/**
	 * Return what to do.
	 * @return the action
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * Throw an exception for a missing property unless {@code value} has text.
	 * @param property the full property name
	 * @param value the value
	 * @param when the condition under which it is required, for example
	 * {@code "for grant-type client_credentials"}
	 * @return the value
	 */
	public static String require(String property, @Nullable String value, String when) {
		if (value == null || value.isBlank()) {
			throw new InvalidTokenKitPropertyException(property, null, "it is required " + when + " but is not set",
					"Set " + property + " in your configuration.");
		}
		return value;
	}

	/**
	 * Throw an exception unless a duration property is positive.
	 * @param property the full property name
	 * @param value the value
	 * @return the value
	 */
	public static Duration requirePositive(String property, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidTokenKitPropertyException(property, String.valueOf(value), "it must be positive",
					"Set " + property + " to a positive duration such as 10s, or remove it to use the default.");
		}
		return value;
	}

	/**
	 * Throw an exception if a duration property is negative; zero is allowed.
	 * @param property the full property name
	 * @param value the value
	 * @return the value
	 */
	public static Duration requireNotNegative(String property, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw new InvalidTokenKitPropertyException(property, String.valueOf(value), "it must not be negative",
					"Set " + property
							+ " to zero or a positive duration such as 30s, or remove it to use the default.");
		}
		return value;
	}

	/**
	 * Check that a property holds an absolute {@code http} or {@code https} URL with a
	 * host and no user info; a value containing {@code @} is never shown, as it may hold
	 * credentials.
	 * @param property the full property name
	 * @param value the value
	 * @param queryAllowed whether a query and a fragment are allowed
	 * @param action what to do, for example {@code "Set it to https://api.example.com."}
	 * @return the URL
	 */
	public static URI requireHttpUrl(String property, @Nullable String value, boolean queryAllowed, String action) {
		if (value == null || value.isBlank()) {
			throw new InvalidTokenKitPropertyException(property, null, "it is not set", action);
		}
		URI uri;
		try {
			uri = new URI(value.strip());
		}
		catch (URISyntaxException ex) {
			uri = null;
		}
		boolean valid = uri != null && uri.isAbsolute() && uri.getHost() != null && uri.getRawUserInfo() == null
				&& ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
				&& (queryAllowed || (uri.getRawQuery() == null && uri.getRawFragment() == null));
		if (!valid) {
			throw new InvalidTokenKitPropertyException(property, (value.indexOf('@') < 0) ? value : null,
					queryAllowed ? "it is not an absolute http or https URL"
							: "it is not an absolute http or https URL without query, fragment or user info",
					action);
		}
		return uri;
	}

}
