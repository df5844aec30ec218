package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Identifies one cached token: the registration it belongs to and, for per-user tokens,
 * the subject (for example one bank customer). Application tokens have no subject.
 * <p>
 * {@link #toString()} shows the registration only: a subject is personal data and must
 * not reach a log.
 *
 * @param registrationId the registration id, never {@code null}
 * @param subject the subject of a per-user token, or {@code null} for an application
 * token
 */
public record TokenKey(String registrationId, @Nullable String subject) {

	public TokenKey {
		Assert.hasText(registrationId, "registrationId must not be empty");
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
	 * @param subject the subject, or {@code null} for an application token
	 * @return the key
	 */
	public static TokenKey of(String registrationId, @Nullable String subject) {
		return new TokenKey(registrationId, subject);
	}

	@Override
	public String toString() {
		return "TokenKey[registration=" + this.registrationId
				+ ((this.subject != null) ? ", subject=[REDACTED]]" : "]");
	}

}
