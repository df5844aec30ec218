package io.tokenkit.autoconfigure;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.tokenkit.discovery.DiscoveredEndpoint;
import io.tokenkit.oauth2.OAuth2TokenRevoker;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The revocation properties of a registration ({@code revocation-uri},
 * {@code revoke-on-remove}, {@code revoke-access-token}): where a removed per-user token
 * is revoked, the default of revoking where an endpoint is known, and a failure analysis
 * naming the property for each wrong value.
 */
class RevocationPropertiesTests {

	private static final String SECRET = "revocation-properties-secret";

	private final ApplicationContextRunner withoutEndpoint = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.web.grant-type=refresh_token",
				"tokenkit.registrations.web.client-id=web-app", "tokenkit.registrations.web.client-secret=" + SECRET);

	private final ApplicationContextRunner springSecurity = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("spring.security.oauth2.client.registration.web.client-id=web-app",
				"spring.security.oauth2.client.registration.web.client-secret=" + SECRET,
				"spring.security.oauth2.client.registration.web.authorization-grant-type=authorization_code",
				"spring.security.oauth2.client.registration.web.redirect-uri=https://app.example.com/login",
				"spring.security.oauth2.client.provider.web.token-uri=https://auth.example.com/oauth2/token",
				"spring.security.oauth2.client.provider.web.authorization-uri=https://auth.example.com/authorize");

	private final ApplicationContextRunner contextRunner = this.withoutEndpoint
		.withPropertyValues("tokenkit.registrations.web.token-uri=https://auth.example.com/oauth2/token");

	@Test
	void revokerWhenRevocationUriThenFixedEndpoint() {
		assertFixedEndpointRevokingAccessToken(this.contextRunner);
	}

	@Test
	void revokerWhenIssuerUriOnlyThenDiscoveredEndpoint() {
		this.withoutEndpoint.withPropertyValues("tokenkit.registrations.web.issuer-uri=https://auth.example.com")
			.run((context) -> {
				OAuth2TokenRevoker revoker = revoker(context);
				assertThat(revoker.getRevocationEndpoint()).isInstanceOf(DiscoveredEndpoint.class);
				assertThat(revoker.isRevokeAccessToken()).isFalse();
			});
	}

	@Test
	void revokerWhenNoEndpointKnownThenNone() {
		this.contextRunner.run((context) -> assertThat(source(context).getRevoker()).isNull());
	}

	@Test
	void revokerWhenRevokeOnRemoveFalseThenNone() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.web.revocation-uri=https://auth.example.com/oauth2/revoke",
					"tokenkit.registrations.web.revoke-on-remove=false")
			.run((context) -> assertThat(source(context).getRevoker()).isNull());
	}

	@Test
	void failureWhenRevocationUriNotAbsoluteThenAnalysisNamesPropertyAndFix() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.web.revocation-uri=/oauth2/revoke")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.web.revocation-uri", "absolute")
					.doesNotContain(SECRET);
				assertThat(analysis.getAction()).contains("https://auth.example.com/oauth2/revoke");
			});
	}

	@Test
	void failureWhenRevocationUriPlainHttpThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.web.revocation-uri=http://auth.example.com/oauth2/revoke")
			.run((context) -> assertThat(analysis(context).getDescription())
				.contains("tokenkit.registrations.web.revocation-uri", "plain http"));
	}

	@Test
	void failureWhenRevokeOnRemoveWithoutEndpointThenAnalysisNamesPropertyAndFix() {
		this.contextRunner.withPropertyValues("tokenkit.registrations.web.revoke-on-remove=true").run((context) -> {
			FailureAnalysis analysis = analysis(context);
			assertThat(analysis.getDescription()).contains("tokenkit.registrations.web.revoke-on-remove",
					"no revocation endpoint");
			assertThat(analysis.getAction()).contains("Set tokenkit.registrations.web.revocation-uri");
		});
	}

	@Test
	void failureWhenRevocationUriOnClientCredentialsThenAnalysisNamesProperty() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.web.grant-type=client_credentials",
					"tokenkit.registrations.web.revocation-uri=https://auth.example.com/oauth2/revoke")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.web.revocation-uri",
						"refresh_token");
				assertThat(analysis.getAction()).contains("Remove it");
			});
	}

	@Test
	void failureWhenRevokeAccessTokenWithRevokeOnRemoveFalseThenAnalysisNamesBoth() {
		this.contextRunner
			.withPropertyValues("tokenkit.registrations.web.revocation-uri=https://auth.example.com/oauth2/revoke",
					"tokenkit.registrations.web.revoke-on-remove=false",
					"tokenkit.registrations.web.revoke-access-token=true")
			.run((context) -> {
				FailureAnalysis analysis = analysis(context);
				assertThat(analysis.getDescription()).contains("tokenkit.registrations.web.revoke-access-token",
						"tokenkit.registrations.web.revoke-on-remove");
				assertThat(analysis.getAction()).contains("Remove tokenkit.registrations.web.revoke-access-token");
			});
	}

	@Test
	void revokerWhenSpringSecurityRegistrationReusedThenTokenKitRevocationSettingsApply() {
		assertFixedEndpointRevokingAccessToken(
				this.springSecurity.withPropertyValues("tokenkit.registrations.web.from-spring-security=true"));
	}

	private static void assertFixedEndpointRevokingAccessToken(ApplicationContextRunner runner) {
		runner
			.withPropertyValues("tokenkit.registrations.web.revocation-uri=https://auth.example.com/oauth2/revoke",
					"tokenkit.registrations.web.revoke-access-token=true")
			.run((context) -> {
				OAuth2TokenRevoker revoker = revoker(context);
				assertThat(revoker.getRevocationEndpoint().getFixedUri())
					.isEqualTo(URI.create("https://auth.example.com/oauth2/revoke"));
				assertThat(revoker.isRevokeAccessToken()).isTrue();
			});
	}

	@Test
	void revokerWhenAllSpringSecurityRegistrationsReusedAndRevokeOnRemoveFalseThenNone() {
		this.springSecurity
			.withPropertyValues("tokenkit.spring-security-registrations=true",
					"tokenkit.registrations.web.revoke-on-remove=false")
			.run((context) -> assertThat(source(context).getRevoker()).isNull());
	}

	private static RefreshTokenTokenSource source(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		return (RefreshTokenTokenSource) context.getBean(TokenManager.class).getRegistration("web").source();
	}

	private static OAuth2TokenRevoker revoker(AssertableApplicationContext context) {
		OAuth2TokenRevoker revoker = source(context).getRevoker();
		assertThat(revoker).isNotNull();
		return revoker;
	}

	private static FailureAnalysis analysis(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
