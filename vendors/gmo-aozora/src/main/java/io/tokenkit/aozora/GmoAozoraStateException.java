package io.tokenkit.aozora;

import io.tokenkit.token.TokenKitException;

/**
 * The {@code state} of an authorization callback is missing or was not made for the
 * current session: the callback must be refused (CSRF protection).
 */
public class GmoAozoraStateException extends TokenKitException {

	/**
	 * Create an exception.
	 * @param message what is wrong; never the state or the session id
	 */
	public GmoAozoraStateException(String message) {
		super(message);
	}

}
