package io.tokenkit.aozora;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenApiException;

/**
 * The pushed authorization request endpoint (RFC 9126) refused an authorization request
 * ({@code error} and {@code error_description} in its body), answered something that is
 * not a {@code request_uri}, gave no answer (status {@code 0}), or is not known.
 */
public class GmoAozoraPushedAuthorizationException extends TokenApiException {

	private final @Nullable String error;

	private final @Nullable String errorDescription;

	/**
	 * Create an exception.
	 * @param message what went wrong and what to do; never a secret
	 * @param statusCode the HTTP status, or {@code 0} when there was no answer
	 * @param error the {@code error} of the answer, or {@code null}
	 * @param errorDescription the {@code error_description} of the answer, secrets
	 * redacted, or {@code null}
	 */
	public GmoAozoraPushedAuthorizationException(String message, int statusCode, @Nullable String error,
			@Nullable String errorDescription) {
		super(message, statusCode);
		this.error = error;
		this.errorDescription = errorDescription;
	}

	/**
	 * Return the {@code error} code of the answer.
	 * @return the error, for example {@code invalid_request}, or {@code null}
	 */
	public @Nullable String getError() {
		return this.error;
	}

	/**
	 * Return the {@code error_description} of the answer.
	 * @return the description, or {@code null}
	 */
	public @Nullable String getErrorDescription() {
		return this.errorDescription;
	}

}
