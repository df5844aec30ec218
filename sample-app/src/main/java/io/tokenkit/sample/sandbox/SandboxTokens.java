package io.tokenkit.sample.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Token values for the sandboxes: random opaque tokens, HS256-signed JWTs and token
 * hashes.
 */
final class SandboxTokens {

	private static final SecureRandom random = new SecureRandom();

	private SandboxTokens() {
	}

	/**
	 * Return a random opaque token of 32 bytes, base64url without padding.
	 * @param prefix a readable prefix
	 * @return the token
	 */
	static String opaque(String prefix) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * Return an HS256 JWT.
	 * @param key the HMAC key, at least 32 bytes (HS256 needs 256 bits)
	 * @param issuedAt the issue time
	 * @param expiresAt the expiry
	 * @param claims the other claims
	 * @return the serialized JWT
	 */
	static String hs256(String key, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issueTime(Date.from(issuedAt))
			.expirationTime(Date.from(expiresAt))
			.jwtID(opaque(""));
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), builder.build());
		try {
			jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Cannot sign a sandbox JWT", ex);
		}
		return jwt.serialize();
	}

	/**
	 * Return the base64url SHA-256 of a token value, as Authlete lists token hashes.
	 * @param value the token
	 * @return the hash
	 */
	static String hash(String value) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
