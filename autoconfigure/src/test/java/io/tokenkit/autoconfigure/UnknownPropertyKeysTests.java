package io.tokenkit.autoconfigure;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An unknown key under {@code tokenkit.registrations.<id>.} or
 * {@code tokenkit.clients.<name>.} stops start-up with a failure analysis naming the
 * property and the nearest known key; every known key, in every relaxed form, still
 * starts.
 */
class UnknownPropertyKeysTests {

	private static final String SECRET = "unknown-keys-secret";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
				"tokenkit.registrations.orders.client-id=orders-app",
				"tokenkit.registrations.orders.client-secret=" + SECRET);

	@Test
	void startWhenRegistrationKeyMistypedThenAnalysisNamesPropertyAndNearestKey() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.token-urii=https://other.example.com/token")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.token-urii")
					.doesNotContain("other.example.com");
				assertThat(analysis.getAction()).contains("tokenkit.registrations.orders.token-uri?");
			});
	}

	@Test
	void startWhenRegistrationMistypesDpopThenAnalysisNamesDpop() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.dpopp=true").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.dpopp");
			assertThat(analysis.getAction()).contains("tokenkit.registrations.orders.dpop?");
		});
	}

	@Test
	void startWhenClientKeySettingMistypedThenAnalysisNamesPropertyAndNearestKeyOfItsGroup() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.client-key.ssl-bundel=orders")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.client-key.ssl-bundel")
					.contains("client-key setting");
				assertThat(analysis.getAction()).contains("tokenkit.registrations.orders.client-key.ssl-bundle?");
			});
	}

	@Test
	void startWhenClientKeyIsCamelCaseOrAnEnvironmentVariableThenItBinds() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.clientKey.keyId=k1")
			.run((context) -> assertThat(orders(context).getClientKey().getKeyId()).isEqualTo("k1"));
		for (String variable : new String[] { "TOKENKIT_REGISTRATIONS_ORDERS_CLIENTKEY_KEYID",
				"TOKENKIT_REGISTRATIONS_ORDERS_CLIENT_KEY_KEY_ID" }) {
			withEnvironment(Map.of(variable, "k1"))
				.run((context) -> assertThat(orders(context).getClientKey().getKeyId()).isEqualTo("k1"));
		}
		withEnvironment(Map.of("TOKENKIT_REGISTRATIONS_ORDERS_CLIENT_ASSERTION_LIFETIME", "30s"))
			.run((context) -> assertThat(orders(context).getClientAssertion().getLifetime())
				.isEqualTo(java.time.Duration.ofSeconds(30)));
	}

	private static TokenKitProperties.Registration orders(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean(TokenKitProperties.class).getRegistrations().get("orders");
	}

	@Test
	void startWhenClientKeyMistypedThenAnalysisNamesPropertyAndNearestKey() {
		this.contextRunner
			.withPropertyValues("tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registraton=orders")
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("tokenkit.clients.orders.registraton");
				assertThat(analysis.getAction()).contains("tokenkit.clients.orders.registration?");
			});
	}

	@Test
	void startWhenEveryKnownKeyIsSetThenStarts() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.client-authentication=post",
				"tokenkit.registrations.orders.scopes[0]=orders.read",
				"tokenkit.registrations.orders.additional-parameters.audience=orders",
				"tokenkit.registrations.orders.refresh-skew=10s", "tokenkit.registrations.orders.header-name=X-Token",
				"tokenkit.registrations.orders.header-format={token}", "tokenkit.registrations.fixed.grant-type=static",
				"tokenkit.registrations.fixed.token=" + SECRET,
				"tokenkit.registrations.rotating.grant-type=refresh_token",
				"tokenkit.registrations.rotating.token-uri=https://auth.example.com/token",
				"tokenkit.registrations.rotating.client-id=app",
				"tokenkit.registrations.rotating.client-secret=" + SECRET,
				"tokenkit.registrations.rotating.refresh-token=" + SECRET,
				"tokenkit.registrations.rotating.from-spring-security=false",
				"tokenkit.registrations.orders.client-key.key-id=k1",
				"tokenkit.registrations.orders.client-key.resource-calls=false",
				"tokenkit.registrations.orders.client-assertion.audience=https://auth.example.com",
				"tokenkit.registrations.orders.client-assertion.lifetime=30s",
				"tokenkit.registrations.orders.fapi=false",
				"tokenkit.clients.orders.base-url=https://orders.example.com",
				"tokenkit.clients.orders.registration=orders", "tokenkit.clients.orders.type=web-client")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TokenManager.class));
	}

	@Test
	void startWhenKeysAreCamelCaseOrEnvironmentVariablesThenTheyBind() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.headerName=X-Camel")
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("TOKENKIT_REGISTRATIONS_ORDERS_REFRESHSKEW", "12s",
										"TOKENKIT_REGISTRATIONS_ORDERS_HEADER_FORMAT", "Token {token}"))))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(TokenManager.class).getRegistration("orders").refreshSkew()).hasSeconds(12);
			});
	}

	@Test
	void startWhenEnvironmentVariableKeyMistypedThenAnalysisNamesIt() {
		this.contextRunner
			.withInitializer(
					(context) -> context.getEnvironment()
						.getPropertySources()
						.addFirst(new SystemEnvironmentPropertySource(
								StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
								Map.of("TOKENKIT_REGISTRATIONS_ORDERS_CLIENTSECRETT", SECRET))))
			.run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription()).contains("clientsecrett").doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("client-secret");
			});
	}

	@Test
	void startWhenEnvironmentVariableOnlyStartsWithAKnownKeyThenAnalysisNamesIt() {
		for (String variable : new String[] { "TOKENKIT_REGISTRATIONS_ORDERS_TOKEN_URII",
				"TOKENKIT_REGISTRATIONS_ORDERS_CLIENT_ID_X", "TOKENKIT_REGISTRATIONS_ORDERS_CLIENT_SECRET_FILE" }) {
			withEnvironment(Map.of(variable, SECRET)).run((context) -> {
				FailureAnalysis analysis = analyze(context);
				assertThat(analysis.getDescription())
					.contains("'" + variable.substring(30).toLowerCase(Locale.ROOT).replace('_', '-') + "'")
					.doesNotContain(SECRET);
			});
		}
		withEnvironment(Map.of("TOKENKIT_REGISTRATIONS_ORDERS_TOKEN_URII", "https://other.example.com/token"))
			.run((context) -> assertThat(analyze(context).getAction())
				.contains("tokenkit.registrations.orders.token-uri?"));
	}

	@Test
	void startWhenEnvironmentVariablesSetMapAndListEntriesThenTheyBind() {
		withEnvironment(Map.of("TOKENKIT_REGISTRATIONS_ORDERS_ADDITIONAL_PARAMETERS_AUDIENCE", "orders",
				"TOKENKIT_REGISTRATIONS_ORDERS_SCOPES_0", "orders.read", "TOKENKIT_REGISTRATIONS_ORDERS_CLIENT_ID",
				"env-app"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startWhenTheApplicationHasItsOwnTokenManagerAndAClientKeyIsMistypedThenAnalysisNamesIt() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
					TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(OwnTokenManager.class)
			.withPropertyValues("tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registraton=orders")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.clients.orders.registraton"));
	}

	@Test
	void startWhenBeansAreLazyThenAMistypedKeyStillStopsStartUp() {
		this.contextRunner
			.withInitializer((context) -> ((AnnotationConfigApplicationContext) context)
				.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.withPropertyValues("tokenkit.registrations.orders.token-urii=https://other.example.com/token")
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.registrations.orders.token-urii"));
	}

	@Test
	void startWhenTheApplicationHasItsOwnTokenManagerAndAHeaderPropertyThenAnalysisSaysItsRegistrationsDecide() {
		for (String property : new String[] { "header-name=X-Token", "header-format=Token {token}" }) {
			new ApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
						TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
				.withUserConfiguration(OwnTokenManager.class)
				.withPropertyValues("tokenkit.registrations.orders." + property)
				.run((context) -> {
					FailureAnalysis analysis = analyze(context);
					assertThat(analysis.getDescription())
						.contains("tokenkit.registrations.orders." + property.substring(0, property.indexOf('=')))
						.contains("own TokenManager");
					assertThat(analysis.getAction()).contains("TokenAuthorizer.header(name, format)");
				});
		}
	}

	@Test
	void startWhenTheApplicationHasItsOwnTokenManagerWithoutHeaderPropertiesThenStarts() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
					TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withUserConfiguration(OwnTokenManager.class)
			.withPropertyValues("tokenkit.registrations.orders.header-name=Authorization")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(TokenManager.class));
	}

	private ApplicationContextRunner withEnvironment(Map<String, Object> variables) {
		return this.contextRunner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
					variables)));
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTokenManager {

		@Bean
		TokenManager ownTokenManager() {
			return new TokenManager(List.of(TokenRegistration.of("orders", new StaticTokenSource("t"))),
					new InMemoryTokenStore());
		}

	}

}
