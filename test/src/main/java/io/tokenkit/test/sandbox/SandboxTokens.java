package io.tokenkit.test.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Token values for the sandboxes: random opaque tokens, HS256-signed JWTs, HMAC-SHA256
 * and SHA-256 hashes.
 */
final class SandboxTokens {

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private SandboxTokens() {
	}

	/**
	 * Return a random opaque token of 32 bytes, base64url without padding, after a
	 * readable prefix.
	 */
	static String opaque(String prefix) {
		byte[] bytes = new byte[32];
		random.nextBytes(bytes);
		return prefix + base64Url.encodeToString(bytes);
	}

	/**
	 * Return a JWT signed HS256 with a key, with {@code iat}, {@code exp} and {@code jti}
	 * and the given claims.
	 */
	static String hs256(String key, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
		Map<String, Object> payload = new LinkedHashMap<>(claims);
		payload.put("iat", issuedAt.getEpochSecond());
		payload.put("exp", expiresAt.getEpochSecond());
		payload.put("jti", opaque(""));
		String signingInput = base64Url
			.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64Url.encodeToString(SandboxServer.json.writeValueAsBytes(payload));
		return signingInput + "." + base64Url.encodeToString(hmacSha256(key, signingInput));
	}

	/**
	 * Return the HMAC-SHA256 of a UTF-8 message with a UTF-8 key.
	 */
	static byte[] hmacSha256(String key, String message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is not available", ex);
		}
	}

	/**
	 * Return the base64url SHA-256 of a token value, as Authlete lists token hashes.
	 */
	static String hash(String value) {
		try {
			return base64Url
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
