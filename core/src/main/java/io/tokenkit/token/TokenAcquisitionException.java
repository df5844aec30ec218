package io.tokenkit.token;

/**
 * Raised when no token can be had for a registration: the token endpoint failed, timed
 * out, or there is nothing to acquire from. Subclasses say more: a user who has not
 * connected yet ({@link NoTokenForSubjectException}), a request without a subject for a
 * registration of per-user tokens ({@link SubjectRequiredException}), a refresh token
 * refused as dead ({@link ReauthorizationRequiredException}), a key that cools down after
 * failures ({@link TokenCoolDownException}).
 */
public class TokenAcquisitionException extends TokenKitException {

	private final String registrationId;

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 * @param message what went wrong and what to do
	 */
	public TokenAcquisitionException(String registrationId, String message) {
		super(message);
		this.registrationId = registrationId;
	}

	/**
	 * Create an exception with a cause.
	 * @param registrationId the registration
	 * @param message what went wrong and what to do
	 * @param cause the cause
	 */
	public TokenAcquisitionException(String registrationId, String message, Throwable cause) {
		super(message, cause);
		this.registrationId = registrationId;
	}

	/**
	 * Return the registration whose token could not be acquired.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

}
