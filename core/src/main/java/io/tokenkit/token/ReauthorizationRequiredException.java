package io.tokenkit.token;

/**
 * The refresh token of a key was refused as dead (OAuth 2.0 {@code invalid_grant} on a
 * refresh): the user must authorize again. TokenKit makes no further token call for the
 * key until a new token is {@link TokenManager#save(TokenKey, AccessToken) saved} for it.
 * The message names the registration, never the subject.
 */
public class ReauthorizationRequiredException extends TokenAcquisitionException {

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 * @param message what went wrong and what to do
	 * @param cause the refusal
	 */
	public ReauthorizationRequiredException(String registrationId, String message, Throwable cause) {
		super(registrationId, message, cause);
	}

}
