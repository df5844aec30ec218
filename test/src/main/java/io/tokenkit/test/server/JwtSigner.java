package io.tokenkit.test.server;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.json.JsonMapper;

/**
 * Signs the mock token server's JWT access tokens with an RSA key of its own
 * ({@code RS256}) and describes the public half as a JWK Set.
 */
public final class JwtSigner {

	private final KeyPair keyPair;

	private final String keyId = UUID.randomUUID().toString();

	/**
	 * Create a signer with a new 2048-bit RSA key.
	 */
	public JwtSigner() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			this.keyPair = generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("This JVM cannot generate an RSA key for the mock token server", ex);
		}
	}

	/**
	 * Return the key's id, the {@code kid} of its JWS headers and JWK.
	 * @return the key id
	 */
	public String keyId() {
		return this.keyId;
	}

	/**
	 * Return a compact JWS of {@code claims}, typed {@code at+jwt} (RFC 9068).
	 * @param claims the claims
	 * @return the JWT
	 */
	public String sign(Map<String, Object> claims) {
		Map<String, Object> header = new LinkedHashMap<>();
		header.put("alg", "RS256");
		header.put("typ", "at+jwt");
		header.put("kid", this.keyId);
		String signingInput = Tokens.signingInput(header, claims);
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(this.keyPair.getPrivate());
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + Tokens.base64Url(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not sign a JWT with the mock token server's key", ex);
		}
	}

	/**
	 * Return the JWK Set document of the public key.
	 * @return the JSON document
	 */
	public String jwkSet() {
		RSAPublicKey key = (RSAPublicKey) this.keyPair.getPublic();
		Map<String, Object> jwk = new LinkedHashMap<>();
		jwk.put("kty", "RSA");
		jwk.put("use", "sig");
		jwk.put("alg", "RS256");
		jwk.put("kid", this.keyId);
		jwk.put("n", unsigned(key.getModulus()));
		jwk.put("e", unsigned(key.getPublicExponent()));
		return JsonMapper.shared().writeValueAsString(Map.of("keys", List.of(jwk)));
	}

	private static String unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		if (bytes.length > 1 && bytes[0] == 0) {
			byte[] trimmed = new byte[bytes.length - 1];
			System.arraycopy(bytes, 1, trimmed, 0, trimmed.length);
			bytes = trimmed;
		}
		return Tokens.base64Url(bytes);
	}

}
