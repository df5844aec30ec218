package io.tokenkit.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.KeycloakAdmin;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * TokenKit's client authentication against a real Keycloak 26 (realm {@code tk} of
 * {@code /work/shared/tools/keycloak.sh}): clients created through Keycloak's admin REST
 * API, the token endpoint found by discovery from {@code issuer-uri}, three application
 * contexts on one Redis store sharing the registration. Keycloak's own events
 * ({@code CLIENT_LOGIN}) count the token calls it answered, and its introspection
 * endpoint says whether each token is active. Skipped unless
 * {@code tokenkit.keycloak.token-uri} is set (the {@code keycloak} Maven profile sets
 * it).
 */
@EnabledIfSystemProperty(named = "tokenkit.keycloak.token-uri", matches = ".+")
class KeycloakClientAuthenticationTests {

	static final String TOKEN_URI = System.getProperty("tokenkit.keycloak.token-uri");

	/** The realm's issuer; {@code null} when the test is skipped (no Keycloak). */
	static final String ISSUER = (TOKEN_URI != null) ? TOKEN_URI.substring(0, TOKEN_URI.indexOf("/protocol/")) : null;

	static final KeycloakAdmin admin = (ISSUER != null) ? new KeycloakAdmin(ISSUER) : null;

	/** The realm's issuer over HTTPS, as {@code scripts/keycloak-https.sh} serves it. */
	static final String HTTPS_ISSUER = System.getProperty("tokenkit.keycloak.https-issuer");

	/** Where {@code scripts/keycloak-https.sh} keeps the test CA and Keycloak's store. */
	static final Path TLS = Path.of(System.getProperty("tokenkit.keycloak.tls-dir",
			System.getProperty("user.home") + "/.cache/tokenkit-keycloak/tls"));

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	static final HttpClient http = HttpClient.newHttpClient();

	static final TestKeystores keys = new TestKeystores();

	final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	@BeforeAll
	static void enableClientLoginEvents() throws Exception {
		admin.send("PUT", "/events/config",
				"{\"eventsEnabled\":true,\"enabledEventTypes\":[\"CLIENT_LOGIN\",\"CLIENT_LOGIN_ERROR\"]}");
	}

	@BeforeEach
	void clearEvents() throws Exception {
		admin.send("DELETE", "/events", null);
	}

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void privateKeyJwtWithTheClientsCertificateRegisteredInKeycloakThreeInstancesOneTokenCall() throws Exception {
		Path store = keys.selfSigned("kc-jwt", "CN=kc-jwt-app", "-keyalg", "RSA", "-keysize", "2048");
		String certificate = Base64.getEncoder().encodeToString(TestKeystores.certificate(store).getEncoded());
		String clientId = createClient("kc-jwt-app", "client-jwt",
				"\"attributes\":{\"jwt.credential.certificate\":\"" + certificate + "\",\"use.jwks.url\":\"false\"}");
		threeInstancesObtainOneTokenThatKeycloakAccepts(clientId, "private_key_jwt",
				"tokenkit.registrations.orders.client-key.file=" + keys.privateKeyPem(store));
	}

	@Test
	void clientSecretJwtThreeInstancesOneTokenCall() throws Exception {
		String secret = "kc-secret-jwt-0123456789abcdef0123456789";
		String clientId = createClient("kc-secret-jwt-app", "client-secret-jwt", "\"secret\":\"" + secret + "\"");
		threeInstancesObtainOneTokenThatKeycloakAccepts(clientId, "client_secret_jwt",
				"tokenkit.registrations.orders.client-secret=" + secret);
	}

	/**
	 * Needs Keycloak over HTTPS with client certificates requested, as
	 * {@code scripts/keycloak-https.sh} starts it, and
	 * {@code -Dtokenkit.keycloak.https-issuer=https://127.0.0.1:18443/realms/tk}.
	 */
	@Test
	@EnabledIfSystemProperty(named = "tokenkit.keycloak.https-issuer", matches = ".+")
	void tlsClientAuthThroughTheMtlsAliasThenCertificateBoundToken() throws Exception {
		Path client = clientStore("kc-mtls-app");
		String clientId = createClient("kc-mtls-app", "client-x509",
				"\"attributes\":{\"x509.subjectdn\":\"CN=kc-mtls-app\","
						+ "\"tls.client.certificate.bound.access.tokens\":\"true\"}");
		String metadata = get(HTTPS_ISSUER + "/.well-known/openid-configuration", serverTrust());
		assertThat(metadata).contains("\"mtls_endpoint_aliases\"");
		System.out.println(
				"Keycloak's mtls_endpoint_aliases: " + metadata.substring(metadata.indexOf("\"mtls_endpoint_aliases\""),
						metadata.indexOf('}', metadata.indexOf("\"mtls_endpoint_aliases\"")) + 1));
		overHttps(client, clientId, "tls_client_auth").run((context) -> {
			assertThat(context).hasNotFailed();
			AccessToken token = context.getBean(TokenManager.class)
				.getToken(TokenKey.of("kc"))
				.block(Duration.ofSeconds(30));
			String payload = new String(Base64.getUrlDecoder().decode(token.getTokenValue().split("\\.")[1]));
			System.out.println("Keycloak, tls_client_auth: cnf " + payload.substring(payload.indexOf("\"cnf\"")));
			assertThat(KeycloakAdmin.field(payload, "x5t#S256")).isEqualTo(thumbprint(client));
			assertThat(events(clientId, "CLIENT_LOGIN")).hasSize(1);
		});
	}

