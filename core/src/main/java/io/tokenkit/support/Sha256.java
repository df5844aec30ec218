package io.tokenkit.support;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The SHA-256 digest and HMAC-SHA256 that TokenKit's fingerprints, key names, key
 * derivations and request signatures share. The provider is looked up once (an HMAC is
 * also keyed once, {@link #hmac(byte[])}); each computation works on a clone of that
 * instance: no look-up per digest, no shared state between threads, no lock (so no
 * virtual thread is pinned), and no per-thread copy. Internal: not part of TokenKit's
 * public API.
 */
public final class Sha256 {

	private static final MessageDigest PROTOTYPE = newDigest();

	private Sha256() {
	}

	/**
	 * Return the SHA-256 digest of some bytes.
	 * @param bytes the bytes
	 * @return the 32-byte digest
	 */
	public static byte[] digest(byte[] bytes) {
		MessageDigest digest;
		try {
			digest = (MessageDigest) PROTOTYPE.clone();
		}
		catch (CloneNotSupportedException ex) {
			// a provider whose digest cannot be cloned: a new one for this digest
			digest = newDigest();
		}
		return digest.digest(bytes);
	}

	private static MessageDigest newDigest() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	/**
	 * Return the SHA-256 digest of a text's UTF-8 bytes.
	 * @param text the text
	 * @return the 32-byte digest
	 */
	public static byte[] digest(String text) {
		return digest(text.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Return the lower-case hex of the SHA-256 digest of a text's UTF-8 bytes.
	 * @param text the text
	 * @return 64 lower-case hex digits
	 */
	public static String hex(String text) {
		return HexFormat.of().formatHex(digest(text));
	}

	/**
	 * Return an HMAC-SHA256 keyed with a key.
	 * @param key the HMAC key
	 * @return the keyed HMAC, safe to share between threads
	 */
	public static Hmac hmac(byte[] key) {
		return new Hmac(new SecretKeySpec(key, Hmac.ALGORITHM));
	}

	/**
	 * An HMAC-SHA256 under one key; its {@link #toString()} shows no key.
	 */
	public static final class Hmac {

		private static final String ALGORITHM = "HmacSHA256";

		private final SecretKeySpec key;

		private final Mac prototype;

		private Hmac(SecretKeySpec key) {
			this.key = key;
			this.prototype = newMac(key);
		}

		/**
		 * Return the HMAC of some bytes.
		 * @param bytes the bytes
		 * @return the 32-byte HMAC
		 */
		public byte[] digest(byte[] bytes) {
			Mac mac;
			try {
				mac = (Mac) this.prototype.clone();
			}
			catch (CloneNotSupportedException ex) {
				// a provider whose Mac cannot be cloned: one keyed for this computation
				mac = newMac(this.key);
			}
			return mac.doFinal(bytes);
		}

		/**
		 * Return the lower-case hex of the HMAC of some bytes.
		 * @param bytes the bytes
		 * @return 64 lower-case hex digits
		 */
		public String hex(byte[] bytes) {
			return HexFormat.of().formatHex(digest(bytes));
		}

		/**
		 * Return the lower-case hex of the HMAC of a text's UTF-8 bytes.
		 * @param text the text
		 * @return 64 lower-case hex digits
		 */
		public String hex(String text) {
			return hex(text.getBytes(StandardCharsets.UTF_8));
		}

		private static Mac newMac(SecretKeySpec key) {
			try {
				Mac mac = Mac.getInstance(ALGORITHM);
				mac.init(key);
				return mac;
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("HmacSHA256 is always available", ex);
			}
		}

		@Override
		public String toString() {
			return "Hmac[HMAC-SHA256, key=[REDACTED]]";
		}

	}

}
