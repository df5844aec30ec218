package io.tokenkit.aozora;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Shared helpers of the GMO Aozora tests: the test client's credentials, JSON answers,
 * form and query parsing, and ID tokens signed with nimbus.
 */
final class AozoraTestSupport {

	static final String CLIENT_ID = "aozora-app";

	/** 34 bytes: long enough for nimbus's 256-bit HMAC key minimum. */
	static final String CLIENT_SECRET = "aozora-secret-0123456789abcdefghij";

	/**
	 * {@code base64("aozora-app:aozora-secret-0123456789abcdefghij")}, computed outside
	 * the project.
	 */
	static final String BASIC_HEADER = "Basic YW96b3JhLWFwcDphb3pvcmEtc2VjcmV0LTAxMjM0NTY3ODlhYmNkZWZnaGlq";

	static final String ISSUER = "https://api.gmo-aozora.com/";

	static final String REDIRECT_URI = "https://app.example.com/aozora/callback?tenant=a&b=c d";

	private AozoraTestSupport() {
	}

	static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "application/json;charset=UTF-8")
			.body(body)
			.build();
	}

	static Map<String, String> form(RecordedRequest request) {
		return decodePairs(request.getBody().utf8());
	}

	static Map<String, String> query(URI uri) {
		return decodePairs(uri.getRawQuery());
	}

	private static Map<String, String> decodePairs(String encoded) {
		Map<String, String> pairs = new LinkedHashMap<>();
		for (String pair : encoded.split("&")) {
			String[] parts = pair.split("=", 2);
			pairs.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode(parts[1], StandardCharsets.UTF_8));
		}
		return pairs;
	}

	static JWTClaimsSet.Builder claims(Instant now, String nonce) {
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("customer-1")
			.audience(List.of(CLIENT_ID))
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plusSeconds(300)))
			.claim("nonce", nonce);
	}

	static String idToken(Instant now, String nonce) {
		return idToken(CLIENT_SECRET, claims(now, nonce).build());
	}

	static String idToken(Instant now, String nonce, Consumer<JWTClaimsSet.Builder> customizer) {
		JWTClaimsSet.Builder builder = claims(now, nonce);
		customizer.accept(builder);
		return idToken(CLIENT_SECRET, builder.build());
	}

	static String idToken(String secret, JWTClaimsSet claims) {
		return sign(JWSAlgorithm.HS256, secret, claims);
	}

	static String sign(JWSAlgorithm algorithm, String secret, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
			jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
