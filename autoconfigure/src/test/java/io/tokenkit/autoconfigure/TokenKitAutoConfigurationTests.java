package io.tokenkit.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.observation.MicrometerTokenEventListener;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenCoolDownException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenKitAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class));

	@Test
	void autoConfigurationWhenNoRegistrationsThenCoreBeansOnly() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(TokenManager.class)
				.hasSingleBean(TokenStore.class)
				.hasSingleBean(BearerTokenFilters.class)
				.doesNotHaveBean(WebClient.class);
			assertThat(context.getBean(TokenManager.class).getRegistrations()).isEmpty();
			assertThat(context.getBean(TokenRequestObserver.class)).isSameAs(TokenRequestObserver.NOOP);
		});
	}

	@Test
	void autoConfigurationWhenRegistrationsThenOneSourcePerGrantType() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=https://auth.example.com/oauth2/token",
				"tokenkit.registrations.orders.client-id=orders-app",
				"tokenkit.registrations.orders.client-secret=s3cret", "tokenkit.registrations.orders.refresh-skew=10s",
				"tokenkit.registrations.users.grant-type=refresh_token",
				"tokenkit.registrations.users.token-uri=https://auth.example.com/oauth2/token",
				"tokenkit.registrations.users.client-id=users-app", "tokenkit.registrations.users.client-secret=s3cret",
				"tokenkit.registrations.users.client-authentication=post",
				"tokenkit.registrations.authlete.grant-type=static", "tokenkit.registrations.authlete.token=abc")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				var registrations = context.getBean(TokenManager.class).getRegistrations();
				assertThat(registrations).containsOnlyKeys("orders", "users", "authlete");
				assertThat(registrations.get("orders").source()).isInstanceOf(ClientCredentialsTokenSource.class);
				assertThat(registrations.get("orders").refreshSkew()).isEqualTo(Duration.ofSeconds(10));
				assertThat(registrations.get("users").source()).isInstanceOf(RefreshTokenTokenSource.class);
				assertThat(registrations.get("authlete").source()).isInstanceOf(StaticTokenSource.class);
			});
	}

	@Test
	void autoConfigurationWhenClientsThenQualifiedWebClientCarryingTheFilter() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().body("ok").build());
			this.contextRunner
				.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
						"tokenkit.registrations.orders.token=static-token",
						"tokenkit.registrations.orders.header-name=x-access-token",
						"tokenkit.registrations.orders.header-format={token}",
						"tokenkit.clients.orders.base-url=" + server.url("/api"),
						"tokenkit.clients.orders.registration=orders")
				.withUserConfiguration(InjectsQualifiedClient.class)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasBean("ordersWebClient");
					WebClient client = context.getBean(InjectsQualifiedClient.class).client;
					assertThat(client.get().uri("/items").retrieve().bodyToMono(String.class).block()).isEqualTo("ok");
					var request = server.takeRequest();
					assertThat(request.getTarget()).isEqualTo("/api/items");
					assertThat(request.getHeaders().get("x-access-token")).isEqualTo("static-token");
				});
		}
	}

	@Test
	void autoConfigurationWhenUserDefinesBeansThenTheirsWin() {
		this.contextRunner.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).getBean(TokenStore.class).isSameAs(context.getBean(UserBeans.class).store);
			assertThat(context).getBean(TokenManager.class).isSameAs(context.getBean(UserBeans.class).manager);
		});
	}

	@Test
	void autoConfigurationWhenUserDefinesWebClientWithSameNameThenTheirsWins() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=t", "tokenkit.clients.orders.base-url=https://example.com",
					"tokenkit.clients.orders.registration=orders")
			.withUserConfiguration(UserWebClient.class)
			.run((context) -> assertThat(context.getBean("ordersWebClient")).isSameAs(UserWebClient.CLIENT));
	}

	@Test
	void autoConfigurationWhenApplicationFactoryServesACustomGrantTypeThenItCreatesTheSource() {
		TokenSource custom = (key) -> Mono.empty();
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.partner.grant-type=MY-EXCHANGE",
					"tokenkit.registrations.partner.client-id=partner-app")
			.withBean("myExchangeFactory", RegistrationTokenSourceFactory.class,
					() -> RegistrationTokenSourceFactory.of("my_exchange", (registration) -> {
						assertThat(registration.getId()).isEqualTo("partner");
						assertThat(registration.getClientId()).isEqualTo("partner-app");
						assertThat(registration.property("client-id"))
							.isEqualTo("tokenkit.registrations.partner.client-id");
						return custom;
					}))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TokenManager.class).getRegistrations().get("partner").source())
					.isSameAs(custom);
			});
	}

	@Test
	void autoConfigurationWhenApplicationFactoryServesABuiltInGrantTypeThenItWins() {
		TokenSource custom = (key) -> Mono.empty();
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials")
			.withBean("myFactory", RegistrationTokenSourceFactory.class,
					() -> RegistrationTokenSourceFactory.of("client-credentials", (registration) -> custom))
			.run((context) -> assertThat(context.getBean(TokenManager.class).getRegistrations().get("orders").source())
				.isSameAs(custom));
	}

	@Test
	void autoConfigurationWhenGrantTypeSpelledAsTheEnumAllowedThenBuiltInGrantServesIt() {
		for (String spelling : new String[] { "client_credentials", "client-credentials", "CLIENT_CREDENTIALS",
				"Client-Credentials" }) {
			this.contextRunner
				.withPropertyValues("tokenkit.registrations.orders.grant-type=" + spelling,
						"tokenkit.registrations.orders.token-uri=https://auth.example.com/oauth2/token",
						"tokenkit.registrations.orders.client-id=orders-app",
						"tokenkit.registrations.orders.client-secret=s3cret",
						"tokenkit.registrations.token.grant-type=STATIC", "tokenkit.registrations.token.token=t",
						"tokenkit.registrations.users.grant-type=refresh-token",
						"tokenkit.registrations.users.token-uri=https://auth.example.com/oauth2/token",
						"tokenkit.registrations.users.client-id=users-app",
						"tokenkit.registrations.users.client-secret=s3cret")
				.run((context) -> {
					var registrations = context.getBean(TokenManager.class).getRegistrations();
					assertThat(registrations.get("orders").source()).as(spelling)
						.isInstanceOf(ClientCredentialsTokenSource.class);
					assertThat(registrations.get("token").source()).isInstanceOf(StaticTokenSource.class);
					assertThat(registrations.get("users").source()).isInstanceOf(RefreshTokenTokenSource.class);
				});
		}
	}

	@Test
	void failureWhenNoFactoryServesTheGrantTypeThenAnalysisNamesPropertyAndListsServedGrantTypes() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.partner.grant-type=saml2-bearer")
			.withBean("myExchangeFactory", RegistrationTokenSourceFactory.class,
					() -> RegistrationTokenSourceFactory.of("my-exchange", (registration) -> (key) -> Mono.empty()))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'tokenkit.registrations.partner.grant-type'")
					.contains("'saml2-bearer'")
					.contains("my-exchange, ")
					.contains("urn:ietf:params:oauth:grant-type:token-exchange, token-exchange, "
							+ "urn:ietf:params:oauth:grant-type:jwt-bearer, jwt-bearer")
					.contains("client_credentials, refresh_token, static");
				assertThat(analysis.getAction()).contains("RegistrationTokenSourceFactory");
			});
	}

	@Test
	void autoConfigurationWhenMicrometerPresentThenObservationsAndMeters() {
		this.contextRunner
			.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
					CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=t")
			.run((context) -> {
				assertThat(context).hasSingleBean(MicrometerTokenEventListener.class);
				assertThat(context.getBean(TokenRequestObserver.class)).isNotSameAs(TokenRequestObserver.NOOP);
				TokenManager manager = context.getBean(TokenManager.class);
				manager.getToken(TokenKey.of("orders")).block();
				manager.getToken(TokenKey.of("orders")).block();
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				assertThat(meters.get("tokenkit.token.cache")
					.tag("registration", "orders")
					.tag("result", "hit")
					.counter()
					.count()).isEqualTo(1);
				assertThat(meters.get("tokenkit.token.cache").tag("result", "miss").counter().count()).isEqualTo(1);
			});
	}

	@Test
	void autoConfigurationWhenListenerBeanThrowsThenManagerAndFiltersGoOn() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=t")
			.withBean("throwingListener", TokenEventListener.class, ThrowingListener::new)
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				assertThat(manager.getToken(TokenKey.of("orders")).block().getTokenValue()).isEqualTo("t");
				assertThat(manager.getToken(TokenKey.of("orders")).block().getTokenValue()).isEqualTo("t");
				assertThat(context.getBean(BearerTokenFilters.class).filter("orders")).isNotNull();
			});
	}

	@Test
	void tokenCallWhenObservationRegistryPresentThenBootsHttpClientObservationCoversItToo() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
				.body("{\"access_token\":\"at\",\"expires_in\":60}")
				.build());
			TestObservationRegistry registry = TestObservationRegistry.create();
			this.contextRunner
				.withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
						WebClientObservationAutoConfiguration.class))
				.withBean(ObservationRegistry.class, () -> registry)
				.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
						"tokenkit.registrations.orders.token-uri=" + server.url("/token"),
						"tokenkit.registrations.orders.client-id=a", "tokenkit.registrations.orders.client-secret=b")
				.run((context) -> {
					context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block();
					TestObservationRegistryAssert.assertThat(registry)
						.hasObservationWithNameEqualTo("tokenkit.token.requests")
						.that()
						.hasLowCardinalityKeyValue("operation", "acquire");
					TestObservationRegistryAssert.assertThat(registry)
						.hasObservationWithNameEqualTo("http.client.requests")
						.that()
						.hasLowCardinalityKeyValue("method", "POST");
				});
		}
	}

	@Test
	void autoConfigurationWhenObservationsDisabledThenNoop() {
		this.contextRunner.withBean(ObservationRegistry.class, TestObservationRegistry::create)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("tokenkit.observations.enabled=false")
			.run((context) -> {
				assertThat(context.getBean(TokenRequestObserver.class)).isSameAs(TokenRequestObserver.NOOP);
				assertThat(context).doesNotHaveBean(MicrometerTokenEventListener.class);
			});
	}

	@Test
	void autoConfigurationWhenMicrometerCoreAbsentThenNoMeterListener() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerTokenEventListener.class));
	}

	@Test
	void failureWhenTokenUriMissingThenAnalysisNamesPropertyWithoutSecret() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.client-id=orders-app",
					"tokenkit.registrations.orders.client-secret=very-secret")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.token-uri")
					.doesNotContain("very-secret");
				assertThat(analysis.getAction()).contains("Set tokenkit.registrations.orders.token-uri");
			});
	}

	@Test
	void failureWhenClientSecretMissingThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.orders.client-id=orders-app")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.registrations.orders.client-secret"));
	}

	@Test
	void failureWhenTokenUriNotAbsoluteThenAnalysisShowsValue() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=/oauth2/token",
					"tokenkit.registrations.orders.client-id=a", "tokenkit.registrations.orders.client-secret=b")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("token-uri")
				.contains("'/oauth2/token'")
				.contains("absolute"));
	}

	@Test
	void failureWhenGrantTypeMissingThenAnalysisListsChoices() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.client-id=a").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.grant-type");
			assertThat(analysis.getAction()).contains("client_credentials");
		});
	}

	@Test
	void failureWhenVendorGrantTypeWithoutVendorThenSaysWhatToConfigure() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.bank.grant-type=gmo-aozora")
			.run((context) -> assertThat(analyze(context).getAction()).contains("configured (tokenkit.<vendor>.*)"));
	}

	@Test
	void failureWhenCoolDownNegativeThenAnalysisNamesPropertyAndFix() {
		this.contextRunner.withPropertyValues("tokenkit.token-calls.cool-down=-1s").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'tokenkit.token-calls.cool-down'").contains("positive");
			assertThat(analysis.getAction()).contains("positive duration");
		});
	}

	@Test
	void failureWhenCoolDownMaxShorterThanCoolDownThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.token-calls.cool-down=10s", "tokenkit.token-calls.cool-down-max=5s")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'tokenkit.token-calls.cool-down-max'"));
	}

	@Test
	void failureWhenAcquireTimeoutZeroThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.acquire-timeout=0s")
			.run((context) -> assertThat(analyze(context).getDescription()).contains("'tokenkit.acquire-timeout'"));
	}

	@Test
	void failureWhenMaxRetriesNegativeThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.token-calls.max-retries=-1").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("'tokenkit.token-calls.max-retries'", "negative");
			assertThat(analysis.getAction()).contains("0 for no retries");
		});
	}

	@Test
	void failureWhenTimeoutsNotPositiveThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.token-calls.response-timeout=0s")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'tokenkit.token-calls.response-timeout'", "positive"));
		this.contextRunner.withPropertyValues("tokenkit.token-calls.connect-timeout=-1s")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'tokenkit.token-calls.connect-timeout'", "positive"));
		this.contextRunner.withPropertyValues("tokenkit.token-calls.retry-backoff=0ms")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("'tokenkit.token-calls.retry-backoff'"));
	}

	@Test
	void autoConfigurationWhenResponseTimeoutSetThenTokenCallToSilentServerEndsInTime() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			// nothing enqueued: the server reads the request and never answers
			server.start();
			this.contextRunner.withConfiguration(AutoConfigurations
				.of(org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration.class))
				.withPropertyValues("tokenkit.token-calls.response-timeout=200ms",
						"tokenkit.token-calls.connect-timeout=5s", "tokenkit.token-calls.max-retries=0",
						"tokenkit.registrations.orders.grant-type=client_credentials",
						"tokenkit.registrations.orders.token-uri=" + server.url("/oauth2/token"),
						"tokenkit.registrations.orders.client-id=orders-app",
						"tokenkit.registrations.orders.client-secret=s3cret")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					TokenManager manager = context.getBean(TokenManager.class);
					long start = System.nanoTime();
					// the attempt's own limit is connect + response timeout, 5.2s: ending
					// well before shows the connector's response timeout at work
					assertThatException().isThrownBy(() -> manager.getToken(TokenKey.of("orders")).block())
						.satisfies((ex) -> assertThat(ex).hasStackTraceContaining("timed out"));
					assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
					assertThat(server.getRequestCount()).isEqualTo(1);
				});
		}
	}

	@Test
	void autoConfigurationWhenCoolDownSetThenTheManagerRestsThatLong() {
		Instant now = Instant.parse("2026-11-23T10:00:00Z");
		this.contextRunner
			.withPropertyValues("tokenkit.token-calls.cool-down=3s", "tokenkit.token-calls.cool-down-max=7s",
					"tokenkit.registrations.orders.grant-type=failing")
			.withBean(Clock.class, () -> Clock.fixed(now, ZoneOffset.UTC))
			.withBean("failing", RegistrationTokenSourceFactory.class,
					() -> RegistrationTokenSourceFactory.of("failing",
							(registration) -> (key) -> Mono.error(new IllegalStateException("down"))))
			.run((context) -> {
				TokenManager manager = context.getBean(TokenManager.class);
				TokenKey key = TokenKey.of("orders");
				assertThatException().isThrownBy(() -> manager.getToken(key).block());
				assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> manager.getToken(key).block())
					.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(now.plusSeconds(3)));
			});
	}

	@Test
	void failureWhenStaticTokenMissingThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.grant-type=static")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.registrations.orders.token"));
	}

	@Test
	void failureWhenClientNamesUnknownRegistrationThenAnalysisListsKnownOnes() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=t", "tokenkit.clients.orders.base-url=https://example.com",
					"tokenkit.clients.orders.registration=order")
			.withUserConfiguration(InjectsQualifiedClient.class)
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.clients.orders.registration")
				.contains("[orders]"));
	}

	@Test
	void failureWhenHeaderFormatLacksPlaceholderThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=t",
					"tokenkit.registrations.orders.header-format=Bearer eyJpasted-by-mistake")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.registrations.orders.header-format")
				.contains("{token} exactly once")
				.doesNotContain("eyJpasted-by-mistake"));
	}

	@Test
	void autoConfigurationWhenStoreMaxEntriesThenBoundedInMemoryStore() {
		this.contextRunner.withPropertyValues("tokenkit.store.max-entries=100").run((context) -> {
			assertThat(context).hasNotFailed().getBean(TokenStore.class).isInstanceOf(InMemoryTokenStore.class);
			assertThat(((InMemoryTokenStore) context.getBean(TokenStore.class)).getMaxEntries()).isEqualTo(100);
		});
	}

	@Test
	void autoConfigurationWhenStoreMaxEntriesUnsetThenUnboundedInMemoryStore() {
		this.contextRunner
			.run((context) -> assertThat(((InMemoryTokenStore) context.getBean(TokenStore.class)).getMaxEntries())
				.isNull());
	}

	@Test
	void failureWhenStoreMaxEntriesNotPositiveThenAnalysisNamesProperty() {
		for (String value : new String[] { "0", "-5" }) {
			this.contextRunner.withPropertyValues("tokenkit.store.max-entries=" + value).run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("'tokenkit.store.max-entries'")
					.contains("'" + value + "'")
					.contains("positive");
				assertThat(analysis.getAction()).contains("remove it for no limit");
			});
		}
	}

	@Test
	void failureWhenStoreTypeRedisWithoutSpringDataRedisThenAnalysisSaysWhatToAdd() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.withConfiguration(AutoConfigurations.of(TokenKitRedisAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader("org.springframework.data.redis"))
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("spring-boot-starter-data-redis-reactive"));
	}

	@Test
	void failureWhenNoWebClientBuilderThenAnalysisSaysWhatToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TokenKitAutoConfiguration.class))
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.orders.client-id=a", "tokenkit.registrations.orders.client-secret=b")
			.run((context) -> assertThat(analyze(context).getAction()).contains("spring-boot-starter-webclient"));
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class InjectsQualifiedClient {

		final WebClient client;

		InjectsQualifiedClient(@Qualifier("orders") WebClient client) {
			this.client = client;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		final TokenStore store = new InMemoryTokenStore();

		final TokenManager manager = new TokenManager(
				java.util.List.of(TokenRegistration.of("mine", (key) -> Mono.just(AccessToken.withValue("v").build()))),
				this.store);

		@Bean
		TokenStore myStore() {
			return this.store;
		}

		@Bean
		TokenManager myManager() {
			return this.manager;
		}

	}

	static final class ThrowingListener implements TokenEventListener {

		@Override
		public void cacheHit(String registrationId) {
			throw new IllegalStateException("cache hit");
		}

		@Override
		public void cacheMiss(String registrationId) {
			throw new IllegalStateException("cache miss");
		}

		@Override
		public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
			throw new IllegalStateException("acquired");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserWebClient {

		static final WebClient CLIENT = WebClient.create();

		@Bean
		WebClient ordersWebClient() {
			return CLIENT;
		}

	}

}
