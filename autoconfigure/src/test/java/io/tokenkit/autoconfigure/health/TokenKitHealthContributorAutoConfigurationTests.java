package io.tokenkit.autoconfigure.health;

import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.health.TokenRegistrationHealthIndicator;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.NoTokenForSubjectException;
import io.tokenkit.token.SubjectRequiredException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenKitHealthContributorAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
				TokenKitHealthContributorAutoConfiguration.class))
		.withPropertyValues("tokenkit.registrations.orders.grant-type=static",
				"tokenkit.registrations.orders.token=static-token",
				"tokenkit.registrations.users.grant-type=refresh_token",
				"tokenkit.registrations.users.token-uri=https://auth.example.com/oauth2/token",
				"tokenkit.registrations.users.client-id=users-app",
				"tokenkit.registrations.users.client-secret=s3cret");

	@Test
	void autoConfigurationWhenHealthOnClassPathThenTokenkitContributorPerRegistration() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasBean("tokenkitHealthContributor");
				HealthContributor tokenkit = context.getBean(HealthContributorRegistry.class)
					.getContributor("tokenkit");
				assertThat(tokenkit).isInstanceOf(CompositeHealthContributor.class);
				CompositeHealthContributor composite = (CompositeHealthContributor) tokenkit;
				assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactly("orders", "users");
				assertThat(composite.getContributor("orders")).isInstanceOf(TokenRegistrationHealthIndicator.class);
				context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block();
				Health orders = ((HealthIndicator) composite.getContributor("orders")).health();
				assertThat(orders.getStatus()).isEqualTo(Status.UP);
				assertThat(orders.getDetails()).containsEntry("lastAcquisition", "success");
			});
	}

	@Test
	void healthWhenPerUserClientIsCalledWithoutSubjectOrForAUserWhoNeverConnectedThenStillUp() {
		this.contextRunner.withConfiguration(AutoConfigurations.of(HealthContributorRegistryAutoConfiguration.class))
			.withPropertyValues("tokenkit.clients.users.base-url=https://api.example.com",
					"tokenkit.clients.users.registration=users")
			.run((context) -> {
				WebClient users = context.getBean("usersWebClient", WebClient.class);
				// a programming slip: no subject on a request of a per-user registration
				assertThatExceptionOfType(SubjectRequiredException.class)
					.isThrownBy(() -> users.get().uri("/accounts").retrieve().toBodilessEntity().block())
					.withMessageContaining("Registration 'users'")
					.withMessageContaining("io.tokenkit.token.TokenRequestAttributes.subject");
				// a user who never connected
				assertThatExceptionOfType(NoTokenForSubjectException.class)
					.isThrownBy(() -> users.get()
						.uri("/accounts")
						.attributes(TokenRequestAttributes.subject("dave"))
						.retrieve()
						.toBodilessEntity()
						.block())
					.withMessageContaining("TokenManager.save");
				CompositeHealthContributor tokenkit = (CompositeHealthContributor) context
					.getBean(HealthContributorRegistry.class)
					.getContributor("tokenkit");
				Health health = ((HealthIndicator) tokenkit.getContributor("users")).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("lastAcquisition", "none")
					.doesNotContainKey("coolingDownUntil");
			});
	}

	@Test
	void autoConfigurationWhenDisabledByPropertyThenNoContributor() {
		this.contextRunner.withPropertyValues("management.health.tokenkit.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(TokenManager.class)
				.doesNotHaveBean("tokenkitHealthContributor")
				.doesNotHaveBean(HealthContributor.class));
	}

	@Test
	void autoConfigurationWhenHealthDefaultsDisabledThenNoContributor() {
		this.contextRunner.withPropertyValues("management.health.defaults.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("tokenkitHealthContributor"));
	}

	@Test
	void autoConfigurationWhenDefaultsDisabledButTokenkitEnabledThenContributor() {
		this.contextRunner
			.withPropertyValues("management.health.defaults.enabled=false", "management.health.tokenkit.enabled=true")
			.run((context) -> assertThat(context).hasBean("tokenkitHealthContributor"));
	}

	@Test
	void autoConfigurationWhenHealthNotOnClassPathThenNoContributor() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
			.run((context) -> assertThat(context).hasSingleBean(TokenManager.class)
				.doesNotHaveBean("tokenkitHealthContributor"));
	}

	@Test
	void autoConfigurationWhenNoTokenManagerThenNoContributor() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TokenKitHealthContributorAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("tokenkitHealthContributor"));
	}

	@Test
	void autoConfigurationWhenUserTokenManagerThenContributorForItsRegistrations() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TokenKitHealthContributorAutoConfiguration.class))
			.withUserConfiguration(UserTokenManager.class)
			.run((context) -> {
				CompositeHealthContributor composite = context.getBean("tokenkitHealthContributor",
						CompositeHealthContributor.class);
				assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactly("partner");
			});
	}

	@Test
	void autoConfigurationWhenUserDefinesTokenkitHealthContributorThenBacksOff() {
		this.contextRunner.withUserConfiguration(UserHealthContributor.class)
			.run((context) -> assertThat(context.getBean("tokenkitHealthContributor"))
				.isSameAs(UserHealthContributor.INDICATOR));
	}

	@Test
	void autoConfigurationWhenUserDefinesTokenkitHealthIndicatorThenBacksOff() {
		this.contextRunner.withUserConfiguration(UserHealthIndicator.class)
			.run((context) -> assertThat(context).hasBean("tokenkitHealthIndicator")
				.doesNotHaveBean("tokenkitHealthContributor"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTokenManager {

		@Bean
		TokenManager partnerTokenManager() {
			return new TokenManager(
					List.of(TokenRegistration.of("partner",
							(key) -> Mono.just(AccessToken.withValue("partner-token").build()))),
					new InMemoryTokenStore());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthContributor {

		static final HealthIndicator INDICATOR = () -> Health.up().build();

		@Bean
		HealthIndicator tokenkitHealthContributor() {
			return INDICATOR;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserHealthIndicator {

		@Bean
		HealthIndicator tokenkitHealthIndicator() {
			return () -> Health.up().build();
		}

	}

}
