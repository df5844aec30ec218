package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Identifies one cached token: the registration it belongs to, for per-user tokens the
 * subject (for example one bank customer), and the {@link TokenParameters} the token was
 * asked for beyond the registration's defaults. Application tokens have no subject
 * ({@code null}); an empty or blank subject is refused rather than taken for none, so
 * that a user id that was never set fails loudly instead of sharing a token; most keys
 * have {@link TokenParameters#NONE}.
 * <p>
 * {@link #toString()} shows the registration only: a subject is personal data and must
 * not reach a log.
 *
 * @param registrationId the registration id, never {@code null}
 * @param subject the subject of a per-user token, or {@code null} for an application
 * token
 * @param parameters what the token is asked for beyond the registration's defaults
 */
public record TokenKey(String registrationId, @Nullable String subject, TokenParameters parameters) {

	/**
	 * Create a key.
	 * @throws IllegalArgumentException if the registration id is empty, or the subject is
	 * empty or blank: a per-user token needs a subject that names its user (an id that
	 * was never set must not share one token between every user who lacks it), and an
	 * application token has none ({@code null})
	 */
	public TokenKey {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(parameters, "parameters must not be null");
		if (subject != null && subject.isBlank()) {
			throw new IllegalArgumentException("The subject of a token of registration '" + registrationId
					+ "' is empty or blank: pass the user's id for a per-user token, or no subject (null) for the "
					+ "registration's application token");
		}
	}

	/**
	 * Create a key with the registration's default parameters.
	 * @param registrationId the registration id
	 * @param subject the subject, or {@code null} for an application token; never blank
	 */
	public TokenKey(String registrationId, @Nullable String subject) {
		this(registrationId, subject, TokenParameters.NONE);
	}

	/**
	 * Create the key of an application token (no subject).
	 * @param registrationId the registration id
	 * @return the key
	 */
	public static TokenKey of(String registrationId) {
		return new TokenKey(registrationId, null);
	}

	/**
	 * Create the key of a per-user token.
	 * @param registrationId the registration id
	 * @param subject the subject, or {@code null} for an application token; never blank
	 * @return the key
	 * @throws IllegalArgumentException if the subject is empty or blank
	 */
	public static TokenKey of(String registrationId, @Nullable String subject) {
		return new TokenKey(registrationId, subject);
	}

	/**
	 * Return the key of the same registration and subject with other parameters.
	 * @param parameters the parameters
	 * @return the key, this one when the parameters are equal
	 */
	public TokenKey withParameters(TokenParameters parameters) {
		return this.parameters.equals(parameters) ? this : new TokenKey(this.registrationId, this.subject, parameters);
	}

	@Override
	public String toString() {
		return "TokenKey[registration=" + this.registrationId + ((this.subject != null) ? ", subject=[REDACTED]" : "")
				+ (this.parameters.isEmpty() ? "]" : ", " + this.parameters + "]");
	}

}