	/**
	 * A client under Keycloak's built-in FAPI 2.0 client profile (global profile
	 * {@code fapi-2-security-profile}, linked by a realm client policy whose condition is
	 * the client's role {@code fapi-client}): {@code private_key_jwt} PS256 with the
	 * issuer as audience, over the HTTPS set-up of
	 * {@link #tlsClientAuthThroughTheMtlsAliasThenCertificateBoundToken()} so that the
	 * token is certificate-bound.
	 */
	@Test
	@EnabledIfSystemProperty(named = "tokenkit.keycloak.https-issuer", matches = ".+")
	void fapi2ClientProfilePrivateKeyJwtPs256ThenCertificateBoundToken() throws Exception {
		Path client = clientStore("kc-fapi-app");
		String certificate = Base64.getEncoder().encodeToString(TestKeystores.certificate(client).getEncoded());
		String clientId = createClient("kc-fapi-app", "client-jwt",
				"\"attributes\":{\"jwt.credential.certificate\":\"" + certificate + "\",\"use.jwks.url\":\"false\","
						+ "\"tls.client.certificate.bound.access.tokens\":\"true\"}");
		String id = KeycloakAdmin.field(admin.send("GET", "/clients?clientId=" + clientId, null), "id");
		admin.send("POST", "/clients/" + id + "/roles", "{\"name\":\"fapi-client\"}");
		admin.send("PUT", "/client-policies/policies", "{\"policies\":[{\"name\":\"tk-fapi-2\",\"enabled\":true,"
				+ "\"conditions\":[{\"condition\":\"client-roles\",\"configuration\":{\"roles\":[\"fapi-client\"]}}],"
				+ "\"profiles\":[\"fapi-2-security-profile\"]}]}");
		try {
			ApplicationContextRunner fapi = overHttps(client, clientId, "private_key_jwt",
					"tokenkit.registrations.kc.client-key.algorithm=PS256", "tokenkit.registrations.kc.fapi=true",
					"tokenkit.registrations.kc.client-assertion.audience=" + HTTPS_ISSUER);
			// the policy is in force: an RS256 assertion (allowed by the client itself)
			// is refused
			fapi.withPropertyValues("tokenkit.registrations.kc.fapi=false",
					"tokenkit.registrations.kc.client-key.algorithm=RS256")
				.run((context) -> {
					Throwable refused = catchThrowable(() -> context.getBean(TokenManager.class)
						.getToken(TokenKey.of("kc"))
						.block(Duration.ofSeconds(30)));
					List<String> errors = events(clientId, "CLIENT_LOGIN_ERROR");
					System.out.println("Keycloak, FAPI 2.0 profile, RS256 assertion: " + refused + "; event " + errors);
					assertThat(refused).isNotNull();
					assertThat(errors).hasSize(1);
				});
			admin.send("DELETE", "/events", null);
			fapi.run((context) -> {
				assertThat(context).hasNotFailed();
				AccessToken token = context.getBean(TokenManager.class)
					.getToken(TokenKey.of("kc"))
					.block(Duration.ofSeconds(30));
				String payload = new String(Base64.getUrlDecoder().decode(token.getTokenValue().split("\\.")[1]));
				System.out.println("Keycloak, FAPI 2.0 profile, private_key_jwt PS256: cnf " + payload
					.substring(payload.indexOf("\"cnf\""), payload.indexOf('}', payload.indexOf("\"cnf\"")) + 1));
				assertThat(KeycloakAdmin.field(payload, "x5t#S256")).isEqualTo(thumbprint(client));
				assertThat(events(clientId, "CLIENT_LOGIN")).hasSize(1);
			});
		}
		finally {
			admin.send("PUT", "/client-policies/policies", "{\"policies\":[]}");
		}
	}

