package io.tokenkit.discovery;

import org.jspecify.annotations.Nullable;

/**
 * An authorization server's metadata names another issuer than the one configured: the
 * two must be equal exactly (RFC 8414 §3.3, OpenID Connect Discovery 1.0 §4.3), or the
 * metadata may be an impostor's. Names both.
 */
public class IssuerMismatchException extends ServerMetadataException {

	private final String answeredIssuer;

	/**
	 * Create an exception.
	 * @param issuer the issuer configured
	 * @param answeredIssuer the issuer the metadata names
	 * @param message what went wrong and what to do
	 */
	public IssuerMismatchException(String issuer, String answeredIssuer, String message) {
		this(issuer, null, answeredIssuer, message, null);
	}

	private IssuerMismatchException(String issuer, @Nullable String registrationId, String answeredIssuer,
			String message, @Nullable Throwable cause) {
		super(issuer, registrationId, 200, message, cause);
		this.answeredIssuer = answeredIssuer;
	}

	/**
	 * Return the issuer the metadata names.
	 * @return the issuer answered
	 */
	public String getAnsweredIssuer() {
		return this.answeredIssuer;
	}

	@Override
	public IssuerMismatchException forRegistration(String registrationId) {
		return new IssuerMismatchException(getIssuer(), registrationId, this.answeredIssuer,
				forRegistration(registrationId, getMessage()), this);
	}

}
