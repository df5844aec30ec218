package io.tokenkit.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.support.Sha256;

import org.springframework.util.Assert;

/**
 * A client's private key, with the JWS algorithm it signs with and the key id its JWS
 * headers carry: what signs {@code private_key_jwt} client assertions and DPoP proofs
 * (whose {@code jwk} is the public key, derived from the private key). Signs with the
 * JDK's own signatures, so that EdDSA needs no other library.
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
	 * The public JWK and its thumbprint, derived when first asked for: a key that only
	 * signs client assertions never needs them.
	 */
	private volatile @Nullable PublicPart publicPart;

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
		if (privateKey instanceof RSAPrivateKey) {
			primeRsaBlinding(privateKey);
		}
	}

	/**
	 * Sign once, now, with an RSA key: the JDK makes the blinding parameters of an RSA
	 * key's first signature from its default random source, which reads
	 * {@code /dev/urandom}, and keeps them for the key's later signatures. Made here,
	 * where blocking is fine, they are not made on a Reactor thread later (only a second
	 * signature under way at the same moment with the same key makes more). A key the JDK
	 * cannot sign with fails when it is used, as it would without this.
	 */
	private static void primeRsaBlinding(PrivateKey key) {
		try {
			java.security.Signature signature = ClientKeyAlgorithm.RS256.signature(key);
			signature.update(new byte[1]);
			signature.sign();
		}
		catch (GeneralSecurityException | RuntimeException ex) {
			// reported by the first real signature
		}
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
	 * Return the JWK SHA-256 thumbprint (RFC 7638) of this key's public key, which a
	 * DPoP-bound token's {@code cnf.jkt} names.
	 * @return the base64url thumbprint
	 * @throws IllegalArgumentException if the public key cannot be derived from the
	 * private key (an RSA key without its CRT parameters)
	 */
	public String getThumbprint() {
		return publicPart().thumbprint();
	}

	/**
	 * Return the public JWK with the members its thumbprint hashes.
	 */
	Map<String, Object> publicJwk() {
		return publicPart().jwk();
	}

	private PublicPart publicPart() {
		PublicPart part = this.publicPart;
		if (part == null) {
			Map<String, Object> jwk = Collections.unmodifiableMap(PublicJwks.of(this.privateKey));
			String thumbprint = base64Url.encodeToString(Sha256.digest(json.writeValueAsBytes(jwk)));
			part = new PublicPart(jwk, thumbprint);
			this.publicPart = part;
		}
		return part;
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
		return sign(header, claims, true, null);
	}

	/**
	 * Return a compact JWS of the given claims, with {@code kid} in its header only when
	 * asked for (a DPoP proof names its key by its {@code jwk}), drawing the signature's
	 * randomness from {@code random} when given (one that never blocks, for a Reactor
	 * thread).
	 */
	String sign(Map<String, ?> header, Map<String, ?> claims, boolean withKeyId, @Nullable SecureRandom random) {
		Map<String, Object> fullHeader = new LinkedHashMap<>();
		fullHeader.put("alg", this.algorithm.jwsName());
		if (withKeyId && this.keyId != null) {
			fullHeader.put("kid", this.keyId);
		}
		fullHeader.putAll(header);
		String signingInput = encode(fullHeader) + "." + encode(claims);
		try {
			java.security.Signature signature = this.algorithm.signature(this.privateKey, random);
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

	/**
	 * The public JWK of the key and its thumbprint.
	 */
	private record PublicPart(Map<String, Object> jwk, String thumbprint) {
	}

	@Override
	public String toString() {
		return "ClientKey[algorithm=" + this.algorithm.jwsName() + ", keyId=" + this.keyId + "]";
	}

}
