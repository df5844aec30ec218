package io.tokenkit.autoconfigure.security;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.token.SubjectRequiredException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What {@link TokenKitSpringSecurityAutoConfiguration} sets up beside Spring Boot's OAuth
 * 2.0 client, and when it backs off: the logged-in user's key for the per-user
 * registrations served from Spring Security (application-token registrations keep the
 * request attributes), TokenKit's authorized-client services in place of Boot's, an
 * application's own service kept, the condition report's word on an application's own
 * {@code OAuth2AuthorizedClientRepository}, {@code tokenkit.remove-on-logout}, and a
 * TokenKit without Spring Security's client.
 */
class TokenKitSpringSecurityAutoConfigurationTests {

	private static final String[] PROPERTIES = { "spring.security.oauth2.client.registration.bank.client-id=bank-app",
			"spring.security.oauth2.client.registration.bank.client-secret=bank-secret",
			"spring.security.oauth2.client.registration.bank.authorization-grant-type=authorization_code",
			"spring.security.oauth2.client.registration.bank.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
			"spring.security.oauth2.client.provider.bank.authorization-uri=https://bank.example.com/authorize",
			"spring.security.oauth2.client.provider.bank.token-uri=https://bank.example.com/token",
			"spring.security.oauth2.client.registration.orders.client-id=orders-app",
			"spring.security.oauth2.client.registration.orders.client-secret=orders-secret",
			"spring.security.oauth2.client.registration.orders.authorization-grant-type=client_credentials",
			"spring.security.oauth2.client.provider.orders.token-uri=https://orders.example.com/token",
			"tokenkit.spring-security-registrations=true" };

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(WebClientAutoConfiguration.class,
			TokenKitAutoConfiguration.class, TokenKitSpringSecurityAutoConfiguration.class,
			org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration.class,
			org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration.class);

	private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(PROPERTIES);

	@AfterEach
	void clearSecurityContext() {
		SecurityContextHolder.clearContext();
	}

	@Test
	void servletWhenRegistrationsServedThenTokenKitServiceProviderAndLogoutListener() {
		this.servlet.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OAuth2AuthorizedClientService.class))
				.isInstanceOf(TokenKitOAuth2AuthorizedClientService.class);
			assertThat(context).hasSingleBean(TokenKitOAuth2AuthorizedClientProvider.class)
				.hasSingleBean(TokenKitLogoutListener.class)
				.doesNotHaveBean(ReactiveOAuth2AuthorizedClientService.class);
			StringBuilder report = new StringBuilder();
			ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.get(TokenKitSpringSecurityAutoConfiguration.class.getName())
				.forEach((conditionAndOutcome) -> report.append(conditionAndOutcome.getOutcome().getMessage()));
			assertThat(report).contains("OAuth2AuthorizedClientRepository bean bypasses any "
					+ "OAuth2AuthorizedClientService, TokenKit's too");
		});
	}

	@Test
	void keyOfPerUserRegistrationWhenLoggedInThenPrincipalsUnlessSubjectAttribute() {
		this.servlet.run((context) -> {
			TokenManager manager = context.getBean(TokenManager.class);
			TokenKeyResolver bank = manager.getRegistration("bank").keyResolver();
			assertThat(manager.getRegistration("orders").keyResolver()).isSameAs(TokenKeyResolver.attributes());
			TestingAuthenticationToken alice = new TestingAuthenticationToken("alice", null,
					AuthorityUtils.createAuthorityList("ROLE_USER"));
			SecurityContextHolder.getContext().setAuthentication(alice);
			assertThat(bank.resolve(Map.of(), TokenKey.of("bank"))).isEqualTo(TokenKey.of("bank", "alice"));
			assertThat(bank.resolve(Map.of(TokenRequestAttributes.SUBJECT, "bob"), TokenKey.of("bank")))
				.isEqualTo(TokenKey.of("bank", "bob"));
			SecurityContextHolder.clearContext();
			assertThat(bank.resolveReactive(Map.of(), TokenKey.of("bank"))
				.contextWrite(ReactiveSecurityContextHolder.withAuthentication(alice))
				.block()).isEqualTo(TokenKey.of("bank", "alice"));
			// an anonymous principal is no subject: the request needs one, as before
			SecurityContextHolder.getContext()
				.setAuthentication(new AnonymousAuthenticationToken("key", "anonymousUser",
						AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS")));
			TokenKey anonymous = bank.resolve(Map.of(), TokenKey.of("bank"));
			assertThat(anonymous).isEqualTo(TokenKey.of("bank"));
			assertThatExceptionOfType(SubjectRequiredException.class)
				.isThrownBy(() -> manager.getToken(anonymous).block());
			assertThat(bank.toString()).doesNotContain("alice");
		});
	}

	@Test
	void servletWhenApplicationHasOwnServiceThenKept() {
		this.servlet.withUserConfiguration(OwnService.class).run((context) -> {
			assertThat(context.getBean(OAuth2AuthorizedClientService.class))
				.isInstanceOf(InMemoryOAuth2AuthorizedClientService.class);
			assertThat(context).hasSingleBean(TokenKitOAuth2AuthorizedClientProvider.class);
		});
	}

	@Test
	void servletWhenRemoveOnLogoutOffThenNoListener() {
		this.servlet.withPropertyValues("tokenkit.remove-on-logout=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TokenKitLogoutListener.class));
	}

	@Test
	void reactiveWhenRegistrationsServedThenTokenKitServiceProviderAndLogoutHandler() {
		new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(PROPERTIES)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(ReactiveOAuth2AuthorizedClientService.class))
					.isInstanceOf(TokenKitReactiveOAuth2AuthorizedClientService.class);
				assertThat(context).hasSingleBean(TokenKitReactiveOAuth2AuthorizedClientProvider.class)
					.hasSingleBean(TokenKitServerLogoutHandler.class)
					.doesNotHaveBean(OAuth2AuthorizedClientService.class);
			});
	}

	@Test
	void whenNoRegistrationServedThenNothingOfSpringSecurityIsTouched() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(PROPERTIES[0], PROPERTIES[1], PROPERTIES[2], PROPERTIES[3], PROPERTIES[4],
					PROPERTIES[5])
			.run((context) -> {
				assertThat(context).doesNotHaveBean(TokenKitOAuth2AuthorizedClientProvider.class);
				assertThat(context.getBean(OAuth2AuthorizedClientService.class))
					.isInstanceOf(InMemoryOAuth2AuthorizedClientService.class);
			});
	}

	@Test
	void whenSpringSecurityClientIsMissingThenTokenKitStartsWithRequestAttributes() {
		this.servlet.withClassLoader(new FilteredClassLoader(ClientRegistration.class)).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(TokenKitOAuth2AuthorizedClientProvider.class);
			assertThat(context.getBean(TokenManager.class).getRegistration("bank").keyResolver())
				.isSameAs(TokenKeyResolver.attributes());
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnService {

		@Bean
		OAuth2AuthorizedClientService ownService(ClientRegistrationRepository registrations) {
			return new InMemoryOAuth2AuthorizedClientService(registrations);
		}

	}

}
