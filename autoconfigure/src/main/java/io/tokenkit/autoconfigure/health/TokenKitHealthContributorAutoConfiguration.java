package io.tokenkit.autoconfigure.health;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.health.TokenRegistrationHealthIndicator;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code tokenkit} health contributor: one
 * {@link TokenRegistrationHealthIndicator} per registration of the {@link TokenManager},
 * at {@code /actuator/health/tokenkit/<registration>}. On with Spring Boot's health
 * support on the class path; switched off by
 * {@code management.health.tokenkit.enabled=false} (or
 * {@code management.health.defaults.enabled=false}).
 */
@AutoConfiguration(after = TokenKitAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(TokenManager.class)
public final class TokenKitHealthContributorAutoConfiguration {

	// on the method, so that its condition is read only with the health classes present
	@Bean
	@ConditionalOnEnabledHealthIndicator("tokenkit")
	@ConditionalOnMissingBean(name = { "tokenkitHealthIndicator", "tokenkitHealthContributor" })
	HealthContributor tokenkitHealthContributor(TokenManager manager) {
		return TokenRegistrationHealthIndicator.forEachRegistration(manager);
	}

}
