package io.tokenkit.autoconfigure.propagation;

import io.tokenkit.propagation.IncomingBearerToken;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of Spring's {@link ServerWebExchangeContextFilter} in a reactive web
 * application where TokenKit reads the incoming request's bearer token (a client with
 * {@code propagation}, or a token-exchange registration): the filter puts each request's
 * exchange in the Reactor context, where {@link IncomingBearerToken} reads its
 * {@code Authorization} header when Spring Security holds no authentication (an
 * application without Spring Security). An application's own filter bean wins. Like every
 * TokenKit auto-configuration, it needs WebFlux's {@link WebClient}.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ WebClient.class, ServerWebExchangeContextFilter.class, IncomingBearerToken.class })
@Conditional(OnIncomingTokenCondition.class)
public final class TokenKitWebFluxPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ServerWebExchangeContextFilter tokenKitServerWebExchangeContextFilter() {
		return new ServerWebExchangeContextFilter();
	}

}
