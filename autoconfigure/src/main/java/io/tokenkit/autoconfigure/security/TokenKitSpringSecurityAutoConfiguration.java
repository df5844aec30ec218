package io.tokenkit.autoconfigure.security;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenManager;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.env.Environment;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.web.server.authentication.logout.ServerLogoutHandler;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration that hands the tokens of Spring Security's login to TokenKit, for
 * the {@code authorization_code} registrations TokenKit serves from Spring Security: the
 * key of each request's token from the logged-in user, an authorized-client service
 * backed by TokenKit (in place of Spring Boot's in-memory one, and backing off to an
 * application's own), the provider that takes over the refresh of Spring Security's
 * authorized-client manager (unless the application has its own provider beans), and the
 * removal of a user's tokens on logout. Ordered before Spring Boot's OAuth 2.0 client
 * auto-configurations; Spring Security stays optional, and without WebFlux it backs off
 * with the rest of TokenKit.
 */
@AutoConfiguration(beforeName = {
		"org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientAutoConfiguration",
		"org.springframework.boot.security.oauth2.client.autoconfigure.reactive.ReactiveOAuth2ClientAutoConfiguration" })
@ConditionalOnClass({ ClientRegistration.class, WebClient.class })
@Conditional(OnSpringSecurityUserTokensCondition.class)
public final class TokenKitSpringSecurityAutoConfiguration {

	@Bean(TokenKitAutoConfiguration.SPRING_SECURITY_KEY_RESOLVER)
	@ConditionalOnMissingBean(name = TokenKitAutoConfiguration.SPRING_SECURITY_KEY_RESOLVER)
	static TokenKeyResolver tokenKitSpringSecurityKeyResolver() {
		return new PrincipalKeyResolver();
	}

	/**
	 * The beans of an application that is not a reactive web application, as Spring
	 * Boot's servlet OAuth 2.0 client.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(NotReactiveWebApplication.class)
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean(OAuth2AuthorizedClientService.class)
		TokenKitOAuth2AuthorizedClientService tokenKitAuthorizedClientService(TokenManager manager,
				ClientRegistrationRepository clientRegistrations, Environment environment) {
			return new TokenKitOAuth2AuthorizedClientService(manager, clientRegistrations,
					ServedRegistrations.of(environment, manager));
		}

		/**
		 * Spring Security's manager registrar uses an application's single
		 * {@code DelegatingOAuth2AuthorizedClientProvider} bean as it is, and builds its
		 * own chain around any other provider beans: with an application's provider bean,
		 * TokenKit adds none, so that the application's chain stays as it made it. The
		 * refresh stays TokenKit's: the clients TokenKit's service loads carry its
		 * current token and no refresh token.
		 */
		@Bean
		@ConditionalOnMissingBean(OAuth2AuthorizedClientProvider.class)
		TokenKitOAuth2AuthorizedClientProvider tokenKitAuthorizedClientProvider(TokenManager manager,
				Environment environment) {
			return new TokenKitOAuth2AuthorizedClientProvider(manager, ServedRegistrations.of(environment, manager));
		}

		@Bean
		@ConditionalOnMissingBean
		@ConditionalOnBooleanProperty(name = "tokenkit.remove-on-logout", matchIfMissing = true)
		TokenKitLogoutListener tokenKitLogoutListener(TokenManager manager, Environment environment) {
			return new TokenKitLogoutListener(manager, ServedRegistrations.of(environment, manager));
		}

	}

	/**
	 * The beans of an application that is not a servlet web application, as Spring Boot's
	 * reactive OAuth 2.0 client.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ReactiveOAuth2AuthorizedClientService.class, ServerLogoutHandler.class,
			reactor.core.publisher.Flux.class })
	@Conditional(NotServletWebApplication.class)
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean(ReactiveOAuth2AuthorizedClientService.class)
		TokenKitReactiveOAuth2AuthorizedClientService tokenKitReactiveAuthorizedClientService(TokenManager manager,
				ReactiveClientRegistrationRepository clientRegistrations, Environment environment) {
			return new TokenKitReactiveOAuth2AuthorizedClientService(manager, clientRegistrations,
					ServedRegistrations.of(environment, manager));
		}

		/**
		 * Backs off to an application's own provider beans, as the servlet one does.
		 */
		@Bean
		@ConditionalOnMissingBean(ReactiveOAuth2AuthorizedClientProvider.class)
		TokenKitReactiveOAuth2AuthorizedClientProvider tokenKitReactiveAuthorizedClientProvider(TokenManager manager,
				Environment environment) {
			return new TokenKitReactiveOAuth2AuthorizedClientProvider(manager,
					ServedRegistrations.of(environment, manager));
		}

		@Bean
		@ConditionalOnMissingBean
		TokenKitServerLogoutHandler tokenKitServerLogoutHandler(TokenManager manager, TokenKitProperties properties,
				Environment environment) {
			return new TokenKitServerLogoutHandler(manager, ServedRegistrations.of(environment, manager),
					properties.isRemoveOnLogout());
		}

	}

	static class NotReactiveWebApplication extends NoneNestedConditions {

		NotReactiveWebApplication() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
		static class Reactive {

		}

	}

	static class NotServletWebApplication extends NoneNestedConditions {

		NotServletWebApplication() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
		static class Servlet {

		}

	}

}
