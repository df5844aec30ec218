package io.tokenkit.discovery;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenApiException;

import org.springframework.util.Assert;

/**
 * An authorization server's metadata could not be had: its metadata endpoint could not be
 * reached, answered an error, or answered metadata TokenKit cannot use. Names the issuer,
 * and the registration whose token call needed it when there was one; never a secret. Its
 * {@link #getStatusCode() status} is {@code 0}, as no token endpoint answered: the token
 * manager cools the registration's key down as it does after an unreachable token
 * endpoint.
 */
public class ServerMetadataException extends TokenApiException {

	private final String issuer;

	private final @Nullable String registrationId;

	private final int metadataStatus;

	/**
	 * Create an exception.
	 * @param issuer the issuer whose metadata was asked for
	 * @param metadataStatus the HTTP status of the metadata endpoint's answer, or
	 * {@code 0} when there was none
	 * @param message what went wrong and what to do
	 * @param cause the cause, or {@code null}
	 */
	public ServerMetadataException(String issuer, int metadataStatus, String message, @Nullable Throwable cause) {
		this(issuer, null, metadataStatus, message, cause);
	}

	/**
	 * Create an exception for a registration.
	 * @param issuer the issuer whose metadata was asked for
	 * @param registrationId the registration that needed it, or {@code null}
	 * @param metadataStatus the HTTP status of the metadata endpoint's answer, or
	 * {@code 0} when there was none
	 * @param message what went wrong and what to do
	 * @param cause the cause, or {@code null}
	 */
	protected ServerMetadataException(String issuer, @Nullable String registrationId, int metadataStatus,
			String message, @Nullable Throwable cause) {
		super(message, 0, cause);
		Assert.notNull(issuer, "issuer must not be null");
		this.issuer = issuer;
		this.registrationId = registrationId;
		this.metadataStatus = metadataStatus;
	}

	/**
	 * Return the issuer whose metadata was asked for, as configured.
	 * @return the issuer
	 */
	public String getIssuer() {
		return this.issuer;
	}

	/**
	 * Return the registration whose token call needed the metadata.
	 * @return the registration id, or {@code null} when the metadata was asked for
	 * otherwise
	 */
	public @Nullable String getRegistrationId() {
		return this.registrationId;
	}

	/**
	 * Return the HTTP status of the metadata endpoint's answer.
	 * @return the status, or {@code 0} when it gave none
	 */
	public int getMetadataStatus() {
		return this.metadataStatus;
	}

	/**
	 * Return a new exception that says the same for a registration's token call: each
	 * caller gets its own, as callers add suppressed exceptions to what they get.
	 * @param registrationId the registration
	 * @return the exception, with this one as its cause
	 */
	public ServerMetadataException forRegistration(String registrationId) {
		return new ServerMetadataException(this.issuer, registrationId, this.metadataStatus,
				forRegistration(registrationId, getMessage()), this);
	}

	static String forRegistration(String registrationId, @Nullable String message) {
		return "The token endpoint of registration '" + registrationId + "' is not known: " + message;
	}

}
