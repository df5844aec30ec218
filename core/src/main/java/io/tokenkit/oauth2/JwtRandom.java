package io.tokenkit.oauth2;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The randomness of the JWTs TokenKit signs while a call is under way (DPoP proofs,
 * client assertions, JWT-bearer assertions): their {@code jti} and their signatures'
 * randomness (ECDSA's {@code k}, PSS's salt) come from a DRBG seeded once, when this is
 * made, so that a JWT signed on a Reactor thread never reads {@code /dev/urandom} (the
 * JDK's default source does, and takes a global lock).
 */
final class JwtRandom {

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private final SecureRandom random;

	/**
	 * Make a DRBG and seed it now; make one where blocking is fine, for example when the
	 * application starts.
	 */
	JwtRandom() {
		SecureRandom random;
		try {
			random = SecureRandom.getInstance("DRBG");
		}
		catch (NoSuchAlgorithmException ex) {
			random = new SecureRandom();
		}
		// the DRBG takes its seed on first use: now, not on a Reactor thread
		random.nextBytes(new byte[16]);
		this.random = random;
	}

	/**
	 * Return a new {@code jti}: 16 random bytes, base64url-encoded.
	 * @return the identifier
	 */
	String jti() {
		byte[] jti = new byte[16];
		this.random.nextBytes(jti);
		return base64Url.encodeToString(jti);
	}

	/**
	 * Return the DRBG, for the randomness of a signature.
	 * @return the seeded DRBG
	 */
	SecureRandom source() {
		return this.random;
	}

}
