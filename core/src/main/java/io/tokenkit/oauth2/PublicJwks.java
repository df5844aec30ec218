package io.tokenkit.oauth2;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Derives the public JWK (RFC 7517) of a {@link ClientKey}'s private key, with exactly
 * the members its RFC 7638 thumbprint hashes, in their lexicographic order: what a DPoP
 * proof's {@code jwk} header carries. The key pair is not needed: an RSA key's CRT form
 * holds its public exponent, an EC key's public point is its scalar times the curve's
 * generator, and an Ed25519 key's public key is what the JDK derives from its seed.
 */
final class PublicJwks {

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	/** The length of an Ed25519 public key, the end of its X.509 encoding. */
	private static final int ED25519_KEY_BYTES = 32;

	private PublicJwks() {
	}

	/**
	 * Return the public JWK of a private key, members in lexicographic order.
	 * @param key the private key
	 * @return the JWK's required members
	 * @throws IllegalArgumentException if the public key cannot be derived (an RSA key
	 * without its CRT parameters)
	 */
	static Map<String, Object> of(PrivateKey key) {
		Map<String, Object> jwk = new LinkedHashMap<>();
		if (key instanceof RSAPrivateCrtKey rsa) {
			jwk.put("e", encode(rsa.getPublicExponent(), 0));
			jwk.put("kty", "RSA");
			jwk.put("n", encode(rsa.getModulus(), 0));
		}
		else if (key instanceof ECPrivateKey ec) {
			ECParameterSpec params = ec.getParams();
			ECPoint point = multiply(params, ec.getS());
			int length = (params.getCurve().getField().getFieldSize() + 7) / 8;
			jwk.put("crv", "P-256");
			jwk.put("kty", "EC");
			jwk.put("x", encode(point.getAffineX(), length));
			jwk.put("y", encode(point.getAffineY(), length));
		}
		else if (key instanceof EdECPrivateKey ed) {
			jwk.put("crv", "Ed25519");
			jwk.put("kty", "OKP");
			jwk.put("x", base64Url.encodeToString(ed25519PublicKey(ed)));
		}
		else {
			throw new IllegalArgumentException("the public key of a " + key.getAlgorithm()
					+ " private key cannot be derived: use an RSA key with its CRT parameters (PKCS#8, PKCS#1 or a "
					+ "JWK with p and q), a P-256 EC key or an Ed25519 key");
		}
		return jwk;
	}

	private static String encode(BigInteger value, int length) {
		byte[] bytes = value.toByteArray();
		int start = (bytes.length > 1 && bytes[0] == 0) ? 1 : 0;
		byte[] unsigned = Arrays.copyOfRange(bytes, start, bytes.length);
		if (unsigned.length < length) {
			byte[] padded = new byte[length];
			System.arraycopy(unsigned, 0, padded, length - unsigned.length, unsigned.length);
			unsigned = padded;
		}
		return base64Url.encodeToString(unsigned);
	}

	/**
	 * The scalar times the curve's generator, double and add in affine coordinates: once
	 * per key, so plain arithmetic is fast enough.
	 */
	private static ECPoint multiply(ECParameterSpec params, BigInteger scalar) {
		BigInteger p = ((ECFieldFp) params.getCurve().getField()).getP();
		BigInteger a = params.getCurve().getA();
		ECPoint result = ECPoint.POINT_INFINITY;
		ECPoint addend = params.getGenerator();
		for (int bit = 0; bit < scalar.bitLength(); bit++) {
			if (scalar.testBit(bit)) {
				result = add(result, addend, p, a);
			}
			addend = add(addend, addend, p, a);
		}
		return result;
	}

	private static ECPoint add(ECPoint first, ECPoint second, BigInteger p, BigInteger a) {
		if (first == ECPoint.POINT_INFINITY) {
			return second;
		}
		if (second == ECPoint.POINT_INFINITY) {
			return first;
		}
		BigInteger x1 = first.getAffineX();
		BigInteger y1 = first.getAffineY();
		BigInteger x2 = second.getAffineX();
		BigInteger y2 = second.getAffineY();
		BigInteger slope;
		if (x1.equals(x2)) {
			if (y1.add(y2).mod(p).signum() == 0) {
				return ECPoint.POINT_INFINITY;
			}
			slope = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a).multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
		}
		else {
			slope = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
		}
		BigInteger x3 = slope.pow(2).subtract(x1).subtract(x2).mod(p);
		BigInteger y3 = slope.multiply(x1.subtract(x3)).subtract(y1).mod(p);
		return new ECPoint(x3, y3);
	}

	/**
	 * The JDK's Ed25519 key pair generator reads the private key's seed from its random
	 * source: given the seed, it makes the key pair of this private key.
	 */
	private static byte[] ed25519PublicKey(EdECPrivateKey key) {
		byte[] seed = key.getBytes()
			.orElseThrow(() -> new IllegalArgumentException("the Ed25519 key does not reveal its seed"));
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
			generator.initialize(NamedParameterSpec.ED25519, new SeedRandom(seed));
			byte[] encoded = generator.generateKeyPair().getPublic().getEncoded();
			return Arrays.copyOfRange(encoded, encoded.length - ED25519_KEY_BYTES, encoded.length);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalArgumentException(
					"the JDK could not derive the Ed25519 public key (" + ex.getClass().getSimpleName() + ")");
		}
	}

	/**
	 * A random source that answers one seed: only for deriving a key pair from it.
	 */
	private static final class SeedRandom extends SecureRandom {

		private final byte[] seed;

		SeedRandom(byte[] seed) {
			this.seed = seed;
		}

		@Override
		public void nextBytes(byte[] bytes) {
			System.arraycopy(this.seed, 0, bytes, 0, Math.min(bytes.length, this.seed.length));
		}

	}

}
