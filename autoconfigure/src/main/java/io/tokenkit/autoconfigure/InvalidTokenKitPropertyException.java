package io.tokenkit.autoconfigure;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKitException;

/**
 * A TokenKit property is missing or wrong. Stops start-up with a failure analysis naming the property and
 * the fix. Never carries the value of a secret property.
 */
public class InvalidTokenKitPropertyException extends TokenKitException {

	private final String property;

	private final @Nullable String value;

	private final String reason;

	private final String action;

	/**
	 * Create an exception.
	 * @param property the full property name, for example {@code tokenkit.registrations.orders.token-uri}
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
	 * @param when the condition under which it is required, for example {@code "for grant-type client_credentials"}
	 * @return the value
	 */
	public static String require(String property, @Nullable String value, String when) {
		if (value == null || value.isBlank()) {
			throw new InvalidTokenKitPropertyException(property, null, "it is required " + when + " but is not set",
					"Set " + property + " in your configuration.");
		}
		return value;
	}

}
