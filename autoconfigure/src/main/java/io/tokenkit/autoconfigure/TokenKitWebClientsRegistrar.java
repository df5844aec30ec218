package io.tokenkit.autoconfigure;

import java.net.URI;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.ClientRequestObservationConvention;
import org.springframework.web.reactive.function.client.WebClient;

import io.tokenkit.observation.RedactingClientRequestObservationConvention;
import io.tokenkit.web.BearerTokenFilters;

/**
 * Registers one {@link WebClient} bean per {@code tokenkit.clients.<name>} entry, named
 * {@code <name>WebClient} and qualified by {@code <name>}, built from Boot's
 * {@code WebClient.Builder} with the base URL and the bearer filter of its registration.
 * A bean the application already defines under that name wins. These clients never follow
 * a redirect, whatever {@code spring.http.clients.redirects} says, so that the token
 * never reaches the host a redirect points to; the 3xx answer reaches the caller. Unless
 * the application declares a {@link ClientRequestObservationConvention} bean, their
 * {@code http.client.requests} observations carry no URL query
 * ({@link RedactingClientRequestObservationConvention}).
 */
class TokenKitWebClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private static final boolean BOOT_HTTP_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
			TokenKitWebClientsRegistrar.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(TokenKitWebClientsRegistrar.class);

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		Map<String, TokenKitProperties.Client> clients = Binder.get(this.environment)
			.bind("tokenkit.clients", Bindable.mapOf(String.class, TokenKitProperties.Client.class))
			.orElse(Map.of());
		BeanFactory beanFactory = (BeanFactory) registry;
		clients.forEach((name, client) -> {
			String beanName = name + "WebClient";
			if (registry.containsBeanDefinition(beanName)) {
				return;
			}
			RootBeanDefinition definition = new RootBeanDefinition(WebClient.class);
			definition.setInstanceSupplier(() -> create(beanFactory, name, client));
			definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
			registry.registerBeanDefinition(beanName, definition);
		});
	}

	private static WebClient create(BeanFactory beanFactory, String name, TokenKitProperties.Client client) {
		String prefix = "tokenkit.clients." + name + ".";
		String baseUrl = InvalidTokenKitPropertyException.require(prefix + "base-url", client.getBaseUrl(),
				"for every client");
		URI url = InvalidTokenKitPropertyException.requireHttpUrl(prefix + "base-url", baseUrl, true,
				"Set it to the absolute URL of the API, for example https://api.example.com/v1.");
		TransportSecurity.warnIfInsecure(logger, name, prefix + "base-url", url);
		String registration = InvalidTokenKitPropertyException.require(prefix + "registration",
				client.getRegistration(), "for every client");
		TokenKitProperties properties = beanFactory.getBean(TokenKitProperties.class);
		if (!properties.getRegistrations().containsKey(registration)) {
			throw new InvalidTokenKitPropertyException(prefix + "registration", registration,
					"there is no registration with that id (known: " + properties.getRegistrations().keySet() + ")",
					"Add tokenkit.registrations." + registration + ".* or name one of the known registrations.");
		}
		BearerTokenFilters filters = beanFactory.getBean(BearerTokenFilters.class);
		WebClient.Builder builder = TokenKitAutoConfiguration
			.requireBuilder(beanFactory.getBeanProvider(WebClient.Builder.class), prefix + "base-url");
		if (BOOT_HTTP_CLIENT_PRESENT) {
			builder.clientConnector(NoRedirectConnector.create(beanFactory));
		}
		if (beanFactory.getBeanProvider(ClientRequestObservationConvention.class).getIfAvailable() == null) {
			builder.observationConvention(new RedactingClientRequestObservationConvention());
		}
		return builder.baseUrl(baseUrl).filter(filters.filter(registration)).build();
	}

	/**
	 * Builds the connector of a {@code tokenkit.clients} WebClient: Boot's connector
	 * builder and HTTP client settings (timeouts, SSL bundle), with redirects never
	 * followed. Reactor Netty drops {@code Authorization} when it follows a redirect to
	 * another host, but not a header such as {@code x-access-token}; and the bearer
	 * filter cannot see a redirect the connector follows. A 3xx answer reaches the caller
	 * instead.
	 */
	private static final class NoRedirectConnector {

		@SuppressWarnings("unchecked")
		static ClientHttpConnector create(BeanFactory beanFactory) {
			ClientHttpConnectorBuilder<?> connectorBuilder = (ClientHttpConnectorBuilder<?>) beanFactory
				.getBeanProvider(ClientHttpConnectorBuilder.class)
				.getIfAvailable(ClientHttpConnectorBuilder::detect);
			HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class)
				.getIfAvailable(HttpClientSettings::defaults);
			return connectorBuilder.build(settings.withRedirects(HttpRedirects.DONT_FOLLOW));
		}

	}

}
