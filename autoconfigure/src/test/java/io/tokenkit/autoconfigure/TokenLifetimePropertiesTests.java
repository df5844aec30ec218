package io.tokenkit.autoconfigure;

import java.time.Duration;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@code tokenkit.token-lifetime.*}: the default lifetime, which
 * {@link TokenKitAutoConfiguration}, {@link SaasusAutoConfiguration} and
 * {@link GmoAozoraAutoConfiguration} give their token sources, and the longest lifetime,
 * which only the token manager applies to the tokens it stores.
 */
class TokenLifetimePropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, SaasusAutoConfiguration.class,
				GmoAozoraAutoConfiguration.class, TokenKitAutoConfiguration.class));

	private static final String[] SAASUS = { "tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=ak-1",
			"tokenkit.saasus.secret-key=sk-very-secret" };

	private static final String[] GMO_AOZORA = { "tokenkit.gmo-aozora.client-id=aozora-app",
			"tokenkit.gmo-aozora.client-secret=aozora-secret-0123456789abcdefghij",
			"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
			"tokenkit.gmo-aozora.state-salt=pepper-salt" };

	private AccessToken clientCredentialsToken(String answer, String... properties) throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server
				.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body(answer).build());
			server.start();
			AccessToken[] token = new AccessToken[1];
			this.contextRunner.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-uri=" + server.url("/token"),
					"tokenkit.registrations.orders.client-id=app", "tokenkit.registrations.orders.client-secret=secret")
				.withPropertyValues(properties)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					token[0] = context.getBean(TokenManager.class)
						.getToken(TokenKey.of("orders"))
						.block(Duration.ofSeconds(10));
				});
			return token[0];
		}
	}

	private static Duration lifetime(AccessToken token) {
		return Duration.between(token.getIssuedAt(), token.getExpiresAt());
	}

	@Test
	void clientCredentialsWhenAnswerHasNoExpiresInThenOneHourByDefault() throws Exception {
		assertThat(lifetime(clientCredentialsToken("{\"access_token\":\"at-1\"}"))).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void clientCredentialsWhenAnswerHasNoExpiresInThenConfiguredDefault() throws Exception {
		assertThat(
				lifetime(clientCredentialsToken("{\"access_token\":\"at-1\"}", "tokenkit.token-lifetime.default=5m")))
			.isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void clientCredentialsWhenNoMaxThenServersLifetimeStored() throws Exception {
		assertThat(lifetime(clientCredentialsToken("{\"access_token\":\"at-1\",\"expires_in\":2592000}")))
			.isEqualTo(Duration.ofDays(30));
	}

	@Test
	void clientCredentialsWhenExpiresInLongerThanMaxThenStoredCapped() throws Exception {
		assertThat(lifetime(clientCredentialsToken("{\"access_token\":\"at-1\",\"expires_in\":7200}",
				"tokenkit.token-lifetime.default=10m", "tokenkit.token-lifetime.max=30m")))
			.isEqualTo(Duration.ofMinutes(30));
	}

	@Test
	void startWhenDefaultLongerThanADayAndNoMaxThenStarts() throws Exception {
		assertThat(
				lifetime(clientCredentialsToken("{\"access_token\":\"at-1\"}", "tokenkit.token-lifetime.default=48h")))
			.isEqualTo(Duration.ofHours(48));
	}

	@Test
	void startWhenDefaultLifetimeNotPositiveThenFailsNamingIt() {
		assertInvalid("tokenkit.token-lifetime.default", "tokenkit.token-lifetime.default=0s");
		assertInvalid("tokenkit.token-lifetime.default", "tokenkit.token-lifetime.default=-1m");
	}

	@Test
	void startWhenMaxLifetimeShorterThanASecondThenFailsNamingIt() {
		assertInvalid("tokenkit.token-lifetime.max", "tokenkit.token-lifetime.max=500ms");
	}

	@Test
	void startWhenDefaultLongerThanMaxThenFailsNamingDefault() {
		assertInvalid("tokenkit.token-lifetime.default", "tokenkit.token-lifetime.default=2h",
				"tokenkit.token-lifetime.max=1h");
		this.contextRunner.withPropertyValues("tokenkit.token-lifetime.default=2h", "tokenkit.token-lifetime.max=1h")
			.run((context) -> {
				InvalidTokenKitPropertyException ex = invalidProperty(context.getStartupFailure());
				assertThat(ex.getReason()).isEqualTo(
						"it is longer than tokenkit.token-lifetime.max (PT1H), the longest lifetime TokenKit stores a token with");
				assertThat(ex.getAction())
					.isEqualTo("Set it to at most PT1H, or raise or remove tokenkit.token-lifetime.max.");
			});
	}

	@Test
	void saasusWhenOwnDefaultLongerThanMaxThenFailsNamingIt() {
		this.contextRunner.withPropertyValues(SAASUS)
			.withPropertyValues("tokenkit.saasus.default-token-lifetime=48h", "tokenkit.token-lifetime.max=24h")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
				.isEqualTo("tokenkit.saasus.default-token-lifetime"));
	}

	@Test
	void saasusWhenOwnDefaultWithinMaxThenConverterHasDefaultAndNoMax() {
		this.contextRunner.withPropertyValues(SAASUS)
			.withPropertyValues("tokenkit.saasus.default-token-lifetime=48h", "tokenkit.token-lifetime.max=72h")
			.run((context) -> assertThat(context.getBean(SaasusTokenConverter.class).toString())
				.contains("defaultLifetime=PT48H")
				.doesNotContain("maxLifetime"));
	}

	@Test
	void gmoAozoraWhenLifetimesInvalidThenFailsNamingTheProperty() {
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(WebClientAutoConfiguration.class, GmoAozoraAutoConfiguration.class))
			.withPropertyValues(GMO_AOZORA)
			.withPropertyValues("tokenkit.token-lifetime.max=0s")
			.run((context) -> assertThat(invalidProperty(context.getStartupFailure()).getProperty())
				.isEqualTo("tokenkit.token-lifetime.max"));
	}

	private void assertInvalid(String property, String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			InvalidTokenKitPropertyException ex = invalidProperty(context.getStartupFailure());
			assertThat(ex.getProperty()).isEqualTo(property);
		});
	}

	private static InvalidTokenKitPropertyException invalidProperty(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidTokenKitPropertyException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("InvalidTokenKitPropertyException in the cause chain of %s", failure).isNotNull();
		return (InvalidTokenKitPropertyException) cause;
	}

}
