package io.tokenkit.token;

import java.time.Instant;

/**
 * A token was needed while its key cools down after failed acquisitions: TokenKit did not
 * call the token endpoint. Names the registration and when the next try happens; the last
 * failure is the cause.
 */
public class TokenCoolDownException extends TokenAcquisitionException {

	private final Instant nextAttempt;

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 * @param nextAttempt when the next acquisition may call the token endpoint
	 * @param message what went wrong and what to do
	 * @param lastFailure the failure that started the cool-down
	 */
	public TokenCoolDownException(String registrationId, Instant nextAttempt, String message, Throwable lastFailure) {
		super(registrationId, message, lastFailure);
		this.nextAttempt = nextAttempt;
	}

	/**
	 * Return when the next acquisition may call the token endpoint.
	 * @return the time of the next attempt
	 */
	public Instant getNextAttempt() {
		return this.nextAttempt;
	}

}
