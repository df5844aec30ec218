package io.tokenkit.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.Assert;

/**
 * A client's private key, with the JWS algorithm it signs with and the key id its JWS
 * headers carry: what signs {@code private_key_jwt} client assertions (and, later, DPoP
 * proofs). Signs with the JDK's own signatures, so that EdDSA needs no other library.
 * <p>
 * The key is a secret: {@link #toString()} shows the algorithm and key id only, and no
 * method returns the key.
 */
public final class ClientKey {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private final PrivateKey privateKey;

	private final ClientKeyAlgorithm algorithm;

	private final @Nullable String keyId;

	/**
	 * Create a client key.
	 * @param privateKey the private key
	 * @param algorithm the algorithm it signs with, which must
	 * {@link ClientKeyAlgorithm#fits fit} the key
	 * @param keyId the {@code kid} of JWS headers, or {@code null} for none
	 */
	public ClientKey(PrivateKey privateKey, ClientKeyAlgorithm algorithm, @Nullable String keyId) {
		Assert.notNull(privateKey, "privateKey must not be null");
		Assert.notNull(algorithm, "algorithm must not be null");
		Assert.isTrue(algorithm.fits(privateKey),
				() -> "A " + privateKey.getAlgorithm() + " key does not sign " + algorithm.jwsName());
		Assert.isTrue(keyId == null || !keyId.isBlank(), "keyId must not be empty");
		this.privateKey = privateKey;
		this.algorithm = algorithm;
		this.keyId = keyId;
	}

	/**
	 * Return the algorithm the key signs with.
	 * @return the algorithm
	 */
	public ClientKeyAlgorithm getAlgorithm() {
		return this.algorithm;
	}

	/**
	 * Return the {@code kid} of JWS headers.
	 * @return the key id, or {@code null} for none
	 */
	public @Nullable String getKeyId() {
		return this.keyId;
	}

	/**
	 * Return the size of an RSA key's modulus in bits.
	 * @return the size, or {@code 0} for a key that is not an RSA key
	 */
	public int getRsaKeySize() {
		return (this.privateKey instanceof RSAPrivateKey rsa) ? rsa.getModulus().bitLength() : 0;
	}

	/**
	 * Return a compact JWS (RFC 7515 §7.1) of the given claims, signed with this key; its
	 * header holds {@code alg}, {@code kid} when there is one, and the given header
	 * parameters.
	 * @param header more header parameters, for example {@code typ}; possibly empty
	 * @param claims the claims
	 * @return the JWS
	 * @throws IllegalStateException if the JDK cannot sign with the key
	 */
	public String sign(Map<String, ?> header, Map<String, ?> claims) {
		Assert.notNull(header, "header must not be null");
		Assert.notNull(claims, "claims must not be null");
		Map<String, Object> fullHeader = new LinkedHashMap<>();
		fullHeader.put("alg", this.algorithm.jwsName());
		if (this.keyId != null) {
			fullHeader.put("kid", this.keyId);
		}
		fullHeader.putAll(header);
		String signingInput = encode(fullHeader) + "." + encode(claims);
		try {
			java.security.Signature signature = this.algorithm.signature(this.privateKey);
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			byte[] signed = signature.sign();
			if (this.algorithm == ClientKeyAlgorithm.ES256) {
				signed = JwsSignatures.derToConcatenated(signed, 32);
			}
			return signingInput + "." + base64Url.encodeToString(signed);
		}
		catch (GeneralSecurityException ex) {
			// never the key, and not the JDK's message, which may describe it
			throw new IllegalStateException("The JDK could not sign with the " + this.algorithm.jwsName()
					+ " client key " + describeKeyId() + " (" + ex.getClass().getSimpleName() + ")");
		}
	}

	static String encode(Map<String, ?> json) {
		return base64Url.encodeToString(ClientKey.json.writeValueAsBytes(json));
	}

	private String describeKeyId() {
		return (this.keyId != null) ? "'" + this.keyId + "'" : "without key id";
	}

	@Override
	public String toString() {
		return "ClientKey[algorithm=" + this.algorithm.jwsName() + ", keyId=" + this.keyId + "]";
	}

}
