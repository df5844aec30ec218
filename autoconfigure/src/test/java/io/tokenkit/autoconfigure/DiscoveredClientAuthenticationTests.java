package io.tokenkit.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.testsupport.MetadataServer;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.util.UriComponentsBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a registration's client authentication meets discovery, through the
 * auto-configuration on loopback servers: the {@code aud} of a {@code private_key_jwt} or
 * {@code client_secret_jwt} assertion is the configured {@code issuer-uri} as one string,
 * whether the token endpoint is discovered or set by {@code token-uri}, else the
 * {@code token-uri}; {@code fapi: true} starts with the issuer alone; a registration that
 * authenticates with a client certificate calls the token endpoint's
 * {@code mtls_endpoint_aliases} entry (over TLS that requires the certificate), one with
 * a client secret on the same issuer its {@code token_endpoint}.
 */
class DiscoveredClientAuthenticationTests {

	private static final Duration BLOCK = Duration.ofSeconds(20);

	private static final String TOKEN_JSON = "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

	private static final String ISSUER_PATH = "/realms/shop";

	private static final String METADATA_PATH = ISSUER_PATH + "/.well-known/openid-configuration";

	private static final String HS256_SECRET = "client-secret-jwt-0123456789abcdef0123456789";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final TestKeystores keys = new TestKeystores();

	private static Path ecKey;

	private static Path serverStore;

	private static Path clientStore;

