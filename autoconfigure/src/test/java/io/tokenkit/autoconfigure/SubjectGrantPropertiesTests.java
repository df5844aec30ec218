package io.tokenkit.autoconfigure;

import org.junit.jupiter.api.Test;

import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The properties of token-exchange and JWT-bearer registrations and of propagating
 * clients: the key resolver each grant gets, and the failure analysis of each wrong
 * value, naming the property.
 */
class SubjectGrantPropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.orders.grant-type=token-exchange",
				"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
				"tokenkit.registrations.orders.client-id=gateway",
				"tokenkit.registrations.orders.client-secret=gateway-secret");

	@Test
	void exchangeRegistrationWhenValidThenReadsIncomingTokenAndClientsStart() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.token-exchange.subject-token-type=jwt",
					"tokenkit.registrations.orders.resources=https://orders.example.com/api",
					"tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registration=orders", "tokenkit.clients.orders.propagation=exchange",
					"tokenkit.clients.profile.base-url=https://profile.example.com",
					"tokenkit.clients.profile.propagation=forward")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasBean("ordersWebClient").hasBean("profileWebClient");
				assertThat(context.getBean(TokenManager.class).getRegistration("orders").keyResolver())
					.isInstanceOfSatisfying(SubjectTokenKeyResolver.class,
							(resolver) -> assertThat(resolver.readsIncomingToken()).isTrue());
			});
	}

	@Test
	void failureWhenTokenTypeUnknownThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.token-exchange.subject-token-type=jwtt")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.registrations.orders.token-exchange.subject-token-type")
				.contains("jwtt"));
	}

	@Test
	void failureWhenResourceHasFragmentThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.orders.resources=https://orders.example.com#x")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.registrations.orders.resources")
				.contains("RFC 8707"));
	}

	@Test
	void failureWhenActorRegistrationUnknownThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.token-exchange.actor-token-registration=nobody")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.registrations.orders.token-exchange.actor-token-registration"));
	}

	@Test
	void failureWhenExchangeSettingOnOtherGrantThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=client_credentials",
					"tokenkit.registrations.orders.token-exchange.requested-token-type=jwt")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.registrations.orders.token-exchange.requested-token-type")
				.contains("token-exchange only"));
	}

	@Test
	void failureWhenExchangingClientNamesOtherGrantThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.plain.grant-type=client_credentials",
					"tokenkit.registrations.plain.token-uri=https://auth.example.com/token",
					"tokenkit.registrations.plain.client-id=gateway",
					"tokenkit.registrations.plain.client-secret=gateway-secret",
					"tokenkit.clients.orders.base-url=https://orders.example.com",
					"tokenkit.clients.orders.registration=plain", "tokenkit.clients.orders.propagation=exchange")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.clients.orders.registration")
				.contains("propagation: exchange"));
	}

	@Test
	void failureWhenForwardingClientNamesRegistrationThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.clients.profile.base-url=https://profile.example.com",
					"tokenkit.clients.profile.registration=orders", "tokenkit.clients.profile.propagation=forward")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.clients.profile.registration")
				.contains("propagation: forward"));
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		assertThat(analysis.getDescription()).doesNotContain("gateway-secret");
		return analysis;
	}

}
