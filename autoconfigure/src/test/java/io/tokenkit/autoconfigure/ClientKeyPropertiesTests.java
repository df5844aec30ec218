package io.tokenkit.autoconfigure;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tokenkit.registrations.<id>.client-key.*}, {@code client-assertion.*} and
 * {@code fapi} at start-up: keys from SSL bundles (PKCS#12 and PEM) and files (PEM and
 * JWK) load, and every wrong setting stops start-up with a failure analysis naming the
 * property and showing no key material.
 */
class ClientKeyPropertiesTests {

	private static final String PREFIX = "tokenkit.registrations.orders.";

	private static final TestKeystores keys = new TestKeystores();

	private static Path rsa;

	private static Path rsa1024;

	private static Path ec;

	private static Path trustOnly;

	private static String rsaPemText;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues(PREFIX + "grant-type=client_credentials",
				PREFIX + "token-uri=https://auth.example.com/oauth2/token", PREFIX + "client-id=orders-app");

	@BeforeAll
	static void createKeys() throws Exception {
		rsa = keys.selfSigned("rsa", "CN=orders-app", "-keyalg", "RSA", "-keysize", "2048");
		rsa1024 = keys.selfSigned("rsa1024", "CN=orders-app", "-keyalg", "RSA", "-keysize", "1024");
		ec = keys.selfSigned("ec", "CN=orders-app", "-keyalg", "EC", "-groupname", "secp256r1");
		trustOnly = keys.trustStore("trust-only", rsa);
		rsaPemText = Files.readString(keys.privateKeyPem(rsa));
	}

	private ApplicationContextRunner privateKeyJwt(String... properties) {
		return this.contextRunner.withPropertyValues(PREFIX + "client-authentication=private_key_jwt")
			.withPropertyValues(properties);
	}

	private static String[] p12Bundle(String name, Path store) {
		return new String[] { "spring.ssl.bundle.jks." + name + ".keystore.location=file:" + store,
				"spring.ssl.bundle.jks." + name + ".keystore.password=" + TestKeystores.PASSWORD,
				"spring.ssl.bundle.jks." + name + ".keystore.type=PKCS12" };
	}

