package io.tokenkit.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.SignedJWT;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks one DPoP proof (RFC 9449 §4.2) as a server would, claim by claim and header
 * parameter by header parameter: {@code typ} {@code dpop+jwt}, the expected {@code alg},
 * a public {@code jwk} with the expected thumbprint and no private part, no {@code kid},
 * a signature that the {@code jwk} verifies (RSA and EC keys), and exactly the claims
 * {@code jti}, {@code htm}, {@code htu}, {@code iat} and, when expected, {@code ath} and
 * {@code nonce}.
 */
public final class DpopProofCheck {

	private DpopProofCheck() {
	}

	/**
	 * Check a proof and return its {@code jti}.
	 * @param proof the proof
	 * @param alg the expected algorithm
	 * @param thumbprint the expected JWK SHA-256 thumbprint of its key
	 * @param htm the expected method
	 * @param htu the expected URI
	 * @param iat the expected issue time (whole seconds)
	 * @param accessToken the token whose hash {@code ath} must be, or {@code null} for
	 * none
	 * @param nonce the expected nonce, or {@code null} for none
	 * @return the proof's {@code jti}
	 */
	public static String check(String proof, String alg, String thumbprint, String htm, String htu, Instant iat,
			String accessToken, String nonce) {
		try {
			SignedJWT jwt = SignedJWT.parse(proof);
			assertThat(jwt.getHeader().getType()).isEqualTo(new JOSEObjectType("dpop+jwt"));
			assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo(alg);
			assertThat(jwt.getHeader().getKeyID()).isNull();
			JWK jwk = jwt.getHeader().getJWK();
			assertThat(jwk).isNotNull();
			assertThat(jwk.isPrivate()).isFalse();
			assertThat(jwk.computeThumbprint().toString()).isEqualTo(thumbprint);
			assertThat(jwt.getHeader().toJSONObject().keySet()).containsExactlyInAnyOrder("typ", "alg", "jwk");
			if (!"OKP".equals(jwk.getKeyType().getValue())) {
				// nimbus verifies Ed25519 only with Tink: those tests verify with the JDK
				JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(),
						((com.nimbusds.jose.jwk.AsymmetricJWK) jwk).toPublicKey());
				assertThat(jwt.verify(verifier)).isTrue();
			}
			Map<String, Object> claims = jwt.getJWTClaimsSet().toJSONObject();
			assertThat(claims.get("htm")).isEqualTo(htm);
			assertThat(claims.get("htu")).isEqualTo(htu);
			assertThat(((Number) claims.get("iat")).longValue()).isEqualTo(iat.getEpochSecond());
			assertThat((String) claims.get("jti")).hasSizeGreaterThanOrEqualTo(16);
			if (accessToken != null) {
				byte[] hash = MessageDigest.getInstance("SHA-256")
					.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
				assertThat(claims.get("ath")).isEqualTo(Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
			}
			else {
				assertThat(claims).doesNotContainKey("ath");
			}
			if (nonce != null) {
				assertThat(claims.get("nonce")).isEqualTo(nonce);
			}
			else {
				assertThat(claims).doesNotContainKey("nonce");
			}
			assertThat(claims.keySet()).isSubsetOf("jti", "htm", "htu", "iat", "ath", "nonce");
			return (String) claims.get("jti");
		}
		catch (Exception ex) {
			throw new AssertionError("Not a valid DPoP proof: " + ex, ex);
		}
	}

}
