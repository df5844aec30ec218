package io.tokenkit.test.server;

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

import tools.jackson.databind.json.JsonMapper;

/**
 * Token values for the kit's servers: random opaque tokens, compact JWS (HS256 here,
 * RS256 through {@link JwtSigner}), HMAC-SHA256 and SHA-256 hashes.
 */
public final class Tokens {

	private static final SecureRandom random = new SecureRandom();

	private static final Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();

	private Tokens() {
	}

	/**
	 * Return a random opaque token of 32 bytes, base64url without padding, after a
	 * readable prefix.
	 * @param prefix the prefix, may be empty
	 * @return the token
	 */
	public static String opaque(String prefix) {
		return prefix + random(32);
	}

	/**
	 * Return random bytes, base64url without padding.
	 * @param bytes how many bytes
	 * @return the text
	 */
	public static String random(int bytes) {
		byte[] value = new byte[bytes];
		random.nextBytes(value);
		return encoder.encodeToString(value);
	}

	/**
	 * Return base64url without padding.
	 * @param bytes the bytes
	 * @return the text
	 */
	public static String base64Url(byte[] bytes) {
		return encoder.encodeToString(bytes);
	}

	/**
	 * Return the signing input of a compact JWS: the base64url JSON of the header and the
	 * claims, joined by a dot.
	 * @param header the header
	 * @param claims the claims
	 * @return the signing input
	 */
	public static String signingInput(Map<String, Object> header, Map<String, Object> claims) {
		return base64Url(JsonMapper.shared().writeValueAsBytes(header)) + "."
				+ base64Url(JsonMapper.shared().writeValueAsBytes(claims));
	}

	/**
	 * Return a JWT signed HS256 with a key, with {@code iat}, {@code exp} and {@code jti}
	 * and the given claims.
	 * @param key the key, as UTF-8
	 * @param issuedAt the issue time
	 * @param expiresAt the expiry
	 * @param claims the other claims
	 * @return the JWT
	 */
	public static String hs256(String key, Instant issuedAt, Instant expiresAt, Map<String, Object> claims) {
		Map<String, Object> payload = new LinkedHashMap<>(claims);
		payload.put("iat", issuedAt.getEpochSecond());
		payload.put("exp", expiresAt.getEpochSecond());
		payload.put("jti", opaque(""));
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "HS256");
		header.put("typ", "JWT");
		String signingInput = signingInput(header, payload);
		return signingInput + "." + encoder.encodeToString(hmacSha256(key, signingInput));
	}

	/**
	 * Return the HMAC-SHA256 of a UTF-8 message with a UTF-8 key.
	 * @param key the key
	 * @param message the message
	 * @return the MAC
	 */
	public static byte[] hmacSha256(String key, String message) {
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
	 * @param value the token value
	 * @return the hash
	 */
	public static String hash(String value) {
		try {
			return encoder
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
