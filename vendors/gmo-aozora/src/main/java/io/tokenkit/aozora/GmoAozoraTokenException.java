package io.tokenkit.aozora;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.OAuth2TokenException;

/**
 * The bank's token endpoint ({@code POST /token}) answered with an error: its error body
 * ({@code error}, {@code error_description}, {@code error_uri}, {@code state}) or a body
 * that was not one.
 */
public class GmoAozoraTokenException extends OAuth2TokenException {

	private final @Nullable String state;

	/**
	 * Create an exception from the generic token-endpoint error.
	 * @param cause the error the OAuth 2.0 client raised
	 */
	public GmoAozoraTokenException(OAuth2TokenException cause) {
		super(cause.getRegistrationId(), cause.getStatusCode(), cause.getError(), cause.getErrorDescription(),
				cause.getErrorUri(), cause.getAdditionalParameters(), cause.getRetryAfter(), cause.getMessage());
		this.state = cause.getAdditionalParameters().get("state");
		initCause(cause);
		carryingRefreshToken(rotatedRefreshTokenOf(cause));
	}

	/**
	 * Return the {@code state} the bank echoed in its error body.
	 * @return the state, or {@code null} when the body had none
	 */
	public @Nullable String getState() {
		return this.state;
	}

}
