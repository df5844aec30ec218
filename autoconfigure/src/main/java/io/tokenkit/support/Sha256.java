package io.tokenkit.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 digest that TokenKit's fingerprints, key names and key derivations share.
 * The provider is looked up once; each digest works on a clone of that instance: no
 * look-up per digest, no shared state between threads, no lock. Internal: not part of
 * TokenKit's public API.
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

}
