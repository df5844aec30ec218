package io.tokenkit.autoconfigure;

import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.aozora.GmoAozoraAutoConfiguration;
import io.tokenkit.autoconfigure.authlete.AuthleteAutoConfiguration;
import io.tokenkit.autoconfigure.saasus.SaasusAutoConfiguration;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One test per kind of misconfiguration: each stops start-up with a failure analysis that
 * names the property and the fix, TokenKit's own or, where binding fails first, Spring
 * Boot's.
 */
class MisconfigurationTests {

	private static final String SECRET = "sweep-secret-misconfigured";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, SaasusAutoConfiguration.class,
				GmoAozoraAutoConfiguration.class, AuthleteAutoConfiguration.class, TokenKitAutoConfiguration.class));

	private final ApplicationContextRunner registered = this.contextRunner.withPropertyValues(
			"tokenkit.registrations.orders.grant-type=client_credentials",
			"tokenkit.registrations.orders.token-uri=https://auth.example.com/token",
			"tokenkit.registrations.orders.client-id=orders-app",
			"tokenkit.registrations.orders.client-secret=" + SECRET);

	@Test
	void failureWhenRequiredPropertyMissingThenAnalysisNamesPropertyAndFix() {
		this.contextRunner.withPropertyValues("tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.secret-key=" + SECRET)
			.run((context) -> {
				FailureAnalysis analysis = tokenKitAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.saasus.api-key").doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("Set tokenkit.saasus.api-key");
			});
	}

	@Test
	void failureWhenClientAuthenticationMisspelledThenBootsAnalysisNamesPropertyAndChoices() {
		this.registered.withPropertyValues("tokenkit.registrations.orders.client-authentication=basik")
			.run((context) -> {
				FailureAnalysis analysis = bindAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.client-authentication")
					.contains("basik")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).containsIgnoringCase("basic").containsIgnoringCase("post");
			});
	}

	@Test
	void failureWhenStoreTypeMisspelledThenBootsAnalysisNamesPropertyAndChoices() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redsi").run((context) -> {
			FailureAnalysis analysis = bindAnalysis(context);
			assertThat(analysis.getDescription()).contains("tokenkit.store.type").contains("redsi");
			assertThat(analysis.getAction()).contains("IN_MEMORY", "REDIS");
		});
	}

	@Test
	void failureWhenTokenUriMalformedThenAnalysisNamesPropertyAndFix() {
		this.registered.withPropertyValues("tokenkit.registrations.orders.token-uri=https://auth example.com/token")
			.run((context) -> {
				FailureAnalysis analysis = tokenKitAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.token-uri", "absolute")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("https://auth.example.com/oauth2/token");
			});
	}

	@Test
	void failureWhenVendorBaseUrlMalformedThenAnalysisNamesPropertyAndFix() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.base-url=us.authlete.com", "tokenkit.authlete.service-id=715948317",
					"tokenkit.authlete.access-token=" + SECRET)
			.run((context) -> {
				FailureAnalysis analysis = tokenKitAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.authlete.base-url", "absolute")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("https://us.authlete.com");
			});
	}

	@Test
	void failureWhenClientBaseUrlMalformedThenAnalysisNamesPropertyAndFix() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
					"tokenkit.registrations.orders.token=" + SECRET, "tokenkit.clients.orders.base-url=api.example.com",
					"tokenkit.clients.orders.registration=orders")
			.run((context) -> {
				FailureAnalysis analysis = tokenKitAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.clients.orders.base-url", "absolute")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("https://");
			});
	}

	@Test
	void failureWhenRefreshSkewNegativeThenAnalysisNamesPropertyAndFix() {
		this.registered.withPropertyValues("tokenkit.registrations.orders.refresh-skew=-5s").run((context) -> {
			FailureAnalysis analysis = tokenKitAnalysis(context);
			assertThat(analysis.getDescription()).contains("tokenkit.registrations.orders.refresh-skew", "negative")
				.doesNotContain(SECRET);
			assertThat(analysis.getAction()).contains("positive duration");
		});
	}

	@Test
	void refreshSkewWhenZeroThenStarts() {
		this.registered.withPropertyValues("tokenkit.registrations.orders.refresh-skew=0s")
			.run((context) -> assertThat(
					context.getBean(TokenManager.class).getRegistrations().get("orders").refreshSkew())
				.isZero());
	}

	@Test
	void failureWhenIdTokenLeewayNegativeThenAnalysisNamesPropertyAndFix() {
		this.contextRunner
			.withPropertyValues("tokenkit.gmo-aozora.client-id=aozora-app",
					"tokenkit.gmo-aozora.client-secret=" + SECRET,
					"tokenkit.gmo-aozora.redirect-uri=https://app.example.com/callback",
					"tokenkit.gmo-aozora.state-salt=salt", "tokenkit.gmo-aozora.id-token-leeway=-1s")
			.run((context) -> {
				FailureAnalysis analysis = tokenKitAnalysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.gmo-aozora.id-token-leeway")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("duration");
			});
	}

	private static FailureAnalysis tokenKitAnalysis(AssertableApplicationContext context) {
		return analyze(context, new TokenKitFailureAnalyzer());
	}

	private static FailureAnalysis bindAnalysis(AssertableApplicationContext context) throws Exception {
		// Boot's own analyzer of binding failures, as SpringApplication would run it
		FailureAnalyzer analyzer = (FailureAnalyzer) BeanUtils.instantiateClass(
				ClassUtils.forName("org.springframework.boot.diagnostics.analyzer.BindFailureAnalyzer", null)
					.getDeclaredConstructor());
		return analyze(context, analyzer);
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context, FailureAnalyzer analyzer) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