	/**
	 * TokenKit with one {@code client_credentials} registration {@code kc} discovered
	 * from the HTTPS issuer, its key and certificate in the SSL bundle {@code client}.
	 */
	private static ApplicationContextRunner overHttps(Path client, String clientId, String method,
			String... properties) {
		Path trust = serverTrust();
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
					ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
					TokenKitAutoConfiguration.class))
			.withPropertyValues(ClientAuthenticationIntegrationTests.bundle("trust", null, trust))
			.withPropertyValues(ClientAuthenticationIntegrationTests.bundle("client", client, trust))
			.withPropertyValues("spring.http.clients.ssl.bundle=trust",
					"tokenkit.registrations.kc.grant-type=client_credentials",
					"tokenkit.registrations.kc.issuer-uri=" + HTTPS_ISSUER,
					"tokenkit.registrations.kc.client-id=" + clientId,
					"tokenkit.registrations.kc.client-authentication=" + method,
					"tokenkit.registrations.kc.client-key.ssl-bundle=client")
			.withPropertyValues(properties);
	}

	/** A key pair whose certificate (subject {@code CN=<name>}) the test CA issued. */
	private static Path clientStore(String name) {
		return keys.issuedBy(name, "CN=" + name, TLS.resolve("kc-ca.p12"));
	}

	/** A trust store of Keycloak's HTTPS certificate. */
	private static Path serverTrust() {
		return keys.trustStore("kc-trust-" + System.nanoTime(), TLS.resolve("kc-server.p12"));
	}

	private static String thumbprint(Path store) throws Exception {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(TestKeystores.certificate(store).getEncoded()));
	}

	private static String get(String uri, Path trustStore) throws Exception {
		KeyStore trusted = TestKeystores.load(trustStore);
		TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trust.init(trusted);
		SSLContext ssl = SSLContext.getInstance("TLS");
		ssl.init(null, trust.getTrustManagers(), null);
		HttpResponse<String> response = HttpClient.newBuilder()
			.sslContext(ssl)
			.build()
			.send(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

	private void threeInstancesObtainOneTokenThatKeycloakAccepts(String clientId, String method, String... properties)
			throws Exception {
		for (int i = 0; i < 3; i++) {
			this.contexts.add(instance(clientId, method, properties));
		}
		ReactiveStringRedisTemplate redis = this.contexts.get(0).getBean(ReactiveStringRedisTemplate.class);
		redis.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis.convertAndSend("tokenkit:changes", "X 0 nothing").block() >= 3);
		List<AccessToken> tokens = Flux.range(0, 60)
			.flatMap((i) -> manager(i % 3).getToken(TokenKey.of("orders")).subscribeOn(Schedulers.parallel()), 60)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(tokens).hasSize(60);
		assertThat(tokens.stream().map(AccessToken::getTokenValue).distinct()).hasSize(1);
		String token = tokens.get(0).getTokenValue();
		String introspection = introspect(token);
		assertThat(introspection).contains("\"active\":true");
		assertThat(KeycloakAdmin.field(introspection, "azp")).isEqualTo(clientId);
		List<String> logins = events(clientId, "CLIENT_LOGIN");
		System.out.println("Keycloak, " + method + ": " + logins.size() + " token call(s) for 60 requests on 3 "
				+ "instances, errors " + events(clientId, "CLIENT_LOGIN_ERROR"));
		assertThat(logins).as("token calls Keycloak answered").hasSize(1);
		assertThat(events(clientId, "CLIENT_LOGIN_ERROR")).isEmpty();
	}

	private ConfigurableApplicationContext instance(String clientId, String method, String... properties) {
		List<String> all = new ArrayList<>(List.of("tokenkit.allow-insecure-http=true",
				"tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.issuer-uri=" + ISSUER,
				"tokenkit.registrations.orders.client-id=" + clientId,
				"tokenkit.registrations.orders.client-authentication=" + method));
		all.addAll(List.of(properties));
		return TokenKitInstances.start(redisServer.port(), Clock.systemUTC(), all.toArray(String[]::new));
	}

	private TokenManager manager(int index) {
		return this.contexts.get(index).getBean(TokenManager.class);
	}

	/**
	 * Create a confidential client for {@code client_credentials}, replacing one of the
	 * same id. Its tokens name {@code orders-app} in their audience: Keycloak 26 answers
	 * an introspection only to a client the token is meant for.
	 */
	static String createClient(String clientId, String authenticator, String extra) throws Exception {
		String existing = KeycloakAdmin.field(admin.send("GET", "/clients?clientId=" + clientId, null), "id");
		if (existing != null) {
			admin.send("DELETE", "/clients/" + existing, null);
		}
		admin.send("POST", "/clients",
				"{\"clientId\":\"" + clientId + "\",\"publicClient\":false,\"serviceAccountsEnabled\":true,"
						+ "\"standardFlowEnabled\":false,\"clientAuthenticatorType\":\"" + authenticator + "\","
						+ "\"protocolMappers\":[{\"name\":\"orders-app-audience\",\"protocol\":\"openid-connect\","
						+ "\"protocolMapper\":\"oidc-audience-mapper\",\"config\":{\"included.client.audience\":"
						+ "\"orders-app\",\"access.token.claim\":\"true\",\"introspection.token.claim\":\"true\"}}],"
						+ extra + "}");
		return clientId;
	}

	/** The ids of Keycloak's events of one type for a client. */
	static List<String> events(String clientId, String type) throws Exception {
		String json = admin.send("GET", "/events?client=" + clientId + "&type=" + type, null);
		List<String> found = new ArrayList<>();
		Matcher matcher = Pattern.compile("\\{[^{}]*\"type\":\"" + type + "\"[^{}]*").matcher(json);
		while (matcher.find()) {
			found.add(matcher.group());
		}
		return found;
	}

	/** Keycloak's introspection of a token, asked by the realm's orders-app client. */
	static String introspect(String token) throws Exception {
		HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(TOKEN_URI + "/introspect"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(KeycloakAdmin
				.form(Map.of("token", token, "client_id", "orders-app", "client_secret", "orders-secret-kc-1"))))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return response.body();
	}

}
