package io.tokenkit.token;

/**
 * An error answer (HTTP status 4xx or 5xx, or a body that could not be read) from a token
 * or credential API. Vendor clients raise subclasses that carry the vendor's error
 * fields.
 */
public class TokenApiException extends TokenKitException {

	private final int statusCode;

	/**
	 * Create an exception.
	 * @param message what went wrong and what to do; never a token or a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no response
	 */
	public TokenApiException(String message, int statusCode) {
		super(message);
		this.statusCode = statusCode;
	}

	/**
	 * Create an exception with a cause.
	 * @param message what went wrong and what to do; never a token or a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no response
	 * @param cause the cause
	 */
	public TokenApiException(String message, int statusCode, Throwable cause) {
		super(message, cause);
		this.statusCode = statusCode;
	}

	/**
	 * Return the HTTP status of the answer, or {@code 0} when there was none.
	 * @return the status code
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

}
