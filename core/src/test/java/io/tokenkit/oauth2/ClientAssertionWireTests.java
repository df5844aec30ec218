package io.tokenkit.oauth2;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Client assertions of {@code private_key_jwt} (PS256, ES256, EdDSA, RS256) and
 * {@code client_secret_jwt} (HS256) as a recording token endpoint receives them: each
 * attempt of a call, the retry included, sends a fresh assertion, checked claim by claim
 * and verified with the public key, also when the application's clock runs 30 s ahead of
 * the server's. A JWT-bearer call signs its assertion afresh for each attempt too.
 */
class ClientAssertionWireTests {

	private static final String TOKEN_JSON = """
			{"access_token":"at-1","token_type":"Bearer","expires_in":3600}""";

	private static final String CLIENT_ID = "orders-app";

	private static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource(ClientKeyAlgorithm.class)
	void privateKeyJwtWhenCallRetriedThenEachAttemptSendsFreshAssertionSignedWithKey(ClientKeyAlgorithm algorithm)
			throws Exception {
		KeyPair keys = keyPair(algorithm);
		MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt(CLIENT_ID,
				new ClientKey(keys.getPrivate(), algorithm, "key-1"), tokenUri().toString(), Duration.ofSeconds(60),
				clock);
		List<Map<String, String>> forms = callWithOneRetry(authentication);
		Set<String> jtis = new HashSet<>();
		for (Map<String, String> form : forms) {
			String assertion = assertForm(form);
			String[] parts = assertion.split("\\.");
			JsonNode header = decode(parts[0]);
			assertThat(header.get("alg").asString()).isEqualTo(algorithm.jwsName());
			assertThat(header.get("kid").asString()).isEqualTo("key-1");
			assertThat(verify(algorithm, keys.getPublic(), assertion)).isTrue();
			jtis.add(assertClaims(decode(parts[1]), tokenUri().toString(), clock.instant(), 60));
		}
		assertThat(jtis).hasSize(2);
		assertThat(authentication.getSecrets()).hasSize(1).first().asString().startsWith("ey");
		assertThat(authentication.toString()).isEqualTo("private_key_jwt (aud " + tokenUri() + ")");
	}

