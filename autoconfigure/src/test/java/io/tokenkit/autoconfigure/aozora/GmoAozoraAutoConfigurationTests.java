package io.tokenkit.autoconfigure.aozora;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.aozora.BlockingGmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraIdTokenVerifier;
import io.tokenkit.aozora.GmoAozoraTokenClient;
import io.tokenkit.aozora.GmoAozoraTokenSource;
import io.tokenkit.aozora.InMemoryNonceStore;
import io.tokenkit.aozora.NimbusGmoAozoraIdTokenVerifier;
import io.tokenkit.aozora.NonceStore;
import io.tokenkit.aozora.OneTimeValueNonceStore;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitFailureAnalyzer;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryOneTimeValueStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class GmoAozoraAutoConfigurationTests {

	private static final String SECRET = "aozora-secret-0123456789abcdefghij";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
					GmoAozoraAutoConfiguration.class, TokenKitAutoConfiguration.class));

	private final ApplicationContextRunner configured = this.contextRunner.withPropertyValues(
			"tokenkit.gmo-aozora.client-id=aozora-app", "tokenkit.gmo-aozora.client-secret=" + SECRET,
			"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
			"tokenkit.gmo-aozora.state-salt=pepper-salt", "tokenkit.gmo-aozora.scopes=private:account,offline_access");

	@Test
	void autoConfigurationWhenClientIdNotSetThenNoGmoAozoraBeans() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(GmoAozoraClient.class)
			.doesNotHaveBean(BlockingGmoAozoraClient.class)
			.doesNotHaveBean(GmoAozoraTokenClient.class)
			.doesNotHaveBean(NonceStore.class)
			.doesNotHaveBean(GmoAozoraIdTokenVerifier.class)
			.doesNotHaveBean("gmoAozoraRegistrationTokenSourceFactory"));
	}

	@Test
	void autoConfigurationWhenClientIdIsAnEmptyPlaceholderThenNoGmoAozoraBeans() {
		this.contextRunner
			.withPropertyValues("tokenkit.gmo-aozora.client-id=", "tokenkit.gmo-aozora.client-secret=" + SECRET,
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(GmoAozoraClient.class)
				.doesNotHaveBean(GmoAozoraTokenClient.class)
				.doesNotHaveBean(NonceStore.class)
				.doesNotHaveBean(GmoAozoraProperties.class)
				.doesNotHaveBean("gmoAozoraRegistrationTokenSourceFactory"));
	}

	@Test
	void autoConfigurationWhenConfiguredThenClientBeanIsNamedGmoAozoraClient() {
		this.configured.run((context) -> assertThat(context).hasBean("gmoAozoraClient"));
	}

	@Test
	void autoConfigurationWhenConfiguredThenClientNonceStoreAndVerifier() {
		this.configured.run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(GmoAozoraClient.class)
				.hasSingleBean(GmoAozoraTokenClient.class)
				.hasBean("gmoAozoraRegistrationTokenSourceFactory");
			assertThat(context).getBean(NonceStore.class).isInstanceOf(InMemoryNonceStore.class);
			assertThat(context).getBean(GmoAozoraIdTokenVerifier.class)
				.isInstanceOf(NimbusGmoAozoraIdTokenVerifier.class);
			GmoAozoraTokenClient tokenClient = context.getBean(GmoAozoraTokenClient.class);
			assertThat(tokenClient.getTokenUri())
				.isEqualTo(URI.create("https://api.gmo-aozora.com/ganb/api/auth/v1/token"));
			URI authorization = context.getBean(GmoAozoraClient.class).authorizationUri("session-42");
			assertThat(authorization.toString())
				.startsWith(
						"https://api.gmo-aozora.com/ganb/api/auth/v1/authorization?client_id=aozora-app&redirect_uri=")
				.contains("&scope=private%3Aaccount%20offline_access&")
				.endsWith("&state=2b833a73ff2df17e16eebf9e98a6075989aa51a7fe4c67437d79004691aade46");
			assertThat(context.getBean(NimbusGmoAozoraIdTokenVerifier.class).toString())
				.contains("issuer=https://api.gmo-aozora.com/,")
				.doesNotContain(SECRET);
		});
	}

	@Test
	void autoConfigurationWhenStagingBaseUrlWithTrailingSlashThenEndpointsAndIssuerFollowIt() {
		this.configured
			.withPropertyValues("tokenkit.gmo-aozora.base-url=https://stg-api.gmo-aozora.com/ganb/api/auth/v1/")
			.run((context) -> {
				assertThat(context.getBean(GmoAozoraTokenClient.class).getTokenUri())
					.isEqualTo(URI.create("https://stg-api.gmo-aozora.com/ganb/api/auth/v1/token"));
				assertThat(context.getBean(GmoAozoraClient.class).authorizationUri("s").toString())
					.startsWith("https://stg-api.gmo-aozora.com/ganb/api/auth/v1/authorization?");
				assertThat(context.getBean(NimbusGmoAozoraIdTokenVerifier.class).toString())
					.contains("issuer=https://stg-api.gmo-aozora.com/,");
			});
	}

	@Test
	void autoConfigurationWhenIssuerSetThenUsedAsIs() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.issuer=https://api.gmo-aozora.com")
			.run((context) -> assertThat(context.getBean(NimbusGmoAozoraIdTokenVerifier.class).toString())
				.contains("issuer=https://api.gmo-aozora.com,"));
	}

	@Test
	void autoConfigurationWhenNimbusMissingThenNoVerifierAndOpenIdFailsClearly() {
		this.configured.withClassLoader(new FilteredClassLoader("com.nimbusds")).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(GmoAozoraClient.class)
				.doesNotHaveBean(GmoAozoraIdTokenVerifier.class);
			GmoAozoraClient client = context.getBean(GmoAozoraClient.class);
			assertThat(client.authorizationUri("session-42")).isNotNull();
			assertThatIllegalStateException().isThrownBy(() -> client.openIdAuthorizationUri("session-42").block())
				.withMessageContaining("com.nimbusds:nimbus-jose-jwt");
		});
	}

	@Test
	void autoConfigurationWhenUserBeansThenUserBeansWin() {
		this.configured.withUserConfiguration(UserBeans.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(NonceStore.class)).isSameAs(UserBeans.NONCE_STORE);
			assertThat(context.getBean(GmoAozoraIdTokenVerifier.class)).isSameAs(UserBeans.VERIFIER);
			assertThat(context.getBean(GmoAozoraTokenClient.class)).isSameAs(UserBeans.TOKEN_CLIENT);
			assertThat(context.getBean(GmoAozoraClient.class).getTokenClient()).isSameAs(UserBeans.TOKEN_CLIENT);
		});
	}

	@Test
	void nonceStoreWhenAOneTimeValueStoreBeanThenNoncesGoThroughItUnderTheirNamespace() {
		this.configured.withUserConfiguration(UserOneTimeValues.class)
			.withPropertyValues("tokenkit.gmo-aozora.nonce-time-to-live=3m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				NonceStore nonces = context.getBean(NonceStore.class);
				assertThat(nonces).isInstanceOf(OneTimeValueNonceStore.class);
				nonces.save("n-1").block();
				InMemoryOneTimeValueStore values = context.getBean(InMemoryOneTimeValueStore.class);
				assertThat(values.size()).isOne();
				assertThat(values.consume("other-namespace", "n-1").block()).isFalse();
				assertThat(nonces.consume("n-1").block()).isTrue();
				assertThat(nonces.consume("n-1").block()).isFalse();
				nonces.save("n-2").block();
				context.getBean(MutableClock.class).advance(Duration.ofMinutes(3));
				assertThat(nonces.consume("n-2").block()).as("expired after nonce-time-to-live").isFalse();
			});
	}

	@Test
	void nonceStoreWhenUserNonceStoreAndAOneTimeValueStoreBeanThenUserNonceStoreWins() {
		this.configured.withUserConfiguration(UserOneTimeValues.class, UserBeans.class)
			.run((context) -> assertThat(context.getBean(NonceStore.class)).isSameAs(UserBeans.NONCE_STORE));
	}

	@Test
	void autoConfigurationWhenUserClientThenItWins() {
		this.configured.withUserConfiguration(UserClient.class)
			.run((context) -> assertThat(context.getBean(GmoAozoraClient.class)).isSameAs(UserClient.CLIENT));
	}

	@Test
	void blockingClientWhenConfiguredThenFrontsTheClientWithTheDefaultTimeLimit() {
		this.configured.run((context) -> {
			assertThat(context).hasSingleBean(BlockingGmoAozoraClient.class);
			BlockingGmoAozoraClient blocking = context.getBean(BlockingGmoAozoraClient.class);
			assertThat(blocking.authorizationUri("session-42"))
				.isEqualTo(context.getBean(GmoAozoraClient.class).authorizationUri("session-42"));
			assertThat(blocking.getTimeout()).isEqualTo(Duration.ofMillis(47_600));
		});
	}

	@Test
	void blockingClientWhenTokenCallsSetThenTimeLimitFollowsThem() {
		this.configured
			.withPropertyValues("tokenkit.token-calls.connect-timeout=1s", "tokenkit.token-calls.response-timeout=2s",
					"tokenkit.token-calls.max-retries=0")
			.run((context) -> assertThat(context.getBean(BlockingGmoAozoraClient.class).getTimeout())
				.isEqualTo(Duration.ofSeconds(4)));
	}

	@Test
	void blockingClientWhenUserDefinesOneThenUserBeanWins() {
		this.configured.withUserConfiguration(UserBlockingClient.class)
			.run((context) -> assertThat(context.getBean(BlockingGmoAozoraClient.class))
				.isSameAs(UserBlockingClient.CLIENT));
	}

	@Test
	void blockingClientWhenUserDefinesTheClientThenFrontsIt() {
		this.configured.withUserConfiguration(UserClient.class)
			.run((context) -> assertThat(context.getBean(BlockingGmoAozoraClient.class).authorizationUri("s"))
				.isEqualTo(UserClient.CLIENT.authorizationUri("s")));
	}

	@Test
	void autoConfigurationWhenClientSecretMissingThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
					"tokenkit.gmo-aozora.state-salt=pepper-salt")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.client-secret"));
	}

	@Test
	void autoConfigurationWhenRedirectUriMissingOrRelativeThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.client-secret=" + SECRET, "tokenkit.gmo-aozora.state-salt=pepper-salt")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.redirect-uri"));
		this.configured.withPropertyValues("tokenkit.gmo-aozora.redirect-uri=/callback")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.redirect-uri"));
	}

	@Test
	void autoConfigurationWhenStateSaltMissingThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.client-secret=" + SECRET,
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.state-salt"));
	}

	@Test
	void autoConfigurationWhenBaseUrlNotHttpThenFailsNamingIt() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.base-url=ftp://api.gmo-aozora.com/auth")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.base-url"));
	}

	@Test
	void autoConfigurationWhenNonceTimeToLiveZeroThenFailsNamingIt() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.nonce-time-to-live=0s")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.nonce-time-to-live"));
	}

	@Test
	void pkceParAndIssWhenNotSetThenOffAndTheUrlIsBuiltWithoutWaiting() {
		this.configured.run((context) -> {
			GmoAozoraClient client = context.getBean(GmoAozoraClient.class);
			assertThat(client.preparesAuthorization()).isFalse();
			assertThat(client.toString()).contains("pkce=false", "par=false", "issuerCheck=false");
			assertThat(client.authorizationUri("s").getQuery()).doesNotContain("code_challenge");
		});
	}

	@Test
	void pkceParAndIssWhenSwitchedOnThenTheClientHasThem() {
		this.configured
			.withPropertyValues("tokenkit.gmo-aozora.pkce=true", "tokenkit.gmo-aozora.par=true",
					"tokenkit.gmo-aozora.par-uri=https://api.gmo-aozora.com/ganb/api/auth/v1/par",
					"tokenkit.gmo-aozora.check-iss=true", "tokenkit.gmo-aozora.issuer=https://api.gmo-aozora.com/")
			.run((context) -> assertThat(context.getBean(GmoAozoraClient.class).toString()).contains("pkce=true",
					"par=true", "issuerCheck=true"));
	}

	@Test
	void checkIssWhenNoIssuerAndNoMetadataThenStartUpFailsNamingIssuer() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.check-iss=true").run((context) -> {
			assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.issuer");
			FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis.getDescription()).contains("tokenkit.gmo-aozora.issuer", "check-iss is on",
					"a guess made from base-url");
			assertThat(analysis.getAction()).contains("Set tokenkit.gmo-aozora.issuer",
					"switch tokenkit.gmo-aozora.check-iss off");
		});
		this.configured
			.withPropertyValues("tokenkit.gmo-aozora.check-iss=true", "tokenkit.gmo-aozora.par=true",
					"tokenkit.gmo-aozora.par-uri=https://api.gmo-aozora.com/ganb/api/auth/v1/par")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.issuer"));
	}

	@Test
	void checkIssWhenNoIssuerButParReadsTheMetadataThenTheIssuerIsCheckedOnceConfirmed() {
		this.configured
			.withPropertyValues("tokenkit.gmo-aozora.check-iss=true", "tokenkit.gmo-aozora.par=true",
					"tokenkit.gmo-aozora.pkce=true")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(GmoAozoraClient.class)
				.asString()
				.contains("par=true", "issuerCheck=true"));
		this.configured.withPropertyValues("tokenkit.gmo-aozora.issuer=https://api.gmo-aozora.com/")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(GmoAozoraClient.class)
				.asString()
				.contains("issuerCheck=false"));
	}

	@Test
	void parUriWhenSetWithoutParOrNotHttpsOrNotAUrlThenFailsNamingIt() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.par-uri=https://api.gmo-aozora.com/par")
			.run((context) -> {
				assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.par-uri");
				assertThat(context.getStartupFailure()).rootCause()
					.hasMessageContaining("Set tokenkit.gmo-aozora.par=true");
			});
		this.configured
			.withPropertyValues("tokenkit.gmo-aozora.par=true", "tokenkit.gmo-aozora.par-uri=http://10.0.0.1/par")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.par-uri"));
		this.configured.withPropertyValues("tokenkit.gmo-aozora.par=true", "tokenkit.gmo-aozora.par-uri=/par")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.gmo-aozora.par-uri"));
	}

	@Test
	void autoConfigurationWhenAuthMethodUnknownThenFails() {
		this.configured.withPropertyValues("tokenkit.gmo-aozora.auth-method=jwt")
			.run((context) -> assertThat(context).hasFailed());
	}

	@Test
	void autoConfigurationWhenGmoAozoraRegistrationThenGmoAozoraTokenSource() {
		this.configured.withPropertyValues("tokenkit.registrations.bank.grant-type=gmo-aozora")
			.run((context) -> assertThat(context.getBean(TokenManager.class).getRegistrations().get("bank").source())
				.isInstanceOf(GmoAozoraTokenSource.class));
	}

	@Test
	void autoConfigurationWhenGmoAozoraRegistrationWithoutClientThenFailsNamingGrantType() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.bank.grant-type=gmo-aozora")
			.run((context) -> assertInvalid(context.getStartupFailure(), "tokenkit.registrations.bank.grant-type"));
	}

	@Test
	void bearerFilterWhenRegistrationSendsXAccessTokenThenRefreshedAtBankAndSentToResourceApi() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.setDispatcher(new Dispatcher() {
				@Override
				public MockResponse dispatch(RecordedRequest request) {
					if (request.getTarget().equals("/auth/v1/token")) {
						return new MockResponse.Builder().addHeader("Content-Type", "application/json")
							.body("{\"access_token\":\"at-2\",\"refresh_token\":\"rt-2\",\"token_type\":\"Bearer\","
									+ "\"expires_in\":\"2592000\"}")
							.build();
					}
					return new MockResponse.Builder().addHeader("Content-Type", "application/json")
						.body("{\"accounts\":[]}")
						.build();
				}
			});
			server.start();
			TestObservationRegistry observations = TestObservationRegistry.create();
			this.configured
				.withPropertyValues("tokenkit.gmo-aozora.base-url=" + server.url("/auth/v1"),
						"tokenkit.gmo-aozora.auth-method=post", "tokenkit.registrations.bank.grant-type=gmo-aozora",
						"tokenkit.registrations.bank.header-name=x-access-token",
						"tokenkit.registrations.bank.header-format={token}",
						"tokenkit.clients.bank.base-url=" + server.url("/personal/v1"),
						"tokenkit.clients.bank.registration=bank")
				.withBean(TokenRequestObserver.class, () -> new TokenRequestObserver(observations, null))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					TokenKey key = TokenKey.of("bank", "customer-1");
					context.getBean(TokenManager.class)
						.save(key,
								AccessToken.withValue("at-1")
									.refreshToken("rt-1")
									.issuedAt(Instant.now().minusSeconds(61))
									.expiresAt(Instant.now().minusSeconds(1))
									.build())
						.block();
					WebClient bank = context.getBean("bankWebClient", WebClient.class);
					String body = bank.get()
						.uri("/accounts")
						.attributes(BearerTokenExchangeFilterFunction.subject("customer-1"))
						.retrieve()
						.bodyToMono(String.class)
						.block();
					assertThat(body).isEqualTo("{\"accounts\":[]}");
					RecordedRequest refresh = server.takeRequest();
					assertThat(refresh.getMethod()).isEqualTo("POST");
					assertThat(refresh.getTarget()).isEqualTo("/auth/v1/token");
					assertThat(refresh.getHeaders().get("Authorization")).isNull();
					assertThat(refresh.getHeaders().get("Accept")).isEqualTo("application/json;charset=UTF-8");
					assertThat(refresh.getBody().utf8()).isEqualTo(
							"grant_type=refresh_token&refresh_token=rt-1&client_id=aozora-app&client_secret=" + SECRET);
					RecordedRequest resource = server.takeRequest();
					assertThat(resource.getTarget()).isEqualTo("/personal/v1/accounts");
					assertThat(resource.getHeaders().get("x-access-token")).isEqualTo("at-2");
					assertThat(resource.getHeaders().get("Authorization")).isNull();
					assertThat(context.getBean(TokenManager.class).getCachedToken(key).getRefreshToken())
						.isEqualTo("rt-2");
					TestObservationRegistryAssert.assertThat(observations)
						.hasObservationWithNameEqualTo("tokenkit.token.requests")
						.that()
						.hasLowCardinalityKeyValue("client", "gmo-aozora")
						.hasLowCardinalityKeyValue("registration", "bank")
						.hasLowCardinalityKeyValue("operation", "refresh");
				});
		}
	}

	/**
	 * Assert that start-up stopped with an {@link InvalidTokenKitPropertyException} for a
	 * property whose message names what it should and shows no client secret.
	 */
	static void assertInvalid(Throwable failure, String property, String... named) {
		assertThat(failure).isNotNull();
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidTokenKitPropertyException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("InvalidTokenKitPropertyException in %s", failure)
			.isInstanceOfSatisfying(InvalidTokenKitPropertyException.class, (invalid) -> {
				assertThat(invalid.getProperty()).isEqualTo(property);
				assertThat(invalid.getMessage()).doesNotContain(SECRET);
				for (String name : named) {
					assertThat(invalid.getMessage()).contains(name);
				}
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		static final NonceStore NONCE_STORE = new InMemoryNonceStore(Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

		static final GmoAozoraIdTokenVerifier VERIFIER = (idToken) -> Mono.empty();

		static final GmoAozoraTokenClient TOKEN_CLIENT = new GmoAozoraTokenClient(WebClient.create(),
				URI.create("https://bank.example.com/token"), "user-app", "user-secret",
				io.tokenkit.oauth2.ClientAuthenticationMethod.POST, TokenRequestObserver.NOOP);

		@Bean
		NonceStore userNonceStore() {
			return NONCE_STORE;
		}

		@Bean
		GmoAozoraIdTokenVerifier userVerifier() {
			return VERIFIER;
		}

		@Bean
		GmoAozoraTokenClient userTokenClient() {
			return TOKEN_CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOneTimeValues {

		@Bean
		MutableClock clock() {
			return MutableClock.at("2026-11-23T10:00:00Z");
		}

		@Bean
		InMemoryOneTimeValueStore userOneTimeValueStore(MutableClock clock) {
			return new InMemoryOneTimeValueStore(clock);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClient {

		static final GmoAozoraClient CLIENT = new GmoAozoraClient(URI.create("https://bank.example.com/authorization"),
				"https://app.example.com/cb", java.util.List.of("private:account"),
				new io.tokenkit.aozora.GmoAozoraState("salt"), UserBeans.TOKEN_CLIENT, UserBeans.NONCE_STORE, null,
				Clock.systemUTC());

		@Bean
		GmoAozoraClient userClient() {
			return CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBlockingClient {

		static final BlockingGmoAozoraClient CLIENT = new BlockingGmoAozoraClient(UserClient.CLIENT);

		@Bean
		BlockingGmoAozoraClient userBlockingClient() {
			return CLIENT;
		}

	}

}
