package io.tokenkit.redis;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.tokenkit.support.Sha256;

import org.springframework.util.Assert;

/**
 * Encrypts the token values a {@link RedisTokenStore} writes with AES-256-GCM under the
 * current key, and decrypts them with the current key or a previous one.
 * <p>
 * A value is {@code gcm1:} followed by the Base64 of a 4-byte key id (the first bytes of
 * the key's SHA-256), a fresh random 12-byte IV and the ciphertext with its 128-bit tag.
 * The key id picks the key without trial decryption. The Redis key name is the associated
 * data, so a value copied to another key does not decrypt.
 */
public final class TokenCipher {

	/** The length of a key in bytes. */
	public static final int KEY_LENGTH = 32;

	private static final String PREFIX = "gcm1:";

	private static final int KEY_ID_LENGTH = 4;

	private static final int IV_LENGTH = 12;

	private static final int TAG_BITS = 128;

	private static final String TRANSFORMATION = "AES/GCM/NoPadding";

	private final String currentKeyId;

	private final Map<String, SecretKeySpec> keys = new LinkedHashMap<>();

	private final SecureRandom random;

	/**
	 * Create a cipher.
	 * @param currentKey the key that encrypts, {@value #KEY_LENGTH} bytes
	 * @param previousKeys keys that only decrypt, tried after the current one, each
	 * {@value #KEY_LENGTH} bytes
	 */
	public TokenCipher(byte[] currentKey, List<byte[]> previousKeys) {
		Assert.notNull(currentKey, "currentKey must not be null");
		Assert.notNull(previousKeys, "previousKeys must not be null");
		this.currentKeyId = add(currentKey);
		for (byte[] key : previousKeys) {
			add(key);
		}
		this.random = random();
	}

	private String add(byte[] key) {
		Assert.notNull(key, "each key must not be null");
		Assert.isTrue(key.length == KEY_LENGTH, "each key must be " + KEY_LENGTH + " bytes");
		String id = HexFormat.of().formatHex(Arrays.copyOf(Sha256.digest(key), KEY_ID_LENGTH));
		this.keys.putIfAbsent(id, new SecretKeySpec(key, "AES"));
		return id;
	}

	/**
	 * Whether a stored value is in this cipher's format, rather than a plain value.
	 * @param value the stored value
	 * @return whether it was written encrypted
	 */
	public static boolean isEncrypted(String value) {
		Assert.notNull(value, "value must not be null");
		return value.startsWith(PREFIX);
	}

	/**
	 * Encrypt a value under the current key with a fresh IV.
	 * @param plaintext the value
	 * @param associatedData the name of the Redis key it is written to
	 * @return the encrypted value
	 */
	public String encrypt(String plaintext, String associatedData) {
		Assert.notNull(plaintext, "plaintext must not be null");
		Assert.notNull(associatedData, "associatedData must not be null");
		byte[] iv = new byte[IV_LENGTH];
		this.random.nextBytes(iv);
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, iv));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			ByteBuffer out = ByteBuffer.allocate(KEY_ID_LENGTH + IV_LENGTH + sealed.length);
			out.put(HexFormat.of().parseHex(this.currentKeyId)).put(iv).put(sealed);
			return PREFIX + Base64.getEncoder().encodeToString(out.array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is always available", ex);
		}
	}

	/**
	 * Decrypt a value with the key its key id names.
	 * @param value the encrypted value
	 * @param associatedData the name of the Redis key it was read from
	 * @return the value
	 * @throws UndecryptableException if the value is malformed, names a key that is not
	 * configured, was changed or was written to another Redis key
	 */
	public String decrypt(String value, String associatedData) {
		Assert.notNull(value, "value must not be null");
		Assert.notNull(associatedData, "associatedData must not be null");
		byte[] bytes;
		try {
			bytes = isEncrypted(value) ? Base64.getDecoder().decode(value.substring(PREFIX.length())) : null;
		}
		catch (IllegalArgumentException ex) {
			bytes = null;
		}
		if (bytes == null || bytes.length < KEY_ID_LENGTH + IV_LENGTH + TAG_BITS / 8) {
			throw new UndecryptableException("it is not in the encrypted format");
		}
		String keyId = HexFormat.of().formatHex(bytes, 0, KEY_ID_LENGTH);
		SecretKeySpec key = this.keys.get(keyId);
		if (key == null) {
			throw new UndecryptableException("it was encrypted with a key (id " + keyId
					+ ") that is neither the encryption key nor one of the previous keys");
		}
		try {
			Cipher cipher = Cipher.getInstance(TRANSFORMATION);
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, KEY_ID_LENGTH, IV_LENGTH));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] plain = cipher.doFinal(bytes, KEY_ID_LENGTH + IV_LENGTH, bytes.length - KEY_ID_LENGTH - IV_LENGTH);
			return new String(plain, StandardCharsets.UTF_8);
		}
		catch (AEADBadTagException ex) {
			throw new UndecryptableException(
					"its authentication tag does not match: it was changed, or copied from another Redis key");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("AES-GCM is always available", ex);
		}
	}

	/**
	 * A DRBG seeded now, so that drawing an IV later on a reactive thread reads no file;
	 * the platform default otherwise.
	 */
	private static SecureRandom random() {
		SecureRandom random;
		try {
			random = SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			random = new SecureRandom();
		}
		random.nextBytes(new byte[IV_LENGTH]);
		return random;
	}

	@Override
	public String toString() {
		return "TokenCipher[AES-256-GCM, keyIds=" + new ArrayList<>(this.keys.keySet()) + "]";
	}

	/**
	 * A stored value that this cipher cannot decrypt. Its message says why, never the
	 * value.
	 */
	public static final class UndecryptableException extends RuntimeException {

		UndecryptableException(String reason) {
			super(reason, null, false, false);
		}

	}

}
