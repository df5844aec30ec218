package io.tokenkit.autoconfigure;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.authlete.AuthleteAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.util.StringUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link TransportSecurity}: https or loopback for token endpoints and vendor
 * APIs, one warning for a {@code tokenkit.clients} base URL over plain http.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransportSecurityTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, SaasusAutoConfiguration.class,
				GmoAozoraAutoConfiguration.class, AuthleteAutoConfiguration.class, TokenKitAutoConfiguration.class));

	@ParameterizedTest
	@ValueSource(strings = { "localhost", "LOCALHOST", "127.0.0.1", "127.0.0.2", "127.255.255.254", "::1", "[::1]",
			"[0:0:0:0:0:0:0:1]" })
	void isLoopbackWhenLoopbackLiteralThenTrue(String host) {
		assertThat(TransportSecurity.isLoopback(host)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "localhost.evil.com", "evil-localhost", "127.0.0.1.evil.com", "10.0.0.1", "128.0.0.1",
			"127.1", "1270.0.0.1", "127.0.0.256", "[::2]", "::", "[::1", "example.com", "" })
	void isLoopbackWhenAnyOtherHostThenFalse(String host) {
		assertThat(TransportSecurity.isLoopback(host)).isFalse();
	}

	@Test
	void isInsecureWhenHttpsThenFalseWhenHttpToRemoteHostThenTrue() {
		assertThat(TransportSecurity.isInsecure(URI.create("https://10.0.0.1/token"))).isFalse();
		assertThat(TransportSecurity.isInsecure(URI.create("HTTP://10.0.0.1/token"))).isTrue();
		assertThat(TransportSecurity.isInsecure(URI.create("http://[::1]:8080/token"))).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost:8080/token", "http://127.0.0.2:8080/token", "http://[::1]:8080/token",
			"https://auth.example.com/token" })
	void tokenUriWhenHttpsOrLoopbackThenStarts(String tokenUri) {
		this.contextRunner.withPropertyValues(registration(tokenUri))
			.run(TransportSecurityTests::assertOrdersRegistered);
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "http://10.0.0.1/token", "http://localhost.evil.com/token", "http://auth.example.com/token" })
	void tokenUriWhenPlainHttpToAnotherHostThenFailureNamesPropertyAndFix(String tokenUri) {
		this.contextRunner.withPropertyValues(registration(tokenUri)).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.token-uri", "plain http")
				.doesNotContain("sweep-secret");
			assertThat(analysis.getAction()).contains("https", "tokenkit.allow-insecure-http=true");
		});
	}

	@Test
	void tokenUriWhenPlainHttpAndInsecureHttpAllowedThenStarts() {
		this.contextRunner.withPropertyValues(registration("http://10.0.0.1/token"))
			.withPropertyValues("tokenkit.allow-insecure-http=true")
			.run(TransportSecurityTests::assertOrdersRegistered);
	}

	@Test
	void saasusBaseUrlWhenPlainHttpToAnotherHostThenFailure() {
		this.contextRunner.withPropertyValues(saasus("http://10.0.0.1/v1/auth"))
			.run((context) -> assertThat(analyze(context).getDescription()).contains("tokenkit.saasus.base-url"));
	}

	@Test
	void saasusBaseUrlWhenLoopbackOrAllowedThenStarts() {
		this.contextRunner.withPropertyValues(saasus("http://127.0.0.1:9000/v1/auth"))
			.run((context) -> assertThat(context.getBean(SaasusClient.class).getBaseUrl())
				.hasToString("http://127.0.0.1:9000/v1/auth"));
		this.contextRunner.withPropertyValues(saasus("http://10.0.0.1/v1/auth"))
			.withPropertyValues("tokenkit.allow-insecure-http=true")
			.run((context) -> assertThat(context.getBean(SaasusClient.class).getBaseUrl())
				.hasToString("http://10.0.0.1/v1/auth"));
	}

	@Test
	void gmoAozoraBaseUrlWhenPlainHttpToAnotherHostThenFailure() {
		this.contextRunner.withPropertyValues(gmoAozora("http://localhost.evil.com/ganb/api/auth/v1"))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.gmo-aozora.base-url")
					.doesNotContain("sweep-secret");
				assertThat(analysis.getAction()).contains("tokenkit.allow-insecure-http");
			});
	}

	@Test
	void gmoAozoraBaseUrlWhenLoopbackOrAllowedThenStarts() {
		this.contextRunner.withPropertyValues(gmoAozora("http://[::1]:9000/ganb/api/auth/v1"))
			.run((context) -> assertThat(
					context.getBean(GmoAozoraClient.class).authorizationUri("session-1", List.of("private:account")))
				.asString()
				.startsWith("http://[::1]:9000/ganb/api/auth/v1/authorization?"));
		this.contextRunner.withPropertyValues(gmoAozora("http://10.0.0.1/ganb/api/auth/v1"))
			.withPropertyValues("tokenkit.allow-insecure-http=true")
			.run((context) -> assertThat(
					context.getBean(GmoAozoraClient.class).authorizationUri("session-1", List.of("private:account")))
				.asString()
				.startsWith("http://10.0.0.1/ganb/api/auth/v1/authorization?"));
	}

	@Test
	void authleteBaseUrlWhenPlainHttpToAnotherHostThenFailure() {
		this.contextRunner.withPropertyValues(authlete("http://us.authlete.com"))
			.run((context) -> assertThat(analyze(context).getDescription()).contains("tokenkit.authlete.base-url")
				.doesNotContain("sweep-secret"));
	}

	@Test
	void authleteBaseUrlWhenLoopbackOrAllowedThenStarts() {
		this.contextRunner.withPropertyValues(authlete("http://localhost:9000/authlete"))
			.run((context) -> assertThat(context.getBean(AuthleteClient.class).getBaseUrl())
				.hasToString("http://localhost:9000/authlete"));
		this.contextRunner.withPropertyValues(authlete("http://10.0.0.1"))
			.withPropertyValues("tokenkit.allow-insecure-http=true")
			.run((context) -> assertThat(context.getBean(AuthleteClient.class).getBaseUrl())
				.hasToString("http://10.0.0.1"));
	}

	@Test
	void clientBaseUrlWhenPlainHttpToAnotherHostThenOneWarningWithoutQuery(CapturedOutput output) {
		this.contextRunner.withPropertyValues(client("http://api.example.com/v1?key=sweep-secret-query"))
			.run((context) -> assertThat(context).hasNotFailed().hasBean("ordersWebClient"));
		String warning = "TokenKit client 'orders' (tokenkit.clients.orders.base-url) calls http://api.example.com";
		assertThat(StringUtils.countOccurrencesOf(output.getAll(), warning)).isOne();
		assertThat(output.getAll()).doesNotContain("sweep-secret-query");
	}

	@ParameterizedTest
	@ValueSource(strings = { "https://api.example.com/v1", "http://localhost:8080/v1", "http://127.0.0.2/v1" })
	void clientBaseUrlWhenHttpsOrLoopbackThenNoWarning(String baseUrl, CapturedOutput output) {
		this.contextRunner.withPropertyValues(client(baseUrl))
			.run((context) -> assertThat(context).hasBean("ordersWebClient"));
		assertThat(output.getAll()).doesNotContain("TokenKit client 'orders'");
	}

	private static String[] registration(String tokenUri) {
		return new String[] { "tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=" + tokenUri,
				"tokenkit.registrations.orders.client-id=orders-app",
				"tokenkit.registrations.orders.client-secret=sweep-secret-client" };
	}

	private static String[] saasus(String baseUrl) {
		return new String[] { "tokenkit.saasus.base-url=" + baseUrl, "tokenkit.saasus.saas-id=saas-1",
				"tokenkit.saasus.api-key=ak-1", "tokenkit.saasus.secret-key=sweep-secret-key" };
	}

	private static String[] gmoAozora(String baseUrl) {
		return new String[] { "tokenkit.gmo-aozora.base-url=" + baseUrl, "tokenkit.gmo-aozora.client-id=aozora-app",
				"tokenkit.gmo-aozora.client-secret=sweep-secret-aozora",
				"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
				"tokenkit.gmo-aozora.state-salt=sweep-secret-salt" };
	}

	private static String[] authlete(String baseUrl) {
		return new String[] { "tokenkit.authlete.base-url=" + baseUrl, "tokenkit.authlete.service-id=715948317",
				"tokenkit.authlete.access-token=sweep-secret-service-token" };
	}

	private static String[] client(String baseUrl) {
		return new String[] { "tokenkit.registrations.orders.grant-type=static",
				"tokenkit.registrations.orders.token=sweep-secret-static",
				"tokenkit.clients.orders.base-url=" + baseUrl, "tokenkit.clients.orders.registration=orders" };
	}

	private static void assertOrdersRegistered(AssertableApplicationContext context) {
		assertThat(context).hasSingleBean(TokenManager.class);
		assertThat(context.getBean(TokenManager.class).getRegistrations().get("orders").source())
			.isInstanceOf(ClientCredentialsTokenSource.class);
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
