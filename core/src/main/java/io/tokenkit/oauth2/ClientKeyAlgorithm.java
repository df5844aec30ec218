package io.tokenkit.oauth2;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.EllipticCurve;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;

import org.jspecify.annotations.Nullable;

/**
 * The JWS algorithm (RFC 7518, RFC 8037) a {@link ClientKey} signs with, and the kind of
 * private key each one takes.
 */
public enum ClientKeyAlgorithm {

	/** RSASSA-PSS with SHA-256 (an RSA key), as FAPI 2.0 allows. */
	PS256("PS256"),

	/** ECDSA on P-256 with SHA-256 (an EC key on the P-256 curve), as FAPI 2.0 allows. */
	ES256("ES256"),

	/** EdDSA with Ed25519 (an Ed25519 key), as FAPI 2.0 allows. */
	EDDSA("EdDSA"),

	/** RSASSA-PKCS1-v1_5 with SHA-256 (an RSA key); FAPI 2.0 does not allow it. */
	RS256("RS256");

	private final String jwsName;

	ClientKeyAlgorithm(String jwsName) {
		this.jwsName = jwsName;
	}

	/**
	 * Return the algorithm's name in a JWS header ({@code alg}).
	 * @return the name, for example {@code PS256}
	 */
	public String jwsName() {
		return this.jwsName;
	}

	/**
	 * Return whether this algorithm signs with the given key: an RSA key for
	 * {@link #PS256} and {@link #RS256}, an EC key on P-256 for {@link #ES256}, an
	 * Ed25519 key for {@link #EDDSA}.
	 * @param key the private key
	 * @return whether the key fits
	 */
	public boolean fits(PrivateKey key) {
		return switch (this) {
			case PS256, RS256 -> key instanceof RSAPrivateKey;
			case ES256 -> key instanceof ECPrivateKey ec && P256.ORDER.equals(ec.getParams().getOrder())
					&& P256.CURVE.equals(ec.getParams().getCurve());
			case EDDSA -> key instanceof EdECPrivateKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName());
		};
	}

	/**
	 * Return the algorithm that fits a key best, as {@code client-key.algorithm} defaults
	 * to it: {@link #PS256} for an RSA key, {@link #ES256} for an EC key, {@link #EDDSA}
	 * for an Ed25519 key.
	 * @param key the private key
	 * @return the algorithm, or {@code null} when none fits
	 */
	public static @Nullable ClientKeyAlgorithm defaultFor(PrivateKey key) {
		for (ClientKeyAlgorithm algorithm : values()) {
			if (algorithm.fits(key)) {
				return algorithm;
			}
		}
		return null;
	}

	/**
	 * Return a JDK signature of this algorithm, initialized for signing with the key.
	 */
	Signature signature(PrivateKey key) throws GeneralSecurityException {
		return signature(key, null);
	}

	/**
	 * Return a signature initialised to sign with the key, drawing its randomness
	 * (ECDSA's {@code k}, PSS's salt) from {@code random}, or from the JDK's default
	 * source when {@code null}.
	 */
	Signature signature(PrivateKey key, @Nullable SecureRandom random) throws GeneralSecurityException {
		Signature signature = switch (this) {
			case PS256 -> {
				Signature pss = Signature.getInstance("RSASSA-PSS");
				pss.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
				yield pss;
			}
			case RS256 -> Signature.getInstance("SHA256withRSA");
			case ES256 -> Signature.getInstance("SHA256withECDSA");
			case EDDSA -> Signature.getInstance("Ed25519");
		};
		if (random != null) {
			signature.initSign(key, random);
		}
		else {
			signature.initSign(key);
		}
		return signature;
	}

	/**
	 * The P-256 curve (secp256r1) of ES256, as the JDK names it.
	 */
	private static final class P256 {

		private static final ECParameterSpec PARAMETERS = parameters();

		static final EllipticCurve CURVE = PARAMETERS.getCurve();

		static final BigInteger ORDER = PARAMETERS.getOrder();

		private static ECParameterSpec parameters() {
			try {
				AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
				parameters.init(new ECGenParameterSpec("secp256r1"));
				return parameters.getParameterSpec(ECParameterSpec.class);
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("The JDK has no P-256 curve", ex);
			}
		}

	}

}
