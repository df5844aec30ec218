package io.tokenkit.token;

import java.util.List;
import java.util.Set;

/**
 * A registration id the {@link TokenManager} does not know: carries the id asked for and
 * the ids it knows, so that a caller can name them. An {@link IllegalArgumentException},
 * as the lookup threw before it had its own type.
 */
public class NoSuchRegistrationException extends IllegalArgumentException {

	private final String registrationId;

	private final List<String> knownIds;

	/**
	 * Create an exception.
	 * @param registrationId the id asked for
	 * @param knownIds the ids the token manager knows
	 */
	public NoSuchRegistrationException(String registrationId, Set<String> knownIds) {
		super("No TokenKit registration '" + registrationId + "'; known: " + knownIds + ". Add tokenkit.registrations."
				+ registrationId + ".* to the configuration or use one of the known ids.");
		this.registrationId = registrationId;
		this.knownIds = List.copyOf(knownIds);
	}

	/**
	 * Return the id asked for.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

	/**
	 * Return the ids the token manager knows, in its order.
	 * @return the known ids
	 */
	public List<String> getKnownIds() {
		return this.knownIds;
	}

}
