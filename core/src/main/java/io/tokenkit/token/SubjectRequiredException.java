package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

/**
 * A request for an application token (a {@link TokenKey} without a subject) found none to
 * acquire: the registration holds per-user tokens and the request named no subject, or
 * the registration has no application credential configured (such as
 * {@code tokenkit.registrations.<id>.refresh-token}). A slip in code or configuration:
 * set the request attribute {@link #getAttributeName()}
 * ({@link TokenRequestAttributes#subject(String)}) on the request, or pass a
 * {@link TokenKey} with a subject to the {@link TokenManager}, or configure the
 * application credential. TokenKit made no token call, and the slip does not count
 * against the registration's health; it is logged at WARN once per registration.
 */
public class SubjectRequiredException extends TokenAcquisitionException {

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 * @param message what is missing and what to do
	 * @param cause the token source's answer, or {@code null}
	 */
	public SubjectRequiredException(String registrationId, String message, @Nullable Throwable cause) {
		super(registrationId, message);
		if (cause != null) {
			initCause(cause);
		}
	}

	/**
	 * Return the name of the request attribute that names the subject of a per-user
	 * token: {@link TokenRequestAttributes#SUBJECT}.
	 * @return the attribute name
	 */
	public String getAttributeName() {
		return TokenRequestAttributes.SUBJECT;
	}

}
