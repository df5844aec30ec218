package io.tokenkit.autoconfigure;

import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.oauth2.OAuth2TokenException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.imperative.ImperativeHttpClientAutoConfiguration;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Each client authentication method against Spring Authorization Server, started in the
 * test over TLS with client certificates wanted: {@code private_key_jwt} (PS256 from a
 * PKCS#12 bundle, ES256 from a PEM file; the server reads the public keys from a JWK set
 * the test serves), {@code client_secret_jwt}, {@code tls_client_auth} (a CA-issued
 * certificate) and {@code self_signed_tls_client_auth} obtain a token through TokenKit's
 * auto-configured client that the servlet resource server of the same application
 * accepts; a wrong key or certificate is refused with a typed error naming the
 * registration. The mTLS tokens are certificate-bound ({@code cnf.x5t#S256}): the
 * resource server takes them with the certificate and refuses them without it.
 * <p>
 * Key stores are made at test time with the JDK's {@code keytool}
 * ({@link TestKeystores}).
 */
class ClientAuthenticationIntegrationTests {

	private static final String HS256_SECRET = "client-secret-jwt-" + UUID.randomUUID();

	private static final TestKeystores keys = new TestKeystores();

	private static Path serverStore;

	private static Path clientTrust;

	private static Path caIssued;

	private static Path selfSigned;

	private static Path psStore;

	private static Path esStore;

	private static KeyPair wrongRsa;

	private static final MockWebServer jwks = new MockWebServer();

	private static ConfigurableApplicationContext authorizationServer;

	private static String baseUrl;

	@BeforeAll
	static void start() throws Exception {
		Path ca = keys.selfSigned("ca", "CN=TokenKit Test CA", "-keyalg", "RSA", "-keysize", "2048", "-ext",
				"BC:c=ca:true");
		serverStore = keys.selfSigned("server", "CN=localhost", "-keyalg", "RSA", "-keysize", "2048");
		caIssued = keys.issuedBy("tls-app", "CN=tls-app", ca);
		selfSigned = keys.selfSigned("self-app", "CN=self-app", "-keyalg", "EC", "-groupname", "secp256r1");
		psStore = keys.selfSigned("ps-key", "CN=jwt-app", "-keyalg", "RSA", "-keysize", "2048");
		esStore = keys.selfSigned("es-key", "CN=es-app", "-keyalg", "EC", "-groupname", "secp256r1");
		clientTrust = keys.trustStore("client-trust", serverStore);
		Path serverTrust = keys.trustStore("server-trust", ca, selfSigned);
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		wrongRsa = generator.generateKeyPair();
		Map<String, String> jwkSets = Map.of("/jwt-app", new JWKSet(
				new RSAKey.Builder((RSAPublicKey) TestKeystores.publicKey(psStore)).keyID("ps-key").build())
			.toString(), "/es-app",
				new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) TestKeystores.publicKey(esStore)).keyID("es-1")
					.build()).toString(),
				"/self-app",
				new JWKSet(new ECKey.Builder(Curve.P_256, (ECPublicKey) TestKeystores.publicKey(selfSigned))
					.keyID("self-app")
					.x509CertChain(List
						.of(com.nimbusds.jose.util.Base64.encode(TestKeystores.certificate(selfSigned).getEncoded())))
					.build()).toString());
		jwks.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String body = jwkSets.get(request.getUrl().encodedPath());
				return (body != null) ? new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body(body)
					.build() : new MockResponse.Builder().code(404).build();
			}
		});
		jwks.start();
		authorizationServer = new SpringApplicationBuilder(AuthorizationServerApplication.class)
			.properties(Map.of("server.port", "0", "spring.main.banner-mode", "off", "server.ssl.bundle", "server",
					"server.ssl.client-auth", "want", "spring.ssl.bundle.jks.server.keystore.location",
					"file:" + serverStore, "spring.ssl.bundle.jks.server.keystore.password", TestKeystores.PASSWORD,
					"spring.ssl.bundle.jks.server.keystore.type", "PKCS12",
					"spring.ssl.bundle.jks.server.truststore.location", "file:" + serverTrust,
					"spring.ssl.bundle.jks.server.truststore.password", TestKeystores.PASSWORD,
					"spring.ssl.bundle.jks.server.truststore.type", "PKCS12"))
			.run();
		int port = ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
		baseUrl = "https://localhost:" + port;
	}

	@AfterAll
	static void stop() {
		authorizationServer.close();
		jwks.close();
	}

	private ApplicationContextRunner tokenKit(String clientId, String clientAuthentication, String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
					ImperativeHttpClientAutoConfiguration.class, RestClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
					TokenKitRestClientAutoConfiguration.class))
			.withUserConfiguration(OrdersCaller.class)
			.withPropertyValues(bundle("trust", null, clientTrust))
			.withPropertyValues("spring.http.clients.ssl.bundle=trust",
					"tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=" + baseUrl + "/oauth2/token",
					"tokenkit.registrations.orders.client-id=" + clientId,
					"tokenkit.registrations.orders.client-authentication=" + clientAuthentication,
					"tokenkit.registrations.orders.scopes=orders.read",
					"tokenkit.clients.orders.base-url=" + baseUrl + "/api",
					"tokenkit.clients.orders.registration=orders")
			.withPropertyValues(properties);
	}

	static String[] bundle(String name, Path keyStore, Path trustStore) {
		String prefix = "spring.ssl.bundle.jks." + name + ".";
		List<String> properties = new java.util.ArrayList<>(List.of(prefix + "truststore.location=file:" + trustStore,
				prefix + "truststore.password=" + TestKeystores.PASSWORD, prefix + "truststore.type=PKCS12"));
		if (keyStore != null) {
			properties.addAll(List.of(prefix + "keystore.location=file:" + keyStore,
					prefix + "keystore.password=" + TestKeystores.PASSWORD, prefix + "keystore.type=PKCS12"));
		}
		return properties.toArray(String[]::new);
	}

	@Test
	void privateKeyJwtWithPs256KeyFromBundleThenResourceServerAcceptsToken() {
		tokenKit("jwt-app", "private_key_jwt", bundle("jwt", psStore, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundle=jwt",
					"tokenkit.registrations.orders.fapi=true",
					// the issuer identifier, as FAPI 2.0 asks
					"tokenkit.registrations.orders.client-assertion.audience=" + baseUrl)
			.run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
				.isEqualTo("hello jwt-app [orders.read]"));
	}

	@Test
	void privateKeyJwtWithEs256KeyFileAndApplicationClock30SecondsAheadThenResourceServerAcceptsToken() {
		tokenKit("es-app", "private_key_jwt",
				"tokenkit.registrations.orders.client-key.file=" + keys.privateKeyPem(esStore),
				"tokenkit.registrations.orders.client-key.key-id=es-1")
			.withBean(Clock.class, () -> Clock.offset(Clock.systemUTC(), Duration.ofSeconds(30)))
			.run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
				.isEqualTo("hello es-app [orders.read]"));
	}

	@Test
	void clientSecretJwtThenResourceServerAcceptsToken() {
		tokenKit("hs-app", "client_secret_jwt", "tokenkit.registrations.orders.client-secret=" + HS256_SECRET)
			.run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
				.isEqualTo("hello hs-app [orders.read]"));
	}

	@Test
	void privateKeyJwtWhenWrongKeyThenTypedErrorNamingRegistration() {
		String pem = "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(wrongRsa.getPrivate().getEncoded())
				+ "\n-----END PRIVATE KEY-----\n";
		tokenKit("jwt-app", "private_key_jwt",
				"tokenkit.registrations.orders.client-key.file=" + keys.write("wrong-key.pem", pem),
				"tokenkit.registrations.orders.client-key.key-id=ps-key")
			.run((context) -> assertRefused(context));
	}

	@Test
	void tlsClientAuthThenCertificateBoundTokenWorksWithCertificateAndIsRefusedWithout() {
		tokenKit("tls-app", "tls_client_auth", bundle("client", caIssued, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundle=client")
			.run((context) -> assertCertificateBound(context, "tls-app"));
	}

	@Test
	void selfSignedTlsClientAuthThenCertificateBoundTokenWorksWithCertificateAndIsRefusedWithout() {
		tokenKit("self-app", "self_signed_tls_client_auth", bundle("client", selfSigned, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundle=client")
			.run((context) -> {
				assertCertificateBound(context, "self-app");
				// the RestClient bean of the same registration presents the certificate
				// too
				assertThat(context.getBean("ordersRestClient", RestClient.class)
					.get()
					.uri("/hello")
					.retrieve()
					.body(String.class)).isEqualTo("hello self-app [orders.read]");
			});
	}

	@Test
	void tlsClientAuthWhenResourceCallsSwitchedOffThenCertificateBoundTokenRefusedAtResourceServer() {
		tokenKit("tls-app", "tls_client_auth", bundle("client", caIssued, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundle=client",
					"tokenkit.registrations.orders.client-key.resource-calls=false")
			.run((context) -> assertThatException().isThrownBy(() -> context.getBean(OrdersCaller.class).whoAmI())
				.withMessageContaining("401"));
	}

	@Test
	void tlsClientAuthWhenWrongCertificateThenTypedErrorNamingRegistration() {
		// a certificate the server's TLS trusts, whose subject is not tls-app's
		tokenKit("tls-app", "tls_client_auth", bundle("client", selfSigned, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundle=client")
			.run((context) -> assertRefused(context));
	}

	@Test
	void springSecurityRegistrationWithPrivateKeyJwtThenServedWithKeyBesideIt() {
		springSecurity("jwt-app", "private_key_jwt", bundle("jwt", psStore, clientTrust))
			.withPropertyValues("tokenkit.registrations.orders.from-spring-security=true",
					"tokenkit.registrations.orders.client-key.ssl-bundle=jwt")
			.run((context) -> assertThat(context.getBean(OrdersCaller.class).whoAmI())
				.isEqualTo("hello jwt-app [orders.read]"));
	}

	@Test
	void springSecurityRegistrationsWithTlsClientAuthThenServedWithCertificateBesideThem() {
		springSecurity("tls-app", "tls_client_auth", bundle("client", caIssued, clientTrust))
			.withPropertyValues("tokenkit.spring-security-registrations=true",
					"tokenkit.registrations.orders.client-key.ssl-bundle=client")
			.run((context) -> assertCertificateBound(context, "tls-app"));
	}

	private ApplicationContextRunner springSecurity(String clientId, String method, String... properties) {
		String registration = "spring.security.oauth2.client.registration.orders.";
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(OrdersCaller.class)
			.withPropertyValues(bundle("trust", null, clientTrust))
			.withPropertyValues("spring.http.clients.ssl.bundle=trust", registration + "provider=auth",
					registration + "client-id=" + clientId, registration + "client-authentication-method=" + method,
					registration + "authorization-grant-type=client_credentials", registration + "scope=orders.read",
					"spring.security.oauth2.client.provider.auth.token-uri=" + baseUrl + "/oauth2/token",
					"tokenkit.clients.orders.base-url=" + baseUrl + "/api",
					"tokenkit.clients.orders.registration=orders")
			.withPropertyValues(properties);
	}

	private void assertCertificateBound(AssertableApplicationContext context, String clientId) {
		assertThat(context.getBean(OrdersCaller.class).whoAmI()).isEqualTo("hello " + clientId + " [orders.read]");
		String token = context.getBean(TokenManager.class).getCachedToken(TokenKey.of("orders")).getTokenValue();
		String claims = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
		assertThat(claims).contains("x5t#S256");
		WebClient withoutCertificate = WebClient.builder()
			.clientConnector(ClientHttpConnectorBuilder.detect()
				.build(HttpClientSettings.ofSslBundle(context.getBean(SslBundles.class).getBundle("trust"))))
			.build();
		Integer status = withoutCertificate.get()
			.uri(baseUrl + "/api/hello")
			.headers((headers) -> headers.setBearerAuth(token))
			.exchangeToMono((response) -> Mono.just(response.statusCode().value()))
			.block(Duration.ofSeconds(10));
		assertThat(status).isEqualTo(401);
	}

	private static void assertRefused(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		assertThatException().isThrownBy(
				() -> context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block(Duration.ofSeconds(20)))
			.satisfies((ex) -> {
				Throwable cause = ex;
				while (cause != null && !(cause instanceof OAuth2TokenException)) {
					cause = cause.getCause();
				}
				assertThat(cause).as("OAuth2TokenException in %s", ex).isNotNull();
				OAuth2TokenException error = (OAuth2TokenException) cause;
				assertThat(error.getRegistrationId()).isEqualTo("orders");
				assertThat(error.getStatusCode()).isEqualTo(401);
				assertThat(error.getMessage()).contains("orders");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersCaller {

		private final WebClient orders;

		OrdersCaller(@Qualifier("orders") WebClient orders) {
			this.orders = orders;
		}

		String whoAmI() {
			return this.orders.get().uri("/hello").retrieve().bodyToMono(String.class).block(Duration.ofSeconds(20));
		}

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class AuthorizationServerApplication {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.oauth2AuthorizationServer(Customizer.withDefaults())
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.jwt(Customizer.withDefaults()))
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		RegisteredClientRepository registeredClientRepository() {
			String jwkSetUrl = jwks.url("/").toString();
			return new InMemoryRegisteredClientRepository(
					client("jwt-app", ClientAuthenticationMethod.PRIVATE_KEY_JWT)
						.clientSettings(ClientSettings.builder()
							.jwkSetUrl(jwkSetUrl + "jwt-app")
							.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.PS256)
							.build())
						.build(),
					client("es-app", ClientAuthenticationMethod.PRIVATE_KEY_JWT)
						.clientSettings(ClientSettings.builder()
							.jwkSetUrl(jwkSetUrl + "es-app")
							.tokenEndpointAuthenticationSigningAlgorithm(SignatureAlgorithm.ES256)
							.build())
						.build(),
					client("hs-app", ClientAuthenticationMethod.CLIENT_SECRET_JWT).clientSecret(HS256_SECRET)
						.clientSettings(ClientSettings.builder()
							.tokenEndpointAuthenticationSigningAlgorithm(MacAlgorithm.HS256)
							.build())
						.build(),
					client("tls-app", ClientAuthenticationMethod.TLS_CLIENT_AUTH)
						.clientSettings(ClientSettings.builder().x509CertificateSubjectDN("CN=tls-app").build())
						.tokenSettings(TokenSettings.builder().x509CertificateBoundAccessTokens(true).build())
						.build(),
					client("self-app", ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH)
						.clientSettings(ClientSettings.builder().jwkSetUrl(jwkSetUrl + "self-app").build())
						.tokenSettings(TokenSettings.builder().x509CertificateBoundAccessTokens(true).build())
						.build());
		}

		private static RegisteredClient.Builder client(String clientId, ClientAuthenticationMethod method) {
			return RegisteredClient.withId(clientId)
				.clientId(clientId)
				.clientAuthenticationMethod(method)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("orders.read");
		}

		@Bean
		HelloController helloController() {
			return new HelloController();
		}

	}

	@RestController
	static class HelloController {

		@GetMapping("/api/hello")
		String hello(@AuthenticationPrincipal Jwt jwt) {
			return "hello " + jwt.getSubject() + " " + jwt.getClaimAsStringList("scope");
		}

	}

}
