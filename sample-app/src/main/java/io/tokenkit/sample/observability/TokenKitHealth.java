package io.tokenkit.sample.observability;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenManager;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code tokenkit} health contributor: one indicator per TokenKit registration, at
 * {@code /actuator/health/tokenkit/<registration>}. A registration is {@code UP} until an
 * acquisition fails, and {@code UP} again after the next success. Details: the last
 * acquisition's outcome ({@code none}, {@code success} or {@code failure}), whether it
 * was a refresh, when it finished, its error type, and the seconds to expiry of the last
 * token obtained. Never a token, a refresh token or a subject.
 */
@Configuration(proxyBeanMethods = false)
public class TokenKitHealth {

	@Bean("tokenkit")
	CompositeHealthContributor tokenKitHealthContributor(TokenManager manager, TokenActivity activity) {
		return contributor(manager, activity, Clock.systemUTC());
	}

	static CompositeHealthContributor contributor(TokenManager manager, TokenActivity activity, Clock clock) {
		Map<String, HealthIndicator> indicators = new LinkedHashMap<>();
		manager.getRegistrations().keySet().forEach((id) -> indicators.put(id, () -> health(activity.last(id), clock)));
		return CompositeHealthContributor.fromMap(indicators);
	}

	static Health health(TokenActivity.@Nullable Last last, Clock clock) {
		if (last == null) {
			return Health.up().withDetail("lastAcquisition", "none").build();
		}
		Health.Builder builder = last.success() ? Health.up() : Health.down();
		builder.withDetail("lastAcquisition", last.success() ? "success" : "failure")
			.withDetail("refresh", last.refresh())
			.withDetail("lastAcquisitionAt", last.at().toString());
		if (last.errorType() != null) {
			builder.withDetail("error", last.errorType());
		}
		if (last.expiresAt() != null) {
			builder.withDetail("secondsToExpiry",
					Math.max(0, Duration.between(clock.instant(), last.expiresAt()).toSeconds()));
		}
		return builder.build();
	}

}
