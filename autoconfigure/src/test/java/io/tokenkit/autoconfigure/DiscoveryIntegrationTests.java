package io.tokenkit.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.health.TokenKitHealthContributorAutoConfiguration;
import io.tokenkit.discovery.IssuerMismatchException;
import io.tokenkit.discovery.ServerMetadata;
import io.tokenkit.discovery.ServerMetadataException;
import io.tokenkit.discovery.ServerMetadataRegistry;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.testsupport.MetadataServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A registration's token endpoint found from its {@code issuer-uri}: in the OpenID
 * Connect metadata of Spring Authorization Server started in the test, in the RFC 8414
 * metadata of a loopback server for an issuer with a path; a metadata issuer that differs
 * refused; an application that starts while the metadata endpoint is down and works once
 * it answers; one metadata fetch for concurrent first callers; fetches bounded by the
 * cool-down.
 */
class DiscoveryIntegrationTests {

	private static final Duration BLOCK = Duration.ofSeconds(10);

	private static final String TOKEN_JSON = "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":3600}";

	private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

	private static ConfigurableApplicationContext authorizationServer;

	private static String authorizationServerUrl;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
				TokenKitHealthContributorAutoConfiguration.class));

	private final MetadataServer server = new MetadataServer();

	@BeforeAll
	static void startAuthorizationServer() {
		authorizationServer = new SpringApplicationBuilder(OpenIdAuthorizationServer.class).properties(Map.of(
				"server.port", "0", "spring.main.banner-mode", "off",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-id", "orders-app",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-secret",
				"{noop}orders-secret",
				"spring.security.oauth2.authorizationserver.client.orders.registration.client-authentication-methods",
				"client_secret_basic",
				"spring.security.oauth2.authorizationserver.client.orders.registration.authorization-grant-types",
				"client_credentials", "spring.security.oauth2.authorizationserver.client.orders.registration.scopes",
				"orders.read"))
			.run();
		authorizationServerUrl = "http://localhost" + ":"
				+ ((WebServerApplicationContext) authorizationServer).getWebServer().getPort();
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@BeforeEach
	void answerTokens() {
		this.server.json("/oauth2/token", TOKEN_JSON);
	}

	@AfterEach
	void stopServer() {
		this.server.stop();
	}

	private ApplicationContextRunner registration(String id, String issuer) {
		String prefix = "tokenkit.registrations." + id + ".";
		return this.contextRunner.withPropertyValues(prefix + "grant-type=client_credentials",
				prefix + "issuer-uri=" + issuer, prefix + "client-id=orders-app",
				prefix + "client-secret=orders-secret", prefix + "scopes=orders.read");
	}

	private static AccessToken token(AssertableApplicationContext context, String registration) {
		return context.getBean(TokenManager.class).getToken(TokenKey.of(registration)).block(BLOCK);
	}

	private static Health health(AssertableApplicationContext context, String registration) {
		CompositeHealthContributor tokenkit = context.getBean("tokenkitHealthContributor",
				CompositeHealthContributor.class);
		return ((HealthIndicator) tokenkit.getContributor(registration)).health();
	}

	@Test
	void tokenEndpointWhenIssuerIsSpringAuthorizationServerThenFoundInItsOpenIdMetadata() {
		registration("orders", authorizationServerUrl).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(token(context, "orders").getScopes()).containsExactly("orders.read");
			ServerMetadata metadata = context.getBean(ServerMetadataRegistry.class)
				.forIssuer(authorizationServerUrl)
				.getIfFetched();
			assertThat(metadata.metadataUri()).hasPath(OPENID_CONFIGURATION);
			assertThat(metadata.tokenEndpoint()).hasToString(authorizationServerUrl + "/oauth2/token");
			assertThat(metadata.revocationEndpoint()).hasToString(authorizationServerUrl + "/oauth2/revoke");
			assertThat(health(context, "orders").getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void tokenEndpointWhenOnlyRfc8414MetadataForIssuerWithPathThenFoundThere() throws Exception {
		this.server.start();
		String issuer = this.server.url("/tenants/shop");
		this.server.metadata("/.well-known/oauth-authorization-server/tenants/shop", issuer, "");
		registration("orders", issuer).run((context) -> {
			assertThat(token(context, "orders").getTokenValue()).isEqualTo("at-1");
			assertThat(this.server.count("/tenants/shop" + OPENID_CONFIGURATION)).isEqualTo(1);
			assertThat(this.server.count("/.well-known/oauth-authorization-server/tenants/shop")).isEqualTo(1);
			assertThat(this.server.count("/oauth2/token")).isEqualTo(1);
		});
	}

	@Test
	void tokenEndpointWhenTokenUriSetTooThenTokenUriWinsAndNothingFetched() throws Exception {
		this.server.start();
		registration("orders", this.server.url(""))
			.withPropertyValues("tokenkit.registrations.orders.token-uri=" + this.server.url("/oauth2/token"))
			.run((context) -> {
				assertThat(token(context, "orders").getTokenValue()).isEqualTo("at-1");
				assertThat(this.server.count(OPENID_CONFIGURATION)).isZero();
			});
	}

	@Test
	void tokenCallWhenMetadataNamesAnotherIssuerThenRefusedNamingBoth() throws Exception {
		this.server.start();
		String issuer = this.server.url("/realms/shop");
		String impostor = "https://impostor.example.com/realms/shop";
		this.server.metadata("/realms/shop" + OPENID_CONFIGURATION, impostor, "");
		registration("orders", issuer).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThatExceptionOfType(IssuerMismatchException.class).isThrownBy(() -> token(context, "orders"))
				.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("orders"))
				.withMessageContaining("registration 'orders'")
				.withMessageContaining("names issuer '" + impostor + "', not the configured '" + issuer + "'")
				.withMessageNotContaining("orders-secret");
			assertThat(this.server.count("/oauth2/token")).isZero();
		});
	}

	@Test
	void contextWhenMetadataEndpointDownThenStartsDownFailsTypedAndWorksOnceItAnswers() throws Exception {
		int port = MetadataServer.freePort();
		String issuer = "http://127.0.0.1:" + port;
		registration("orders", issuer)
			.withPropertyValues("tokenkit.discovery.cool-down=200ms", "tokenkit.token-calls.cool-down=50ms",
					"tokenkit.token-calls.cool-down-max=50ms")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Health down = health(context, "orders");
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).containsEntry("metadata", "missing").containsEntry("issuer", issuer);
				await().atMost(BLOCK)
					.untilAsserted(() -> assertThat(health(context, "orders").getDetails())
						.containsEntry("metadataError", "ServerMetadataException"));
				assertThatExceptionOfType(ServerMetadataException.class).isThrownBy(() -> token(context, "orders"))
					.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("orders"))
					.withMessageContaining("registration 'orders'")
					.withMessageContaining(issuer)
					.withMessageContaining("could not be reached");
				this.server.start(port);
				this.server.json(OPENID_CONFIGURATION,
						"{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + issuer + "/oauth2/token\"}");
				await().atMost(BLOCK).ignoreExceptions().until(() -> token(context, "orders") != null);
				assertThat(health(context, "orders").getStatus()).isEqualTo(Status.UP);
				assertThat(this.server.count("/oauth2/token")).isEqualTo(1);
			});
	}

	@Test
	void tokenCallsWhenConcurrentFirstCallersOfOneIssuerThenOneMetadataFetch() throws Exception {
		this.server.start();
		String issuer = this.server.url("");
		this.server.answer(OPENID_CONFIGURATION, new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + this.server.url("/oauth2/token") + "\"}")
			.headersDelay(300, TimeUnit.MILLISECONDS)
			.build());
		List<String> ids = List.of("orders", "billing", "stock", "audit");
		registration("orders", issuer).withPropertyValues(more("billing", issuer))
			.withPropertyValues(more("stock", issuer))
			.withPropertyValues(more("audit", issuer))
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				List<AccessToken> tokens = Flux.fromIterable(ids)
					.flatMap((id) -> manager.getToken(TokenKey.of(id)))
					.collectList()
					.block(BLOCK);
				assertThat(tokens).hasSize(4);
				assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
				assertThat(this.server.count("/oauth2/token")).isEqualTo(4);
			});
	}

	private static String[] more(String id, String issuer) {
		String prefix = "tokenkit.registrations." + id + ".";
		return new String[] { prefix + "grant-type=client_credentials", prefix + "issuer-uri=" + issuer,
				prefix + "client-id=" + id + "-app", prefix + "client-secret=" + id + "-secret" };
	}

	@Test
	void tokenCallsWhenMetadataEndpointFailsThenFetchedAtMostOncePerCoolDown() throws Exception {
		this.server.start();
		String issuer = this.server.url("");
		this.server.answer(OPENID_CONFIGURATION, MetadataServer.json(503, "{}"));
		long coolDownMillis = 300;
		registration("orders", issuer)
			.withPropertyValues("tokenkit.discovery.cool-down=" + coolDownMillis + "ms",
					"tokenkit.token-calls.cool-down=10ms", "tokenkit.token-calls.cool-down-max=10ms")
			.run((context) -> {
				AtomicInteger calls = new AtomicInteger();
				long start = System.nanoTime();
				await().atMost(BLOCK).pollInterval(Duration.ofMillis(5)).until(() -> {
					calls.incrementAndGet();
					context.getBean(TokenManager.class)
						.getToken(TokenKey.of("orders"))
						.onErrorResume((ex) -> Mono.empty())
						.block(BLOCK);
					return this.server.count(OPENID_CONFIGURATION) >= 3;
				});
				long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
				// the third fetch waited two cool-downs, however many token calls came
				// meanwhile
				assertThat(elapsedMillis).isGreaterThanOrEqualTo(2 * coolDownMillis);
				assertThat(calls.get()).isGreaterThan(3);
				assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(3);
				assertThat(this.server.count("/oauth2/token")).isZero();
			});
	}

	@Test
	void startUpWhenIssuerUriWrongThenFailureNamesIt() {
		assertFailure(registration("orders", "https://auth.example.com/realms/shop?tenant=a"),
				"tokenkit.registrations.orders.issuer-uri", "not an absolute http or https URL without query");
		assertFailure(registration("orders", "http://auth.example.com/realms/shop"),
				"tokenkit.registrations.orders.issuer-uri", "plain http to 'auth.example.com'");
		assertFailure(registration("orders", "https://auth.example.com")
			.withPropertyValues("tokenkit.discovery.cool-down=0s"), "tokenkit.discovery.cool-down", "must be positive");
	}

	private static void assertFailure(ApplicationContextRunner runner, String property, String reason) {
		runner.run((context) -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			while (!(failure instanceof InvalidTokenKitPropertyException) && failure.getCause() != null) {
				failure = failure.getCause();
			}
			assertThat(failure).isInstanceOf(InvalidTokenKitPropertyException.class)
				.hasMessageContaining(reason)
				.extracting((ex) -> ((InvalidTokenKitPropertyException) ex).getProperty())
				.isEqualTo(property);
		});
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class OpenIdAuthorizationServer {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
			http.oauth2AuthorizationServer((server) -> server.oidc(Customizer.withDefaults()))
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

	}

}
