package io.tokenkit.autoconfigure.service;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.autoconfigure.restclient.TokenKitRestClientAutoConfiguration;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.support.WebClientHttpServiceGroupConfigurer;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;

/**
 * Auto-configuration of TokenKit for Spring's HTTP service groups: a
 * {@link RestClientHttpServiceGroupConfigurer} and a
 * {@link WebClientHttpServiceGroupConfigurer} that add a registration's tokens to the
 * client of each group that has one, by
 * {@code tokenkit.service-groups.<group>.registration} or by annotation
 * ({@link TokenKitServiceGroups}).
 */
@AutoConfiguration(after = { TokenKitAutoConfiguration.class, TokenKitRestClientAutoConfiguration.class })
@ConditionalOnClass({ HttpServiceGroupConfigurer.class, WebClient.class })
@ConditionalOnBean(TokenManager.class)
public final class TokenKitHttpServiceGroupAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(RestClientHttpServiceGroupConfigurer.class)
	@ConditionalOnBean(BearerTokenInterceptors.class)
	static final class RestClientGroups {

		@Bean
		@ConditionalOnMissingBean(name = "tokenKitRestClientHttpServiceGroupConfigurer")
		RestClientHttpServiceGroupConfigurer tokenKitRestClientHttpServiceGroupConfigurer(TokenKitProperties properties,
				TokenManager manager, BearerTokenInterceptors interceptors) {
			TokenKitServiceGroups groups = new TokenKitServiceGroups(properties, manager);
			return (configured) -> groups.configure(configured,
					(builder) -> builder.requestInterceptor(interceptors.byRegistrationAttribute()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(WebClientHttpServiceGroupConfigurer.class)
	@ConditionalOnBean(BearerTokenFilters.class)
	static final class WebClientGroups {

		@Bean
		@ConditionalOnMissingBean(name = "tokenKitWebClientHttpServiceGroupConfigurer")
		WebClientHttpServiceGroupConfigurer tokenKitWebClientHttpServiceGroupConfigurer(TokenKitProperties properties,
				TokenManager manager, BearerTokenFilters filters) {
			TokenKitServiceGroups groups = new TokenKitServiceGroups(properties, manager);
			return (configured) -> groups.configure(configured,
					(builder) -> builder.filter(filters.byRegistrationAttribute()));
		}

	}

}
