package io.tokenkit.oauth2;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenApiException;

/**
 * A token endpoint answered with an error: an RFC 6749 §5.2 error body, or a body that
 * was not one. Carries {@code error}, {@code error_description}, {@code error_uri}, the
 * registration and the HTTP status, and never a secret.
 */
public class OAuth2TokenException extends TokenApiException {

	private final String registrationId;

	private final @Nullable String error;

	private final @Nullable String errorDescription;

	private final @Nullable String errorUri;

	private final Map<String, String> additionalParameters;

	/**
	 * Create an exception.
	 * @param registrationId the registration (or client name) that made the request
	 * @param statusCode the HTTP status
	 * @param error the {@code error} code, or {@code null} when the body had none
	 * @param errorDescription the {@code error_description}, or {@code null}
	 * @param errorUri the {@code error_uri}, or {@code null}
	 * @param message the message
	 */
	public OAuth2TokenException(String registrationId, int statusCode, @Nullable String error,
			@Nullable String errorDescription, @Nullable String errorUri, String message) {
		this(registrationId, statusCode, error, errorDescription, errorUri, Map.of(), message);
	}

	/**
	 * Create an exception that keeps the other members of the error body, such as a
	 * vendor's {@code state}.
	 * @param registrationId the registration (or client name) that made the request
	 * @param statusCode the HTTP status
	 * @param error the {@code error} code, or {@code null} when the body had none
	 * @param errorDescription the {@code error_description}, or {@code null}
	 * @param errorUri the {@code error_uri}, or {@code null}
	 * @param additionalParameters the other scalar members of the error body, as text
	 * @param message the message
	 */
	public OAuth2TokenException(String registrationId, int statusCode, @Nullable String error,
			@Nullable String errorDescription, @Nullable String errorUri, Map<String, String> additionalParameters,
			String message) {
		super(message, statusCode);
		this.registrationId = registrationId;
		this.error = error;
		this.errorDescription = errorDescription;
		this.errorUri = errorUri;
		this.additionalParameters = Map.copyOf(additionalParameters);
	}

	/**
	 * Return the registration (or client name) that made the request.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

	/**
	 * Return the {@code error} code, for example {@code invalid_client}.
	 * @return the error code or {@code null}
	 */
	public @Nullable String getError() {
		return this.error;
	}

	/**
	 * Return the {@code error_description}.
	 * @return the description or {@code null}
	 */
	public @Nullable String getErrorDescription() {
		return this.errorDescription;
	}

	/**
	 * Return the {@code error_uri}.
	 * @return the URI or {@code null}
	 */
	public @Nullable String getErrorUri() {
		return this.errorUri;
	}

	/**
	 * Return the other scalar members of the error body (for example {@code state}), as
	 * text.
	 * @return the additional parameters, empty when there were none
	 */
	public Map<String, String> getAdditionalParameters() {
		return this.additionalParameters;
	}

}
