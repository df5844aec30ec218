package io.tokenkit.oauth2;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKitException;

/**
 * A registration's client authentication could not be made for a token request, for
 * example a client assertion the JDK could not sign. Names the registration and never
 * carries key material.
 */
public class ClientAuthenticationException extends TokenKitException {

	private final String registrationId;

	/**
	 * Create an exception.
	 * @param registrationId the registration (or client name) whose request it was
	 * @param message what went wrong and what to do
	 * @param cause the cause, or {@code null}
	 */
	public ClientAuthenticationException(String registrationId, String message, @Nullable Throwable cause) {
		super(message, cause);
		this.registrationId = registrationId;
	}

	/**
	 * Return the registration (or client name) whose request it was.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

}
