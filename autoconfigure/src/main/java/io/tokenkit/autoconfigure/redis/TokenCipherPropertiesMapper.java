package io.tokenkit.autoconfigure.redis;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.redis.TokenCipher;
import io.tokenkit.registration.InvalidTokenKitPropertyException;

import org.springframework.util.StringUtils;

/**
 * Maps {@code tokenkit.store.encryption-key} and
 * {@code tokenkit.store.previous-encryption-keys} to a {@link TokenCipher}. A key that is
 * not the Base64 of 32 bytes stops start-up naming the property, never showing the value;
 * so does {@code tokenkit.store.migrate-plain-tokens=false} without a key.
 */
final class TokenCipherPropertiesMapper {

	private static final String ENCRYPTION_KEY = "tokenkit.store.encryption-key";

	private static final String PREVIOUS_ENCRYPTION_KEYS = "tokenkit.store.previous-encryption-keys";

	private static final String MIGRATE_PLAIN_TOKENS = "tokenkit.store.migrate-plain-tokens";

	private TokenCipherPropertiesMapper() {
	}

	/**
	 * Return the cipher the store properties configure.
	 * @param store the store properties
	 * @return the cipher, or {@code null} when no encryption key is set
	 */
	static @Nullable TokenCipher tokenCipher(TokenKitProperties.Store store) {
		List<String> previous = (store.getPreviousEncryptionKeys() != null) ? store.getPreviousEncryptionKeys()
				: List.of();
		if (!StringUtils.hasText(store.getEncryptionKey())) {
			if (!previous.isEmpty()) {
				throw new InvalidTokenKitPropertyException(PREVIOUS_ENCRYPTION_KEYS, null,
						"it is set but " + ENCRYPTION_KEY + " is not", "Set " + ENCRYPTION_KEY
								+ " to the key that encrypts new values, or remove " + PREVIOUS_ENCRYPTION_KEYS + ".");
			}
			if (!store.isMigratePlainTokens()) {
				throw new InvalidTokenKitPropertyException(MIGRATE_PLAIN_TOKENS, "false",
						"it only refuses plain tokens under an encryption key, but " + ENCRYPTION_KEY + " is not set",
						"Set " + ENCRYPTION_KEY + " to encrypt the stored tokens, or remove " + MIGRATE_PLAIN_TOKENS
								+ ".");
			}
			return null;
		}
		byte[] current = key(ENCRYPTION_KEY, store.getEncryptionKey());
		List<byte[]> previousKeys = new ArrayList<>();
		for (int i = 0; i < previous.size(); i++) {
			previousKeys.add(key(PREVIOUS_ENCRYPTION_KEYS + "[" + i + "]", previous.get(i)));
		}
		return new TokenCipher(current, previousKeys);
	}

	private static byte[] key(String property, @Nullable String value) {
		byte[] key = null;
		if (value != null) {
			try {
				key = Base64.getDecoder().decode(value.strip());
			}
			catch (IllegalArgumentException ex) {
				key = null;
			}
		}
		if (key == null || key.length != TokenCipher.KEY_LENGTH) {
			throw new InvalidTokenKitPropertyException(property, null,
					(key == null) ? "it is not Base64"
							: "it must be the Base64 of " + TokenCipher.KEY_LENGTH + " bytes but holds " + key.length,
					"Set " + property + " to the Base64 of " + TokenCipher.KEY_LENGTH
							+ " random bytes, for example the output of 'openssl rand -base64 32'.");
		}
		return key;
	}

}
