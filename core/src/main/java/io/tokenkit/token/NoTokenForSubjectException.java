package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

/**
 * There is no token for this user: the user has never connected (no token was
 * {@link TokenManager#save(TokenKey, AccessToken) saved} for the subject), or the token
 * held cannot be refreshed (it carries no refresh token). TokenKit made no token call.
 * Send the user through the authorization flow and save the first token; for example, in
 * a servlet application: <pre class="code">
 * &#64;ExceptionHandler(NoTokenForSubjectException.class)
 * String connect() {
 *     return "redirect:/bank/connect";
 * }
 * </pre> It is the user's state, not a failure of the registration: it does not count
 * against the registration's health. The key rests for a short cool-down, during which
 * requests for the user get it again with no call to the token source, and a
 * {@link TokenManager#save(TokenKey, AccessToken) save} ends that cool-down at once. The
 * message names the registration, never the subject. A refresh token refused as dead is a
 * {@link ReauthorizationRequiredException} instead.
 */
public class NoTokenForSubjectException extends TokenAcquisitionException {

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 * @param message what is missing and what to do
	 * @param cause the token source's answer, or {@code null}
	 */
	public NoTokenForSubjectException(String registrationId, String message, @Nullable Throwable cause) {
		super(registrationId, message);
		if (cause != null) {
			initCause(cause);
		}
	}

}
