package io.tokenkit.token;

/**
 * Base class of every exception TokenKit raises. Messages never carry a token, a secret
 * or a subject.
 */
public class TokenKitException extends RuntimeException {

	/**
	 * Create an exception.
	 * @param message what went wrong and what to do
	 */
	public TokenKitException(String message) {
		super(message);
	}

	/**
	 * Create an exception with a cause.
	 * @param message what went wrong and what to do
	 * @param cause the cause
	 */
	public TokenKitException(String message, @org.jspecify.annotations.Nullable Throwable cause) {
		super(message);
		// a null cause stays unset, so that a subclass may still set one
		if (cause != null) {
			initCause(cause);
		}
	}

}