	@Test
	void startWhenKeyFromPkcs12BundleOrPemBundleOrPemFileOrJwkFileThenStarts() {
		privateKeyJwt(p12Bundle("client", rsa)).withPropertyValues(PREFIX + "client-key.ssl-bundle=client")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TokenManager.class));
		privateKeyJwt("spring.ssl.bundle.pem.client.keystore.certificate=file:" + keys.certificatePem(ec),
				"spring.ssl.bundle.pem.client.keystore.private-key=file:" + keys.privateKeyPem(ec),
				PREFIX + "client-key.ssl-bundle=client", PREFIX + "client-key.algorithm=ES256")
			.run((context) -> assertThat(context).hasNotFailed());
		privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(rsa), PREFIX + "client-key.algorithm=PS256")
			.run((context) -> assertThat(context).hasNotFailed());
		privateKeyJwt(PREFIX + "client-key.file=" + jwkFile()).run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenFileHoldsPemOrJwkTextThenStartsAndFailuresNeverShowIt() throws Exception {
		privateKeyJwt(PREFIX + "client-key.file=" + rsaPemText).run((context) -> assertThat(context).hasNotFailed());
		privateKeyJwt(PREFIX + "client-key.file=" + Files.readString(Path.of(jwkFile())))
			.run((context) -> assertThat(context).hasNotFailed());
		String rsa1024Text = Files.readString(keys.privateKeyPem(rsa1024));
		String broken = rsaPemText.substring(0, rsaPemText.length() / 2);
		String brokenJwk = Files.readString(Path.of(jwkFile())).replace("\"kty\":\"RSA\"", "\"kty\":\"XYZ\"");
		for (String[] wrong : new String[][] { { PREFIX + "client-key.file=" + broken },
				{ PREFIX + "client-key.file=" + brokenJwk },
				{ PREFIX + "client-key.file=" + rsaPemText, PREFIX + "client-key.algorithm=ES256" },
				{ PREFIX + "client-key.file=" + rsa1024Text, PREFIX + "fapi=true" } }) {
			privateKeyJwt(wrong).run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(PREFIX + "client-key.");
				String shown = analysis.getDescription() + analysis.getAction() + context.getStartupFailure();
				for (String text : new String[] { broken, brokenJwk, rsaPemText, rsa1024Text }) {
					text.lines()
						.map((line) -> line.length() > 40 ? line.substring(0, 40) : line)
						.filter((line) -> !line.startsWith("-----") && line.length() > 20)
						.forEach((line) -> assertThat(shown).doesNotContain(line));
				}
				assertThat(shown).doesNotContain("\"d\":\"");
			});
		}
	}

	@Test
	void keyIdWhenNotConfiguredThenConfiguredAliasElseJwkKidElseNone() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
			.withPropertyValues(p12Bundle("p12", rsa))
			.withPropertyValues("spring.ssl.bundle.pem.pem.keystore.certificate=file:" + keys.certificatePem(ec),
					"spring.ssl.bundle.pem.pem.keystore.private-key=file:" + keys.privateKeyPem(ec))
			.run((context) -> {
				SslBundles bundles = context.getBean(SslBundles.class);
				assertThat(keyId(bundles, new ClientKeySettings("pem", null, null, null, null))).isNull();
				assertThat(keyId(bundles, new ClientKeySettings("p12", null, null, null, null))).isNull();
				assertThat(keyId(bundles, new ClientKeySettings("p12", "rsa", null, null, null))).isEqualTo("rsa");
				assertThat(keyId(bundles, new ClientKeySettings("pem", null, null, "k1", null))).isEqualTo("k1");
				assertThat(keyId(bundles, new ClientKeySettings(null, null, jwkFile(), null, null))).isEqualTo("jwk-1");
			});
	}

	private static @Nullable String keyId(SslBundles bundles, ClientKeySettings settings) {
		RegistrationDefinition registration = RegistrationDefinition.withId("orders", PREFIX)
			.clientAuthentication(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
			.clientKey(settings)
			.build();
		return ClientKeys.key(registration, bundles, "for a test").getKeyId();
	}

	@Test
	void algorithmWhenJwkHasAlgThenItsAlgAndAMismatchOrNonSigningJwkRefused() throws Exception {
		RegistrationDefinition registration = RegistrationDefinition.withId("orders", PREFIX)
			.clientAuthentication(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
			.clientKey(new ClientKeySettings(null, null, jwkFile("\"alg\":\"RS256\",\"use\":\"sig\","), null, null))
			.build();
		assertThat(ClientKeys.key(registration, null, "for a test").getAlgorithm()).isEqualTo(ClientKeyAlgorithm.RS256);
		privateKeyJwt(PREFIX + "client-key.file=" + jwkFile("\"alg\":\"PS256\","),
				PREFIX + "client-key.algorithm=RS256")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(PREFIX + "client-key.algorithm").contains("PS256");
				assertThat(analysis.getAction()).contains("PS256");
			});
		privateKeyJwt(PREFIX + "client-key.file=" + jwkFile("\"alg\":\"HS256\","))
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.file")
				.contains("HS256"));
		for (String notSigning : new String[] { "\"use\":\"enc\",", "\"key_ops\":[\"decrypt\"]," }) {
			privateKeyJwt(PREFIX + "client-key.file=" + jwkFile(notSigning))
				.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.file")
					.contains("not for signing"));
		}
	}

	@Test
	void startWhenSslBundleMissingThenAnalysisNamesProperty() {
		privateKeyJwt(PREFIX + "client-key.ssl-bundle=nowhere").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("no Spring Boot SSL bundle");
			assertThat(analysis.getAction()).contains("spring.ssl.bundle.jks.nowhere");
		});
	}

	@Test
	void startWhenBundleHoldsNoPrivateKeyThenAnalysisNamesProperty() {
		privateKeyJwt(p12Bundle("trust", trustOnly)).withPropertyValues(PREFIX + "client-key.ssl-bundle=trust")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("no private key"));
	}

	@Test
	void startWhenFileHoldsNoPrivateKeyThenAnalysisNamesProperty() {
		privateKeyJwt(PREFIX + "client-key.file=" + keys.certificatePem(rsa))
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.file")
				.contains("no private key"));
		privateKeyJwt(PREFIX + "client-key.file=" + keys.write("public.json", "{\"kty\":\"EC\",\"crv\":\"P-256\"}"))
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.file")
				.contains("not a JWK with a private part"));
	}

	@Test
	void startWhenFileUnreadableThenAnalysisNamesProperty() {
		privateKeyJwt(PREFIX + "client-key.file=/no/such/dir/key.pem").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(PREFIX + "client-key.file")
				.contains("/no/such/dir/key.pem")
				.contains("cannot be read");
		});
	}

	@Test
	void startWhenAlgorithmDoesNotFitKeyThenAnalysisNamesAlgorithmProperty() {
		privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(rsa), PREFIX + "client-key.algorithm=ES256")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(PREFIX + "client-key.algorithm").contains("ES256");
				assertThat(analysis.getAction()).contains("PS256 or RS256");
				assertNoKeyMaterial(analysis);
			});
		privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(ec), PREFIX + "client-key.algorithm=EdDSA")
			.run((context) -> assertThat(analyze(context).getAction()).contains("ES256"));
	}

	@Test
	void startWhenPrivateKeyJwtWithoutKeyThenAnalysisNamesSslBundleAndFile() {
		privateKeyJwt().run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains(PREFIX + "client-key.file")
				.contains("private_key_jwt");
		});
	}

	@Test
	void startWhenClientSecretJwtSecretShorterThan32BytesThenAnalysisNamesPropertyWithoutValue() {
		String secret = "only-31-bytes-of-client-secret!";
		this.contextRunner
			.withPropertyValues(PREFIX + "client-authentication=client_secret_jwt", PREFIX + "client-secret=" + secret)
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(PREFIX + "client-secret")
					.contains("31 bytes")
					.doesNotContain(secret);
				assertThat(analysis.getAction()).doesNotContain(secret);
			});
	}

	@Test
	void startWhenMutualTlsWithBundleKeyThatSignsNothingThenStarts() {
		// mutual TLS signs nothing: a key that fits no JWS algorithm is fine
		String p384 = keys.selfSigned("p384", "CN=orders-app", "-keyalg", "EC", "-groupname", "secp384r1").toString();
		this.contextRunner.withPropertyValues(p12Bundle("client", Path.of(p384)))
			.withPropertyValues(PREFIX + "client-authentication=self_signed_tls_client_auth",
					PREFIX + "client-key.ssl-bundle=client")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenMutualTlsBundleHoldsNoPrivateKeyThenAnalysisNamesSslBundle() {
		for (String method : new String[] { "tls_client_auth", "self_signed_tls_client_auth" }) {
			this.contextRunner.withPropertyValues(p12Bundle("trust", trustOnly))
				.withPropertyValues(PREFIX + "client-authentication=" + method, PREFIX + "client-key.ssl-bundle=trust")
				.run((context) -> assertThat(analyze(context).getDescription())
					.contains(PREFIX + "client-key.ssl-bundle")
					.contains("no private key"));
		}
	}

	@Test
	void startWhenFapiPrivateKeyJwtWithoutAudienceOrIssuerThenAnalysisNamesAudience() {
		privateKeyJwt(PREFIX + "fapi=true", PREFIX + "client-key.file=" + keys.privateKeyPem(rsa)).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains(PREFIX + "client-assertion.audience")
				.contains(PREFIX + "fapi");
			assertThat(analysis.getAction()).contains("issuer identifier").contains("issuer-uri");
		});
		privateKeyJwt(PREFIX + "fapi=true", PREFIX + "client-key.file=" + keys.privateKeyPem(rsa),
				PREFIX + "client-assertion.audience=https://auth.example.com")
			.run((context) -> assertThat(context).hasNotFailed());
		privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(rsa))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void fapiPrivateKeyJwtWhenIssuerKnownThenAudienceIsTheIssuer() throws Exception {
		RegistrationDefinition registration = RegistrationDefinition.withId("orders", PREFIX)
			.grantType("client_credentials")
			.clientId("orders-app")
			.clientAuthentication(ClientAuthenticationMethod.PRIVATE_KEY_JWT)
			.clientKey(new ClientKeySettings(null, null, keys.privateKeyPem(rsa).toString(), null, null))
			.fapi(true)
			.build();
		ClientAuthentication authentication = RegistrationClientAuthentication.of(registration, "orders-app",
				"https://auth.example.com", URI.create("https://auth.example.com/oauth2/token"), null,
				Clock.systemUTC(), "for grant-type client_credentials");
		assertThat(authentication).hasToString("private_key_jwt (aud https://auth.example.com)");
	}

	@Test
	void startWhenMutualTlsWithoutSslBundleThenAnalysisNamesSslBundle() {
		this.contextRunner.withPropertyValues(PREFIX + "client-authentication=tls_client_auth")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("tls_client_auth"));
	}

	@Test
	void startWhenAssertionLifetimeNotPositiveThenAnalysisNamesProperty() {
		for (String lifetime : new String[] { "0s", "500ms", "11m" }) {
			privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(rsa),
					PREFIX + "client-assertion.lifetime=" + lifetime)
				.run((context) -> assertThat(analyze(context).getDescription())
					.contains(PREFIX + "client-assertion.lifetime")
					.contains("1 second to 10 minutes"));
		}
		privateKeyJwt(PREFIX + "client-key.file=" + keys.privateKeyPem(rsa), PREFIX + "client-assertion.lifetime=10m")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenFapiAndClientSecretThenAnalysisNamesClientAuthentication() {
		for (String method : new String[] { "basic", "post", "client_secret_jwt" }) {
			this.contextRunner
				.withPropertyValues(PREFIX + "fapi=true", PREFIX + "client-authentication=" + method,
						PREFIX + "client-secret=0123456789abcdef0123456789abcdef")
				.run((context) -> {
					FailureAnalysis analysis = analyze(context);
					assertThat(analysis.getDescription()).contains(PREFIX + "client-authentication")
						.contains(PREFIX + "fapi")
						.doesNotContain("0123456789abcdef");
					assertThat(analysis.getAction()).contains("private_key_jwt");
				});
		}
	}

	@Test
	void startWhenFapiAndRs256ThenAnalysisNamesAlgorithm() {
		privateKeyJwt(PREFIX + "fapi=true", PREFIX + "client-key.file=" + keys.privateKeyPem(rsa),
				PREFIX + "client-key.algorithm=RS256")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains(PREFIX + "client-key.algorithm")
					.contains("RS256")
					.contains(PREFIX + "fapi");
				assertThat(analysis.getAction()).contains("PS256");
			});
	}

	@Test
	void startWhenFapiAndRsaKeyUnder2048BitsThenAnalysisNamesKeySource() {
		privateKeyJwt(PREFIX + "fapi=true").withPropertyValues(p12Bundle("small", rsa1024))
			.withPropertyValues(PREFIX + "client-key.ssl-bundle=small")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("1024 bits")
				.contains(PREFIX + "fapi"));
		privateKeyJwt(PREFIX + "fapi=true", PREFIX + "client-key.file=" + keys.privateKeyPem(rsa),
				PREFIX + "client-assertion.audience=https://auth.example.com")
			.run((context) -> assertThat(context).hasNotFailed());
		this.contextRunner.withPropertyValues(p12Bundle("small", rsa1024))
			.withPropertyValues(PREFIX + "fapi=true", PREFIX + "client-authentication=tls_client_auth",
					PREFIX + "client-key.ssl-bundle=small")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("1024 bits"));
	}

	@Test
	void startWhenSigningRsaKeyUnder2048BitsThenAnalysisNamesKeySourceWithoutFapi() {
		privateKeyJwt(p12Bundle("small", rsa1024)).withPropertyValues(PREFIX + "client-key.ssl-bundle=small")
			.run((context) -> assertThat(analyze(context).getDescription()).contains(PREFIX + "client-key.ssl-bundle")
				.contains("1024 bits")
				.contains("RFC 7518"));
	}

	private static String jwkFile() {
		return jwkFile("");
	}

	private static String jwkFile(String extraFields) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			RSAPrivateCrtKey key = (RSAPrivateCrtKey) generator.generateKeyPair().getPrivate();
			Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
			java.util.function.Function<java.math.BigInteger, String> b64 = (value) -> {
				byte[] bytes = value.toByteArray();
				if (bytes[0] == 0 && bytes.length > 1) {
					bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
				}
				return encoder.encodeToString(bytes);
			};
			String jwk = "{" + extraFields + "\"kty\":\"RSA\",\"kid\":\"jwk-1\",\"n\":\"" + b64.apply(key.getModulus())
					+ "\",\"e\":\"" + b64.apply(key.getPublicExponent()) + "\",\"d\":\""
					+ b64.apply(key.getPrivateExponent()) + "\",\"p\":\"" + b64.apply(key.getPrimeP()) + "\",\"q\":\""
					+ b64.apply(key.getPrimeQ()) + "\",\"dp\":\"" + b64.apply(key.getPrimeExponentP()) + "\",\"dq\":\""
					+ b64.apply(key.getPrimeExponentQ()) + "\",\"qi\":\"" + b64.apply(key.getCrtCoefficient()) + "\"}";
			return keys.write("rsa-" + Math.abs(extraFields.hashCode()) + ".jwk.json", jwk).toString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static void assertNoKeyMaterial(FailureAnalysis analysis) {
		String body = rsaPemText.lines().skip(1).findFirst().orElseThrow();
		assertThat(analysis.getDescription()).doesNotContain(body);
		assertThat(analysis.getAction()).doesNotContain(body);
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
