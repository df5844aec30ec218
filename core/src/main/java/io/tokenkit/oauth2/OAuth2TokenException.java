package io.tokenkit.oauth2;

import java.time.Duration;
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

	private final @Nullable Duration retryAfter;

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
		this(registrationId, statusCode, error, errorDescription, errorUri, additionalParameters, null, message);
	}

	/**
	 * Create an exception for an answer that may have said when to try again
	 * ({@code Retry-After} of a {@code 429} or {@code 503}).
	 * @param registrationId the registration (or client name) that made the request
	 * @param statusCode the HTTP status
	 * @param error the {@code error} code, or {@code null} when the body had none
	 * @param errorDescription the {@code error_description}, or {@code null}
	 * @param errorUri the {@code error_uri}, or {@code null}
	 * @param additionalParameters the other scalar members of the error body, as text
	 * @param retryAfter how long the server asked to wait, or {@code null}
	 * @param message the message
	 */
	public OAuth2TokenException(String registrationId, int statusCode, @Nullable String error,
			@Nullable String errorDescription, @Nullable String errorUri, Map<String, String> additionalParameters,
			@Nullable Duration retryAfter, String message) {
		// no cause set here: a transport failure and GmoAozoraTokenException init it
		super(message, statusCode);
		this.retryAfter = retryAfter;
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

	@Override
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Return whether the code or refresh token sent is dead: the answer's {@code error}
	 * is {@code invalid_grant} (RFC 6749 §5.2: invalid, expired, revoked or issued to
	 * another client), so that only a new authorization helps.
	 * @return whether a new authorization is needed
	 */
	@Override
	public boolean isReauthorizationRequired() {
		return "invalid_grant".equals(this.error);
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