	@Test
	void clientSecretJwtWhenCallRetriedThenEachAttemptSendsFreshHs256Assertion() throws Exception {
		MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
		ClientAuthentication authentication = ClientAuthentication.clientSecretJwt(CLIENT_ID, SECRET,
				"https://auth.example.com", Duration.ofSeconds(90), clock);
		List<Map<String, String>> forms = callWithOneRetry(authentication);
		Set<String> jtis = new HashSet<>();
		for (Map<String, String> form : forms) {
			String assertion = assertForm(form);
			JWSObject jws = JWSObject.parse(assertion);
			assertThat(jws.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
			assertThat(jws.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
			jtis.add(assertClaims(decode(assertion.split("\\.")[1]), "https://auth.example.com", clock.instant(), 90));
		}
		assertThat(jtis).hasSize(2);
		assertThat(authentication.getSecrets()).contains(SECRET);
		assertThat(authentication.toString()).doesNotContain(SECRET);
	}

	@Test
	void jwtBearerWhenCallRetriedThenEachAttemptSendsFreshAssertionAndFreshClientAssertion() throws Exception {
		KeyPair keys = keyPair(ClientKeyAlgorithm.ES256);
		ClientKey key = new ClientKey(keys.getPrivate(), ClientKeyAlgorithm.ES256, "key-1");
		MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt(CLIENT_ID, key, tokenUri().toString(),
				Duration.ofSeconds(60), clock);
		JwtBearerTokenSource source = new JwtBearerTokenSource(client(authentication),
				new io.tokenkit.propagation.SubjectTokens(clock), JwtBearerTokenSource.signedBy(CLIENT_ID, key,
						"https://auth.example.com", Duration.ofSeconds(90), clock),
				List.of("orders.read"), List.of(), List.of(), Map.of(), clock, TokenLifetimes.DEFAULT);
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(TOKEN_JSON)
			.build());
		assertThat(source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10)).getTokenValue())
			.isEqualTo("at-1");
		Set<String> assertions = new HashSet<>();
		Set<String> jtis = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			Map<String, String> form = formOf(this.server.takeRequest());
			assertThat(form).containsOnlyKeys("grant_type", "scope", "assertion", "client_id", "client_assertion_type",
					"client_assertion");
			assertThat(form).containsEntry("grant_type", JwtBearerTokenSource.GRANT_TYPE)
				.containsEntry("scope", "orders.read");
			String assertion = form.get("assertion");
			assertThat(verify(ClientKeyAlgorithm.ES256, keys.getPublic(), assertion)).isTrue();
			assertions.add(assertion);
			jtis.add(assertClaims(decode(assertion.split("\\.")[1]), "https://auth.example.com", clock.instant(), 90));
			String clientAssertion = form.get("client_assertion");
			assertThat(verify(ClientKeyAlgorithm.ES256, keys.getPublic(), clientAssertion)).isTrue();
			jtis.add(assertClaims(decode(clientAssertion.split("\\.")[1]), tokenUri().toString(), clock.instant(), 60));
		}
		// two attempts, each with its own assertion and client assertion: four jti
		assertThat(assertions).hasSize(2);
		assertThat(jtis).hasSize(4);
	}

	@Test
	void jwtBearerWhenJdkCannotSignAssertionThenClientAuthenticationExceptionAndNothingSent() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(512);
		ClientKey key = new ClientKey(generator.generateKeyPair().getPrivate(), ClientKeyAlgorithm.PS256, "k1");
		MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");
		JwtBearerTokenSource source = new JwtBearerTokenSource(
				client(ClientAuthentication.clientSecretPost(CLIENT_ID, SECRET)),
				new io.tokenkit.propagation.SubjectTokens(clock), JwtBearerTokenSource.signedBy(CLIENT_ID, key,
						"https://auth.example.com", Duration.ofSeconds(90), clock),
				List.of(), List.of(), List.of(), Map.of(), clock, TokenLifetimes.DEFAULT);
		assertThatExceptionOfType(ClientAuthenticationException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("'orders'", "PS256", "client-key"));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void privateKeyJwtWhenApplicationClockRunsAheadThenIatAndExpFollowApplicationClock() throws Exception {
		KeyPair keys = keyPair(ClientKeyAlgorithm.ES256);
		Instant serverNow = Instant.now();
		MutableClock ahead = new MutableClock(serverNow.plusSeconds(30));
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt(CLIENT_ID,
				new ClientKey(keys.getPrivate(), ClientKeyAlgorithm.ES256, null), tokenUri().toString(),
				Duration.ofSeconds(60), ahead);
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(TOKEN_JSON)
			.build());
		client(authentication).request("acquire", form()).block(Duration.ofSeconds(10));
		String assertion = assertForm(formOf(this.server.takeRequest()));
		assertThat(decode(assertion.split("\\.")[0]).has("kid")).isFalse();
		JsonNode claims = decode(assertion.split("\\.")[1]);
		assertClaims(claims, tokenUri().toString(), ahead.instant(), 60);
		// a server that checks with its own clock and 60 s of skew (Spring Security's
		// default) takes it: issued 30 s in its future, expiring 90 s after its now
		long iat = claims.get("iat").asLong();
		assertThat(iat - serverNow.getEpochSecond()).isEqualTo(30);
		assertThat(claims.get("exp").asLong() - serverNow.getEpochSecond()).isEqualTo(90);
	}

	@Test
	void clientSecretJwtWhenSecretShorterThan32BytesThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClientAuthentication.clientSecretJwt(CLIENT_ID, "short-secret", "aud",
					Duration.ofSeconds(60), MutableClock.at("2026-11-23T10:00:00Z")))
			.withMessageNotContaining("short-secret");
	}

	@Test
	void clientKeyWhenAlgorithmDoesNotFitKeyThenRefusedAndToStringShowsNoKey() throws Exception {
		KeyPair rsa = keyPair(ClientKeyAlgorithm.PS256);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClientKey(rsa.getPrivate(), ClientKeyAlgorithm.ES256, "k"));
		// secp256k1: a 256-bit curve that is not P-256
		java.security.spec.ECParameterSpec secp256k1 = new java.security.spec.ECParameterSpec(
				new java.security.spec.EllipticCurve(
						new java.security.spec.ECFieldFp(new java.math.BigInteger(
								"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16)),
						java.math.BigInteger.ZERO, java.math.BigInteger.valueOf(7)),
				new java.security.spec.ECPoint(
						new java.math.BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798",
								16),
						new java.math.BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8",
								16)),
				new java.math.BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16), 1);
		java.security.interfaces.ECPrivateKey otherCurve = new java.security.interfaces.ECPrivateKey() {

			@Override
			public java.math.BigInteger getS() {
				return java.math.BigInteger.TWO;
			}

			@Override
			public String getAlgorithm() {
				return "EC";
			}

			@Override
			public String getFormat() {
				return null;
			}

			@Override
			public byte[] getEncoded() {
				return null;
			}

			@Override
			public java.security.spec.ECParameterSpec getParams() {
				return secp256k1;
			}

		};
		assertThat(ClientKeyAlgorithm.ES256.fits(otherCurve)).isFalse();
		assertThat(ClientKeyAlgorithm.ES256.fits(keyPair(ClientKeyAlgorithm.ES256).getPrivate())).isTrue();
		ClientKey key = new ClientKey(rsa.getPrivate(), ClientKeyAlgorithm.PS256, "k");
		assertThat(key).hasToString("ClientKey[algorithm=PS256, keyId=k]");
		assertThat(key.getRsaKeySize()).isEqualTo(2048);
	}

	@Test
	void assertionAudienceWhenNothingConfiguredThenTokenEndpointElseIssuerElseConfigured() {
		URI tokenUri = URI.create("https://auth.example.com/oauth2/token");
		assertThat(ClientAuthentication.assertionAudience(null, null, tokenUri)).isEqualTo(tokenUri.toString());
		assertThat(ClientAuthentication.assertionAudience(null, "https://auth.example.com", tokenUri))
			.isEqualTo("https://auth.example.com");
		assertThat(ClientAuthentication.assertionAudience("aud-1", "https://auth.example.com", tokenUri))
			.isEqualTo("aud-1");
	}

	@Test
	void tlsClientAuthWhenAuthenticateThenClientIdInFormOnly() {
		for (ClientAuthentication authentication : List.of(ClientAuthentication.tlsClientAuth(CLIENT_ID),
				ClientAuthentication.selfSignedTlsClientAuth(CLIENT_ID))) {
			MultiValueMap<String, String> form = form();
			org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
			authentication.authenticate(headers, form);
			assertThat(headers.isEmpty()).isTrue();
			assertThat(form.toSingleValueMap()).containsOnly(Map.entry("grant_type", "client_credentials"),
					Map.entry("client_id", CLIENT_ID));
			assertThat(authentication.getSecrets()).isEmpty();
		}
	}

	private List<Map<String, String>> callWithOneRetry(ClientAuthentication authentication) throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(TOKEN_JSON)
			.build());
		OAuth2TokenResponse response = client(authentication).request("acquire", form()).block(Duration.ofSeconds(10));
		assertThat(response.accessToken()).isEqualTo("at-1");
		List<Map<String, String>> forms = new ArrayList<>();
		forms.add(formOf(this.server.takeRequest()));
		forms.add(formOf(this.server.takeRequest()));
		return forms;
	}

	@Test
	void privateKeyJwtWhenJdkCannotSignThenClientAuthenticationExceptionNamesRegistration() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(512);
		// PS256 (PSS, SHA-256, 32-byte salt) needs more than 512 bits
		ClientKey key = new ClientKey(generator.generateKeyPair().getPrivate(), ClientKeyAlgorithm.PS256, "k1");
		ClientAuthentication authentication = ClientAuthentication.privateKeyJwt("orders-app", key,
				tokenUri().toString(), Duration.ofSeconds(60), java.time.Clock.systemUTC());
		assertThatExceptionOfType(ClientAuthenticationException.class)
			.isThrownBy(() -> client(authentication).request("acquire", form()).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getMessage()).contains("'orders'").contains("PS256");
			});
		assertThat(this.server.getRequestCount()).isZero();
	}

	private OAuth2TokenClient client(ClientAuthentication authentication) {
		return client(authentication, tokenUri());
	}

	/**
	 * Return a client of registration {@code orders} whose retries wait 10 ms.
	 */
	static OAuth2TokenClient client(ClientAuthentication authentication, URI tokenUri) {
		return new OAuth2TokenClient(WebClient.create(), tokenUri, authentication, "orders", "oauth2",
				TokenRequestObserver.NOOP)
			.withPolicy(TokenCallPolicy.DEFAULT.withRetryBackoff(Duration.ofMillis(10)));
	}

	private URI tokenUri() {
		return URI.create(this.server.url("/oauth2/token").toString());
	}

	static MultiValueMap<String, String> form() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		return form;
	}

	private static Map<String, String> formOf(RecordedRequest request) {
		assertThat(request.getHeaders().get("Authorization")).isNull();
		String body = request.getBody().utf8();
		return UriComponentsBuilder.newInstance()
			.query(body)
			.build(false)
			.getQueryParams()
			.toSingleValueMap()
			.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey,
					(entry) -> java.net.URLDecoder.decode(entry.getValue(), StandardCharsets.UTF_8)));
	}

	/**
	 * Check the form of an assertion call and return the assertion.
	 */
	private static String assertForm(Map<String, String> form) {
		assertThat(form).containsOnlyKeys("grant_type", "client_id", "client_assertion_type", "client_assertion");
		assertThat(form).containsEntry("grant_type", "client_credentials")
			.containsEntry("client_id", CLIENT_ID)
			.containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		return form.get("client_assertion");
	}

	/**
	 * Check the claims of an assertion and return its {@code jti}.
	 */
	private static String assertClaims(JsonNode claims, String audience, Instant now, long lifetime) {
		List<String> names = new ArrayList<>();
		claims.propertyNames().forEach(names::add);
		assertThat(names).containsExactly("iss", "sub", "aud", "jti", "iat", "exp");
		assertThat(claims.get("iss").asString()).isEqualTo(CLIENT_ID);
		assertThat(claims.get("sub").asString()).isEqualTo(CLIENT_ID);
		assertThat(claims.get("aud").isString()).isTrue();
		assertThat(claims.get("aud").asString()).isEqualTo(audience);
		assertThat(claims.get("iat").asLong()).isEqualTo(now.getEpochSecond());
		assertThat(claims.get("exp").asLong()).isEqualTo(now.getEpochSecond() + lifetime);
		String jti = claims.get("jti").asString();
		// 16 random bytes, base64url
		assertThat(jti).hasSizeGreaterThanOrEqualTo(22);
		return jti;
	}

	private static JsonNode decode(String part) {
		return json.readTree(Base64.getUrlDecoder().decode(part));
	}

	static KeyPair keyPair(ClientKeyAlgorithm algorithm) throws Exception {
		return switch (algorithm) {
			case PS256, RS256 -> {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
				generator.initialize(2048);
				yield generator.generateKeyPair();
			}
			case ES256 -> {
				KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
				generator.initialize(new ECGenParameterSpec("secp256r1"));
				yield generator.generateKeyPair();
			}
			case EDDSA -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		};
	}

	/**
	 * Verify an assertion with nimbus-jose-jwt, or with the JDK for EdDSA (nimbus's
	 * Ed25519 needs Google Tink).
	 */
	private static boolean verify(ClientKeyAlgorithm algorithm, PublicKey key, String assertion) throws Exception {
		if (algorithm == ClientKeyAlgorithm.EDDSA) {
			int last = assertion.lastIndexOf('.');
			Signature signature = Signature.getInstance("Ed25519");
			signature.initVerify(key);
			signature.update(assertion.substring(0, last).getBytes(StandardCharsets.US_ASCII));
			return signature.verify(Base64.getUrlDecoder().decode(assertion.substring(last + 1)));
		}
		JWSVerifier verifier = (key instanceof RSAPublicKey rsa) ? new RSASSAVerifier(rsa)
				: new ECDSAVerifier((ECPublicKey) key);
		return JWSObject.parse(assertion).verify(verifier);
	}

}
