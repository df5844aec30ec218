package io.tokenkit.autoconfigure.saasus;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.saasus.BlockingSaasusClient;
import io.tokenkit.saasus.SaasusBearerToken;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusRequestSigner;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.saasus.SaasusTokenSource;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport.ConditionAndOutcomes;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SaasusAutoConfiguration}.
 */
class SaasusAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, SaasusAutoConfiguration.class,
				TokenKitAutoConfiguration.class));

	private static final String[] CONFIGURED = { "tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=ak-1",
			"tokenkit.saasus.secret-key=sk-very-secret" };

	@Test
	void autoConfigurationWhenNotConfiguredThenNoSaasusBean() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertNoSaasusBean(context);
		});
	}

	@Test
	void autoConfigurationWhenSaasIdIsAnEmptyPlaceholderThenNoSaasusBean() {
		this.contextRunner
			.withPropertyValues("tokenkit.saasus.saas-id=", "tokenkit.saasus.api-key=ak-1",
					"tokenkit.saasus.secret-key=sk-very-secret")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertNoSaasusBean(context);
			});
	}

	@Test
	void autoConfigurationWhenSaasIdIsBlankThenConditionReportNamesIt() {
		this.contextRunner.withPropertyValues("tokenkit.saasus.saas-id= ").run((context) -> {
			assertNoSaasusBean(context);
			ConditionAndOutcomes outcomes = ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.get(SaasusAutoConfiguration.class.getName());
			assertThat(outcomes.isFullMatch()).isFalse();
			assertThat(outcomes).anySatisfy((outcome) -> assertThat(outcome.getOutcome().getMessage())
				.contains("did not find property with text tokenkit.saasus.saas-id"));
		});
	}

	@Test
	void clientWhenConfiguredThenPresentWithDefaultBaseUrl() {
		this.contextRunner.withPropertyValues(CONFIGURED).run((context) -> {
			assertThat(context).hasSingleBean(SaasusClient.class);
			assertThat(context.getBean(SaasusClient.class).getBaseUrl())
				.isEqualTo(URI.create("https://api.saasus.io/v1/auth"));
		});
	}

	@Test
	void clientWhenBaseUrlSetThenUsesIt() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.saasus.base-url=http://localhost:8089/v1/auth")
			.run((context) -> assertThat(context.getBean(SaasusClient.class).getBaseUrl())
				.isEqualTo(URI.create("http://localhost:8089/v1/auth")));
	}

	@Test
	void clientWhenSecretKeyMissingThenFailsNamingPropertyWithoutSecrets() {
		this.contextRunner.withPropertyValues("tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=ak-1")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidTokenKitPropertyException ex = rootCause(context.getStartupFailure());
				assertThat(ex.getProperty()).isEqualTo("tokenkit.saasus.secret-key");
				assertThat(ex.getValue()).isNull();
				assertThat(ex.getMessage()).doesNotContain("ak-1");
			});
	}

	@Test
	void clientWhenApiKeyIsAnEmptyPlaceholderThenFailsNamingItWithoutSecret() {
		this.contextRunner
			.withPropertyValues("tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=",
					"tokenkit.saasus.secret-key=sk-very-secret")
			.run((context) -> {
				assertThat(context).hasFailed();
				InvalidTokenKitPropertyException ex = rootCause(context.getStartupFailure());
				assertThat(ex.getProperty()).isEqualTo("tokenkit.saasus.api-key");
				assertThat(ex.getMessage()).doesNotContain("sk-very-secret");
			});
	}

	@Test
	void clientWhenBaseUrlInvalidThenFailsNamingProperty() {
		for (String bad : new String[] { "api.saasus.io/v1/auth", "ftp://api.saasus.io/v1/auth",
				"https://api.saasus.io/v1/auth?x=1", "https://api saasus" }) {
			this.contextRunner.withPropertyValues(CONFIGURED)
				.withPropertyValues("tokenkit.saasus.base-url=" + bad)
				.run((context) -> {
					assertThat(context).hasFailed();
					InvalidTokenKitPropertyException ex = rootCause(context.getStartupFailure());
					assertThat(ex.getProperty()).isEqualTo("tokenkit.saasus.base-url");
					assertThat(ex.getMessage()).doesNotContain("sk-very-secret");
				});
		}
	}

	@Test
	void converterWhenDefaultLifetimeNotPositiveThenFails() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.saasus.default-token-lifetime=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(rootCause(context.getStartupFailure()).getProperty())
					.isEqualTo("tokenkit.saasus.default-token-lifetime");
			});
	}

	@Test
	void propertiesBindBearerTokenAndLifetime() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.saasus.bearer-token=id-token", "tokenkit.saasus.default-token-lifetime=10m")
			.run((context) -> {
				SaasusProperties properties = context.getBean(SaasusProperties.class);
				assertThat(properties.getBearerToken()).isEqualTo(SaasusBearerToken.ID_TOKEN);
				assertThat(properties.getDefaultTokenLifetime()).hasMinutes(10);
				assertThat(context.getBean(SaasusTokenConverter.class).toString()).contains("ID_TOKEN");
			});
	}

	@Test
	void registrationWhenGrantTypeSaasusAndClientConfiguredThenSaasusTokenSource() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.registrations.users.grant-type=saasus")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TokenManager.class).getRegistrations().get("users").source())
					.isInstanceOf(SaasusTokenSource.class);
			});
	}

	@Test
	void registrationWhenGrantTypeSaasusWithoutClientThenFailsNamingGrantType() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.users.grant-type=saasus").run((context) -> {
			assertThat(context).hasFailed();
			InvalidTokenKitPropertyException ex = rootCause(context.getStartupFailure());
			assertThat(ex.getProperty()).isEqualTo("tokenkit.registrations.users.grant-type");
			assertThat(ex.getValue()).isEqualTo("saasus");
			assertThat(ex.getReason()).contains("client_credentials, refresh_token, static").doesNotContain("saasus,");
			assertThat(ex.getAction()).contains("configured");
		});
	}

	@Test
	void registrationWhenUserDefinesClientThenSaasusTokenSourceUsesIt() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.registrations.users.grant-type=saasus")
			.run((context) -> {
				assertThat(context).hasSingleBean(SaasusClient.class);
				assertThat(context.getBean(TokenManager.class).getRegistrations().get("users").source())
					.isInstanceOf(SaasusTokenSource.class);
			});
	}

	@Test
	void clientWhenUserDefinesOneThenUserBeanWins() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues(CONFIGURED)
			.run((context) -> {
				assertThat(context).hasSingleBean(SaasusClient.class);
				assertThat(context.getBean(SaasusClient.class).getBaseUrl())
					.isEqualTo(URI.create("https://user.example.com/v1/auth"));
			});
	}

	@Test
	void converterWhenUserDefinesOneThenUserBeanWins() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withUserConfiguration(UserConverterConfiguration.class)
			.run((context) -> assertThat(context).getBean(SaasusTokenConverter.class)
				.isSameAs(context.getBean(UserConverterConfiguration.class).converter));
	}

	@Test
	void blockingClientWhenConfiguredThenFrontsTheClientWithTheDefaultTimeLimit() {
		this.contextRunner.withPropertyValues(CONFIGURED).run((context) -> {
			assertThat(context).hasSingleBean(BlockingSaasusClient.class);
			BlockingSaasusClient blocking = context.getBean(BlockingSaasusClient.class);
			assertThat(blocking.getBaseUrl()).isEqualTo(context.getBean(SaasusClient.class).getBaseUrl());
			assertThat(blocking.getTimeout()).isEqualTo(Duration.ofMillis(47_600));
		});
	}

	@Test
	void blockingClientWhenTokenCallsSetThenTimeLimitFollowsThem() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withPropertyValues("tokenkit.token-calls.connect-timeout=1s", "tokenkit.token-calls.response-timeout=2s",
					"tokenkit.token-calls.max-retries=0")
			.run((context) -> assertThat(context.getBean(BlockingSaasusClient.class).getTimeout())
				.isEqualTo(Duration.ofSeconds(4)));
	}

	@Test
	void blockingClientWhenNotConfiguredThenAbsent() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BlockingSaasusClient.class));
	}

	@Test
	void blockingClientWhenUserDefinesOneThenUserBeanWins() {
		this.contextRunner.withPropertyValues(CONFIGURED)
			.withUserConfiguration(UserBlockingClientConfiguration.class)
			.run((context) -> assertThat(context).getBean(BlockingSaasusClient.class)
				.isSameAs(context.getBean(UserBlockingClientConfiguration.class).client));
	}

	@Test
	void blockingClientWhenUserDefinesTheClientThenFrontsIt() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues(CONFIGURED)
			.run((context) -> assertThat(context.getBean(BlockingSaasusClient.class).getBaseUrl())
				.isEqualTo(URI.create("https://user.example.com/v1/auth")));
	}

	private static InvalidTokenKitPropertyException rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause != null && !(cause instanceof InvalidTokenKitPropertyException)) {
			cause = cause.getCause();
		}
		assertThat(cause).as("InvalidTokenKitPropertyException in the cause chain of %s", failure).isNotNull();
		return (InvalidTokenKitPropertyException) cause;
	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		SaasusClient userSaasusClient() {
			return new SaasusClient(WebClient.builder(), URI.create("https://user.example.com/v1/auth"),
					new SaasusRequestSigner("s", "a", "k", Clock.systemUTC()), TokenRequestObserver.NOOP);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConverterConfiguration {

		final SaasusTokenConverter converter = new SaasusTokenConverter(Clock.systemUTC());

		@Bean
		SaasusTokenConverter userSaasusTokenConverter() {
			return this.converter;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBlockingClientConfiguration {

		final BlockingSaasusClient client = new BlockingSaasusClient(
				new SaasusClient(WebClient.builder(), URI.create("https://user.example.com/v1/auth"),
						new SaasusRequestSigner("s", "a", "k", Clock.systemUTC()), TokenRequestObserver.NOOP),
				Duration.ofSeconds(5));

		@Bean
		BlockingSaasusClient userBlockingSaasusClient() {
			return this.client;
		}

	}

	private static void assertNoSaasusBean(AssertableApplicationContext context) {
		assertThat(context).doesNotHaveBean(SaasusClient.class)
			.doesNotHaveBean(BlockingSaasusClient.class)
			.doesNotHaveBean(SaasusTokenConverter.class)
			.doesNotHaveBean("saasusRegistrationTokenSourceFactory")
			.doesNotHaveBean(SaasusProperties.class);
	}

}
