package io.tokenkit.autoconfigure.restclient;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitRestClientsRegistrar;
import io.tokenkit.restclient.BearerTokenInterceptors;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of TokenKit for the blocking HTTP clients: the
 * {@link BearerTokenInterceptors} and one {@link RestClient} bean per
 * {@code tokenkit.clients} entry ({@link TokenKitRestClientsRegistrar}). Off without
 * WebFlux, like the {@link TokenManager} of {@link TokenKitAutoConfiguration}, whose
 * token calls use {@link WebClient}.
 */
@AutoConfiguration(after = TokenKitAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass({ RestClient.class, WebClient.class })
@ConditionalOnBean(TokenManager.class)
@Import(TokenKitRestClientsRegistrar.class)
public final class TokenKitRestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BearerTokenInterceptors tokenKitBearerTokenInterceptors(TokenManager manager,
			ObjectProvider<TokenEventListener> listeners) {
		return new BearerTokenInterceptors(manager, TokenKitAutoConfiguration.listener(listeners));
	}

}
