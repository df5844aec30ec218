package io.tokenkit.autoconfigure;

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

/**
 * Auto-configuration of TokenKit for the blocking HTTP clients: the
 * {@link BearerTokenInterceptors} and one {@link RestClient} bean per
 * {@code tokenkit.clients} entry ({@link TokenKitRestClientsRegistrar}).
 */
@AutoConfiguration(after = TokenKitAutoConfiguration.class,
		afterName = "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration")
@ConditionalOnClass(RestClient.class)
@ConditionalOnBean(TokenManager.class)
@Import(TokenKitRestClientsRegistrar.class)
public final class TokenKitRestClientAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	BearerTokenInterceptors tokenKitBearerTokenInterceptors(TokenKitProperties properties, TokenManager manager,
			ObjectProvider<TokenEventListener> listeners) {
		return new BearerTokenInterceptors(manager, TokenKitAutoConfiguration.headers(properties),
				TokenKitAutoConfiguration.listener(listeners));
	}

}
