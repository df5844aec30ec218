package io.tokenkit.autoconfigure;

import java.time.Clock;
import java.util.List;

import io.tokenkit.discovery.ServerMetadataClient;
import io.tokenkit.discovery.ServerMetadataRegistry;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenFilters;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of TokenKit's core: a {@link TokenManager} for the configured
 * registrations, the {@link BearerTokenFilters}, and one {@link WebClient} bean per
 * {@code tokenkit.clients} entry (unless its {@code type} is {@code rest-client}); the
 * blocking clients come from {@code restclient.TokenKitRestClientAutoConfiguration}.
 */
@AutoConfiguration(after = TokenKitObservationAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@EnableConfigurationProperties(TokenKitProperties.class)
@Import(TokenKitWebClientsRegistrar.class)
public final class TokenKitAutoConfiguration {

	/**
	 * The name of the bean of type {@link TokenKeyResolver}, when there is one, that
	 * finds the key of each request's token of the per-user registrations reused from
	 * Spring Security (the logged-in user's).
	 */
	public static final String SPRING_SECURITY_KEY_RESOLVER = "tokenKitSpringSecurityKeyResolver";

	@Bean
	static TokenKitPropertyChecks tokenKitPropertyChecks(Environment environment) {
		return new TokenKitPropertyChecks(environment);
	}

	@Bean
	@ConditionalOnMissingBean
	TokenStore tokenKitTokenStore(TokenKitProperties properties, ObjectProvider<Clock> clock) {
		return new InMemoryTokenStore(clock.getIfUnique(Clock::systemUTC),
				TokenKitPropertiesMapper.inMemoryMaxEntries(properties.getStore()));
	}

	@Bean
	@ConditionalOnMissingBean
	TokenRequestObserver tokenKitTokenRequestObserver() {
		return TokenRequestObserver.NOOP;
	}

	@Bean
	@ConditionalOnMissingBean(name = "tokenKitOAuth2RegistrationTokenSourceFactory")
	@Order(Ordered.LOWEST_PRECEDENCE)
	RegistrationTokenSourceFactory tokenKitOAuth2RegistrationTokenSourceFactory(TokenKitProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory, TokenRequestObserver observer,
			ObjectProvider<Clock> clock, ServerMetadataRegistry metadata) {
		return oauth2Factory(properties, webClientBuilder, beanFactory, observer, clock, metadata);
	}

	@Bean
	@ConditionalOnMissingBean(name = "tokenKitSubjectGrantRegistrationTokenSourceFactory")
	@Order(Ordered.LOWEST_PRECEDENCE)
	RegistrationTokenSourceFactory tokenKitSubjectGrantRegistrationTokenSourceFactory(TokenKitProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory, TokenRequestObserver observer,
			ObjectProvider<Clock> clock, ServerMetadataRegistry metadata, ObjectProvider<TokenManager> manager) {
		// actor tokens are asked of the manager when an exchange needs one, after it
		// exists
		return new SubjectGrantRegistrationTokenSourceFactory(
				oauth2Factory(properties, webClientBuilder, beanFactory, observer, clock, metadata),
				(registrationId) -> manager.getObject()
					.getToken(TokenKey.of(registrationId))
					.map(AccessToken::getTokenValue));
	}

	private static OAuth2RegistrationTokenSourceFactory oauth2Factory(TokenKitProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory, TokenRequestObserver observer,
			ObjectProvider<Clock> clock, ServerMetadataRegistry metadata) {
		TokenCallPolicy policy = TokenCallClients.policy(properties.getTokenCalls());
		return new OAuth2RegistrationTokenSourceFactory(
				() -> TokenCallClients.builder(webClientBuilder, beanFactory, policy, "tokenkit.registrations").build(),
				(bundle) -> TokenCallClients
					.builder(webClientBuilder, beanFactory, policy, "tokenkit.registrations", bundle)
					.build(),
				() -> beanFactory.getBeanProvider(SslBundles.class).getIfAvailable(), policy, observer,
				clock.getIfUnique(Clock::systemUTC), properties.isAllowInsecureHttp(),
				TokenLifetimeSettings.of(properties.getTokenLifetime()), metadata);
	}

	@Bean
	@ConditionalOnMissingBean
	ServerMetadataRegistry tokenKitServerMetadataRegistry(TokenKitProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory, ObjectProvider<Clock> clock) {
		TokenCallPolicy policy = TokenCallClients.policy(properties.getTokenCalls());
		return ServerMetadataRegistry.withClient(
				() -> new ServerMetadataClient(
						TokenCallClients.builder(webClientBuilder, beanFactory, policy, "tokenkit.registrations")
							.build(),
						policy, properties.isAllowInsecureHttp()),
				TokenKitPropertiesMapper.discoveryCoolDown(properties.getDiscovery()),
				clock.getIfUnique(Clock::systemUTC));
	}

	@Bean(TokenKitPropertyChecks.BUILT_IN_MANAGER)
	@ConditionalOnMissingBean
	TokenManager tokenKitTokenManager(TokenKitProperties properties, TokenStore store,
			ObjectProvider<RegistrationTokenSourceFactory> factories, ObjectProvider<TokenEventListener> listeners,
			ObjectProvider<Clock> clock, Environment environment,
			@Qualifier(SPRING_SECURITY_KEY_RESOLVER) ObjectProvider<TokenKeyResolver> springSecurityKeyResolver) {
		TokenKitPropertiesMapper.ManagerSettings settings = new TokenKitPropertiesMapper(properties,
				Binder.get(environment))
			.withUserKeyResolver(springSecurityKeyResolver.getIfAvailable())
			.asManagerSettings();
		List<TokenRegistration> registrations = TokenRegistrations.create(settings.definitions(),
				factories.orderedStream().toList(), settings.maxLifetime(), !(store instanceof InMemoryTokenStore));
		TokenManager manager = new TokenManager(registrations, store, clock.getIfUnique(Clock::systemUTC),
				listener(listeners), settings.acquireTimeout(), settings.coolDown());
		AcquisitionTimeLimits.warnWhenTokenCallsOutlast(manager, settings.tokenCalls(), settings.definitions());
		return manager;
	}

	@Bean
	@ConditionalOnMissingBean
	BearerTokenFilters tokenKitBearerTokenFilters(TokenManager manager, ObjectProvider<TokenEventListener> listeners) {
		return new BearerTokenFilters(manager, listener(listeners));
	}

	/**
	 * Return the listener beans as one listener, each isolated so that one that throws
	 * changes nothing for TokenKit.
	 */
	public static TokenEventListener listener(ObjectProvider<TokenEventListener> listeners) {
		return TokenEventListener.isolating(TokenEventListener.composite(listeners.orderedStream().toList()));
	}

	/**
	 * Return a copy of Boot's {@code WebClient.Builder}, explaining what to add when
	 * there is none.
	 * @param builder the builder provider
	 * @param property the property that configured what needs the builder
	 * @return a builder
	 */
	static WebClient.Builder requireBuilder(ObjectProvider<WebClient.Builder> builder, String property) {
		WebClient.Builder result = builder.getIfAvailable();
		if (result == null) {
			throw new InvalidTokenKitPropertyException(property, null,
					"TokenKit calls token endpoints and vendor APIs with Spring Boot's WebClient.Builder, and there is no such bean",
					"Depend on tokenkit-spring-boot-starter, or add spring-boot-starter-webclient.");
		}
		// a copy: what TokenKit sets (an mTLS connector) never reaches a singleton
		// builder
		return result.clone();
	}

}
