package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.Sha256;

/**
 * Turns subjects into the hex text of Redis key names: an HMAC-SHA256 under the subject
 * key, or a plain SHA-256 without one ({@link Sha256}). The {@link Mac} is made and keyed
 * once, and each computation works on a clone of it: no provider look-up per key, no
 * shared state between threads, no lock (so no virtual thread is pinned), and no
 * per-thread copy.
 */
final class SubjectHasher {

	private final @Nullable SecretKeySpec key;

	private final @Nullable Mac mac;

	/**
	 * Create a hasher.
	 * @param subjectKey the HMAC key, or {@code null} (or empty) for a plain SHA-256
	 */
	SubjectHasher(byte @Nullable [] subjectKey) {
		if (subjectKey != null && subjectKey.length > 0) {
			this.key = new SecretKeySpec(subjectKey, "HmacSHA256");
			this.mac = newMac(this.key);
		}
		else {
			this.key = null;
			this.mac = null;
		}
	}

	/**
	 * Return whether subjects are hashed under a subject key.
	 * @return whether there is a subject key
	 */
	boolean keyed() {
		return this.mac != null;
	}

	/**
	 * Return the hex of the subject's HMAC-SHA256, or of its plain SHA-256 without a
	 * subject key.
	 * @param subject the subject
	 * @return lower-case hex
	 */
	String hash(String subject) {
		return (this.mac != null) ? hmac(subject) : sha256(subject);
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

	private String hmac(String subject) {
		Mac prototype = this.mac;
		Mac mac;
		try {
			mac = (Mac) prototype.clone();
		}
		catch (CloneNotSupportedException ex) {
			// a provider whose Mac cannot be cloned: one keyed for this computation
			mac = newMac(this.key);
		}
		return HexFormat.of().formatHex(mac.doFinal(subject.getBytes(StandardCharsets.UTF_8)));
	}

	private static Mac newMac(SecretKeySpec key) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(key);
			return mac;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HmacSHA256 is always available", ex);
		}
	}

	@Override
	public String toString() {
		return "SubjectHasher[" + (keyed() ? "HMAC-SHA256" : "SHA-256") + "]";
	}

}
