package io.tokenkit.redis;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.Sha256;

/**
 * Turns subjects into the hex text of Redis key names: an HMAC-SHA256 under the subject
 * key, or a plain SHA-256 without one (both {@link Sha256}, keyed and looked up once).
 */
final class SubjectHasher {

	private final Sha256.@Nullable Hmac hmac;

	/**
	 * Create a hasher.
	 * @param subjectKey the HMAC key, or {@code null} (or empty) for a plain SHA-256
	 */
	SubjectHasher(byte @Nullable [] subjectKey) {
		this.hmac = (subjectKey != null && subjectKey.length > 0) ? Sha256.hmac(subjectKey) : null;
	}

	/**
	 * Return whether subjects are hashed under a subject key.
	 * @return whether there is a subject key
	 */
	boolean keyed() {
		return this.hmac != null;
	}

	/**
	 * Return the hex of the subject's HMAC-SHA256, or of its plain SHA-256 without a
	 * subject key.
	 * @param subject the subject
	 * @return lower-case hex
	 */
	String hash(String subject) {
		return (this.hmac != null) ? this.hmac.hex(subject) : sha256(subject);
	}

	/**
	 * Return the hex of the subject's plain SHA-256: the key name a subject had before a
	 * subject key was configured.
	 * @param subject the subject
	 * @return lower-case hex
	 */
	String sha256(String subject) {
		return Sha256.hex(subject);
	}

	@Override
	public String toString() {
		return "SubjectHasher[" + (keyed() ? "HMAC-SHA256" : "SHA-256") + "]";
	}

}
