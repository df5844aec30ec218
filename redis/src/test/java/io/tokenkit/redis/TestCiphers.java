package io.tokenkit.redis;

import java.util.List;

/**
 * Fixed AES keys and ciphers for the tests of values encrypted at rest.
 */
final class TestCiphers {

	private TestCiphers() {
	}

	/**
	 * Return a cipher that encrypts with a key and knows no previous one.
	 * @param key the key
	 * @return the cipher
	 */
	static TokenCipher cipher(byte[] key) {
		return new TokenCipher(key, List.of());
	}

	/**
	 * Return a fixed key of {@value TokenCipher#KEY_LENGTH} bytes, counting up from a
	 * character.
	 * @param c the first byte
	 * @return the key
	 */
	static byte[] bytes(char c) {
		byte[] key = new byte[TokenCipher.KEY_LENGTH];
		for (int i = 0; i < key.length; i++) {
			key[i] = (byte) (c + i);
		}
		return key;
	}

}
