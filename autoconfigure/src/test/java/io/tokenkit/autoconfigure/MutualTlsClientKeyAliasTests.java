package io.tokenkit.autoconfigure;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code client-key.alias} chooses the certificate that mutual TLS presents when the SSL
 * bundle's key store holds several key entries, on token calls over a loopback TLS server
 * that requires a client certificate.
 */
class MutualTlsClientKeyAliasTests {

	private static final String PREFIX = "tokenkit.registrations.orders.";

	private final TestKeystores keys = new TestKeystores();

	private final MockWebServer server = new MockWebServer();

	private Path clientStore;

	private Path clientTrust;

	@BeforeEach
	void start() throws Exception {
		Path serverStore = this.keys.selfSigned("server", "CN=localhost", "-keyalg", "RSA", "-keysize", "2048");
		Path first = this.keys.selfSigned("first", "CN=first", "-keyalg", "RSA", "-keysize", "1024");
		Path second = this.keys.selfSigned("second", "CN=second", "-keyalg", "RSA", "-keysize", "2048");
		this.clientStore = this.keys.keyStore("both", first, second);
		this.clientTrust = this.keys.trustStore("client-trust", serverStore);
		SSLContext context = TestKeystores.serverContext(serverStore,
				this.keys.trustStore("server-trust", first, second));
		this.server.useHttps(context.getSocketFactory());
		this.server.requireClientAuth();
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void tokenCallWhenAliasNamesOneOfSeveralKeysThenPresentsItsCertificate() {
		for (String[] settings : new String[][] { { "tls_client_auth", "second", "false" },
				{ "self_signed_tls_client_auth", "first", "false" }, { "tls_client_auth", "second", "true" } }) {
			assertThat(presented(settings[0], settings[1], settings[2])).isEqualTo("CN=" + settings[1]);
		}
	}

	private String presented(String method, String alias, String fapi) {
		String bundle = "spring.ssl.bundle.jks.client.";
		String[] subject = new String[1];
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
					WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withPropertyValues(bundle + "keystore.location=file:" + this.clientStore,
					bundle + "keystore.password=" + TestKeystores.PASSWORD, bundle + "keystore.type=PKCS12",
					bundle + "truststore.location=file:" + this.clientTrust,
					bundle + "truststore.password=" + TestKeystores.PASSWORD, bundle + "truststore.type=PKCS12",
					PREFIX + "grant-type=client_credentials", PREFIX + "client-id=orders-app",
					PREFIX + "token-uri=" + this.server.url("/token"), PREFIX + "client-authentication=" + method,
					PREFIX + "fapi=" + fapi, PREFIX + "client-key.ssl-bundle=client",
					PREFIX + "client-key.alias=" + alias)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				this.server.enqueue(new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":3600}")
					.build());
				context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block(Duration.ofSeconds(20));
				RecordedRequest request = this.server.takeRequest(20, TimeUnit.SECONDS);
				assertThat(request).isNotNull();
				X509Certificate certificate = (X509Certificate) request.getHandshake().peerCertificates().get(0);
				subject[0] = certificate.getSubjectX500Principal().getName();
			});
		return subject[0];
	}

}