	private final MetadataServer server = new MetadataServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
				WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class));

	private String issuer;

	@BeforeAll
	static void createKeys() {
		ecKey = keys
			.privateKeyPem(keys.selfSigned("es-key", "CN=orders-app", "-keyalg", "EC", "-groupname", "secp256r1"));
		serverStore = keys.selfSigned("server", "CN=localhost", "-keyalg", "RSA", "-keysize", "2048");
		clientStore = keys.selfSigned("mtls-app", "CN=mtls-app", "-keyalg", "RSA", "-keysize", "2048");
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.issuer = this.server.url(ISSUER_PATH);
		this.server.json("/oauth2/token", TOKEN_JSON).json("/custom/token", TOKEN_JSON);
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	@Test
	void assertionWhenOnlyIssuerUriThenAudIsIssuerAndTokenCallGoesToDiscoveredEndpoint() throws Exception {
		this.server.metadata(METADATA_PATH, this.issuer, "");
		for (String[] authentication : new String[][] { privateKeyJwt(), clientSecretJwt() }) {
			signed(authentication, "issuer-uri=" + this.issuer).run((context) -> {
				assertThat(context).hasNotFailed();
				RecordedRequest call = tokenCall(context);
				assertThat(call.getUrl().encodedPath()).isEqualTo("/oauth2/token");
				assertAudience(call, this.issuer);
			});
		}
		assertThat(this.server.count(METADATA_PATH)).isEqualTo(2);
	}

	@Test
	void assertionWhenIssuerUriAndTokenUriThenAudIsIssuerAndTokenCallGoesToTokenUri() throws Exception {
		for (String[] authentication : new String[][] { privateKeyJwt(), clientSecretJwt() }) {
			signed(authentication, "issuer-uri=" + this.issuer, "token-uri=" + this.server.url("/custom/token"))
				.run((context) -> {
					RecordedRequest call = tokenCall(context);
					assertThat(call.getUrl().encodedPath()).isEqualTo("/custom/token");
					assertAudience(call, this.issuer);
				});
		}
		assertThat(this.server.count(METADATA_PATH)).isZero();
	}

	@Test
	void assertionWhenOnlyTokenUriThenAudIsTokenUri() throws Exception {
		String tokenUri = this.server.url("/custom/token");
		for (String[] authentication : new String[][] { privateKeyJwt(), clientSecretJwt() }) {
			signed(authentication, "token-uri=" + tokenUri).run((context) -> {
				RecordedRequest call = tokenCall(context);
				assertThat(call.getUrl().encodedPath()).isEqualTo("/custom/token");
				assertAudience(call, tokenUri);
			});
		}
	}

	@Test
	void startWhenFapiPrivateKeyJwtWithOnlyIssuerUriThenStartsAndAudIsIssuer() throws Exception {
		this.server.metadata(METADATA_PATH, this.issuer, "");
		signed(privateKeyJwt(), "issuer-uri=" + this.issuer, "fapi=true").run((context) -> {
			assertThat(context).hasNotFailed();
			assertAudience(tokenCall(context), this.issuer);
		});
	}

	@Test
	void tokenCallWhenMetadataListsMtlsAliasThenCertificateRegistrationsCallAliasAndSecretOneTokenEndpoint()
			throws Exception {
		try (MockWebServer alias = mutualTlsServer()) {
			this.server.metadata(METADATA_PATH, this.issuer,
					",\"mtls_endpoint_aliases\":{\"token_endpoint\":\"" + alias.url("/mtls/token") + "\"}");
			String bundle = "spring.ssl.bundle.jks.client.";
			this.contextRunner
				.withPropertyValues(bundle + "keystore.location=file:" + clientStore,
						bundle + "keystore.password=" + TestKeystores.PASSWORD, bundle + "keystore.type=PKCS12",
						bundle + "truststore.location=file:" + keys.trustStore("client-trust", serverStore),
						bundle + "truststore.password=" + TestKeystores.PASSWORD, bundle + "truststore.type=PKCS12")
				.withPropertyValues(registration("certified", "client-authentication=tls_client_auth",
						"client-key.ssl-bundle=client", "issuer-uri=" + this.issuer))
				.withPropertyValues(registration("self-signed", "client-authentication=self_signed_tls_client_auth",
						"client-key.ssl-bundle=client", "issuer-uri=" + this.issuer))
				.withPropertyValues(registration("secret", "client-authentication=basic", "client-secret=orders-secret",
						"issuer-uri=" + this.issuer))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					TokenManager manager = context.getBean(TokenManager.class);
					for (String id : new String[] { "certified", "self-signed" }) {
						alias.enqueue(new MockResponse.Builder().code(200)
							.setHeader("Content-Type", "application/json")
							.body(TOKEN_JSON)
							.build());
						manager.getToken(TokenKey.of(id)).block(BLOCK);
						RecordedRequest call = alias.takeRequest(20, TimeUnit.SECONDS);
						assertThat(call).isNotNull();
						assertThat(call.getUrl().encodedPath()).isEqualTo("/mtls/token");
						assertThat(form(call, "client_id")).isEqualTo("orders-app");
						X509Certificate presented = (X509Certificate) call.getHandshake().peerCertificates().get(0);
						assertThat(presented.getSubjectX500Principal().getName()).isEqualTo("CN=mtls-app");
					}
					assertThat(this.server.count("/oauth2/token")).isZero();
					manager.getToken(TokenKey.of("secret")).block(BLOCK);
					assertThat(this.server.count("/oauth2/token")).isEqualTo(1);
					assertThat(alias.getRequestCount()).isEqualTo(2);
					assertThat(this.server.count(METADATA_PATH)).isEqualTo(1);
				});
		}
	}

	private MockWebServer mutualTlsServer() throws Exception {
		SSLContext context = TestKeystores.serverContext(serverStore, keys.trustStore("server-trust", clientStore));
		MockWebServer alias = new MockWebServer();
		alias.useHttps(context.getSocketFactory());
		alias.requireClientAuth();
		alias.start();
		return alias;
	}

	private static String[] privateKeyJwt() {
		return new String[] { "client-authentication=private_key_jwt", "client-key.file=" + ecKey,
				"client-key.algorithm=ES256" };
	}

	private static String[] clientSecretJwt() {
		return new String[] { "client-authentication=client_secret_jwt", "client-secret=" + HS256_SECRET };
	}

	private ApplicationContextRunner signed(String[] authentication, String... endpoints) {
		return this.contextRunner.withPropertyValues(registration("orders", authentication))
			.withPropertyValues(registration("orders", endpoints));
	}

	private static String[] registration(String id, String... properties) {
		String prefix = "tokenkit.registrations." + id + ".";
		String[] all = new String[properties.length + 2];
		all[0] = prefix + "grant-type=client_credentials";
		all[1] = prefix + "client-id=orders-app";
		for (int i = 0; i < properties.length; i++) {
			all[i + 2] = prefix + properties[i];
		}
		return all;
	}

	/**
	 * Make the registration's token call and return it as the token endpoint got it.
	 */
	private RecordedRequest tokenCall(AssertableApplicationContext context) throws InterruptedException {
		context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block(BLOCK);
		RecordedRequest request = this.server.server.takeRequest(20, TimeUnit.SECONDS);
		while (request != null && request.getUrl().encodedPath().contains("/.well-known/")) {
			request = this.server.server.takeRequest(20, TimeUnit.SECONDS);
		}
		assertThat(request).isNotNull();
		return request;
	}

	private static void assertAudience(RecordedRequest call, String audience) {
		String assertion = form(call, "client_assertion");
		assertThat(assertion).isNotNull();
		JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(assertion.split("\\.")[1]));
		// one string, not an array, as FAPI 2.0 asks
		assertThat(claims.get("aud").isString()).isTrue();
		assertThat(claims.get("aud").asString()).isEqualTo(audience);
	}

	private static String form(RecordedRequest call, String name) {
		String value = UriComponentsBuilder.newInstance()
			.query(call.getBody().utf8())
			.build()
			.getQueryParams()
			.getFirst(name);
		return (value != null) ? java.net.URLDecoder.decode(value, StandardCharsets.UTF_8) : null;
	}

}
