package io.tokenkit.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;

import io.tokenkit.observation.MicrometerTokenEventListener;
import io.tokenkit.observation.TokenRequestObservationConvention;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of TokenKit's observations ({@code tokenkit.token.requests}) and
 * meters ({@code tokenkit.token.cache}, {@code tokenkit.bearer.retries}). Switched off by
 * {@code tokenkit.observations.enabled=false}.
 */
@AutoConfiguration(
		afterName = { "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
				"org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(WebClient.class)
@ConditionalOnProperty(name = "tokenkit.observations.enabled", matchIfMissing = true)
public final class TokenKitObservationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBean(ObservationRegistry.class)
	TokenRequestObserver tokenKitTokenRequestObserver(ObservationRegistry registry,
			ObjectProvider<TokenRequestObservationConvention> convention) {
		return new TokenRequestObserver(registry, convention.getIfAvailable());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	@ConditionalOnBean(MeterRegistry.class)
	static class MeterConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MicrometerTokenEventListener tokenKitMicrometerTokenEventListener(MeterRegistry registry) {
			return new MicrometerTokenEventListener(registry);
		}

	}

}
