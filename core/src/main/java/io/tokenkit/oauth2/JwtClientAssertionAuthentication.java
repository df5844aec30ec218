package io.tokenkit.oauth2;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * {@code private_key_jwt} and {@code client_secret_jwt} (RFC 7523 §2.2, OpenID Connect
 * Core §9): a fresh JWT client assertion for each attempt, with {@code iss} and
 * {@code sub} the client id, {@code aud} the audience, a unique {@code jti} (16 random
 * bytes), and {@code iat} and {@code exp} from the application's clock; sent as the
 * {@code client_assertion} form parameter, with {@code client_assertion_type} and
 * {@code client_id}. The {@code jti} and the signature's randomness come from a
 * {@link JwtRandom}, so that an assertion signed on a Reactor thread never blocks.
 */
final class JwtClientAssertionAuthentication implements ClientAuthentication {

	/** The {@code client_assertion_type} of a JWT client assertion (RFC 7523 §2.2). */
	static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final Base64.Encoder base64Url = Base64.getUrlEncoder().withoutPadding();

	private final String method;

	private final String clientId;

	private final String audience;

	private final Duration lifetime;

	private final Clock clock;

	/** Signs the claims, drawing any randomness from the given source. */
	private final BiFunction<Map<String, Object>, SecureRandom, String> signer;

	/** The {@code jti} and the signatures' randomness, never blocking. */
	private final JwtRandom random = new JwtRandom();

	private final @Nullable String clientSecret;

	private volatile @Nullable String lastAssertion;

	private JwtClientAssertionAuthentication(String method, String clientId, String audience, Duration lifetime,
			Clock clock, BiFunction<Map<String, Object>, SecureRandom, String> signer, @Nullable String clientSecret) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(audience, "audience must not be empty");
		Assert.isTrue(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(), "lifetime must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.method = method;
		this.clientId = clientId;
		this.audience = audience;
		this.lifetime = lifetime;
		this.clock = clock;
		this.signer = signer;
		this.clientSecret = clientSecret;
	}

	static JwtClientAssertionAuthentication privateKeyJwt(String clientId, ClientKey key, String audience,
			Duration lifetime, Clock clock) {
		Assert.notNull(key, "key must not be null");
		return new JwtClientAssertionAuthentication("private_key_jwt", clientId, audience, lifetime, clock,
				(claims, random) -> key.sign(Map.of(), claims, true, random), null);
	}

	static JwtClientAssertionAuthentication clientSecretJwt(String clientId, String clientSecret, String audience,
			Duration lifetime, Clock clock) {
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		byte[] secret = clientSecret.getBytes(StandardCharsets.UTF_8);
		Assert.isTrue(secret.length >= CLIENT_SECRET_JWT_MIN_BYTES,
				() -> "clientSecret must have at least " + CLIENT_SECRET_JWT_MIN_BYTES + " bytes for HS256");
		return new JwtClientAssertionAuthentication("client_secret_jwt", clientId, audience, lifetime, clock,
				(claims, random) -> hs256(secret, claims), clientSecret);
	}

	private static String hs256(byte[] secret, Map<String, Object> claims) {
		String signingInput = ClientKey.encode(Map.of("alg", "HS256")) + "." + ClientKey.encode(claims);
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(secret, "HmacSHA256"));
			return signingInput + "."
					+ base64Url.encodeToString(mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("The JDK could not sign a client_secret_jwt assertion with HS256 ("
					+ ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public void authenticate(HttpHeaders headers, MultiValueMap<String, String> form) {
		String assertion = assertion();
		this.lastAssertion = assertion;
		form.set("client_id", this.clientId);
		form.set("client_assertion_type", JWT_BEARER);
		form.set("client_assertion", assertion);
	}

	/**
	 * Sign a fresh assertion whose issuer and subject are the client (RFC 7523 §3).
	 */
	String assertion() {
		long now = this.clock.instant().getEpochSecond();
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.clientId);
		claims.put("sub", this.clientId);
		claims.put("aud", this.audience);
		claims.put("jti", this.random.jti());
		claims.put("iat", now);
		claims.put("exp", now + this.lifetime.toSeconds());
		return this.signer.apply(claims, this.random.source());
	}

	@Override
	public String getClientId() {
		return this.clientId;
	}

	/**
	 * Return the client secret of {@code client_secret_jwt} and the last assertion sent.
	 */
	@Override
	public Collection<String> getSecrets() {
		List<String> secrets = new ArrayList<>(2);
		if (this.clientSecret != null) {
			secrets.add(this.clientSecret);
		}
		String assertion = this.lastAssertion;
		if (assertion != null) {
			secrets.add(assertion);
		}
		return secrets;
	}

	@Override
	public String toString() {
		return this.method + " (aud " + this.audience + ")";
	}

}
