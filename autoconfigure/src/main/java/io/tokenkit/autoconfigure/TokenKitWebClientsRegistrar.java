package io.tokenkit.autoconfigure;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.beans.factory.BeanClassLoaderAware;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
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
import io.tokenkit.propagation.ForwardingBearerTokenFilter;
import io.tokenkit.propagation.IncomingBearerToken;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.web.BearerTokenFilters;

/**
 * Registers one {@link WebClient} bean per {@code tokenkit.clients.<name>} entry, named
 * {@code <name>WebClient} and qualified by {@code <name>}, built from Boot's
 * {@code WebClient.Builder} with the base URL and the bearer filter of its registration.
 * A bean the application already defines under that name wins; an entry of
 * {@code type: rest-client} gets no WebClient bean (see
 * {@link TokenKitRestClientsRegistrar}). These clients never follow a redirect, whatever
 * {@code spring.http.clients.redirects} says, so that the token never reaches the host a
 * redirect points to; the 3xx answer reaches the caller. Unless the application declares
 * a {@link ClientRequestObservationConvention} bean, their {@code http.client.requests}
 * observations carry no URL query ({@link RedactingClientRequestObservationConvention}).
 * <p>
 * Each bean is defined by a static factory method of this class rather than an instance
 * supplier, so that Spring AOT can process the definitions: in an application processed
 * ahead of time the entries present at build time decide which beans exist, and each
 * entry's base URL and registration are read when the application starts.
 */
class TokenKitWebClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware, BeanClassLoaderAware {

	private static final boolean BOOT_HTTP_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder",
			TokenKitWebClientsRegistrar.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(TokenKitWebClientsRegistrar.class);

	private static final String REST_CLIENT = "org.springframework.web.client.RestClient";

	private Environment environment;

	private @Nullable ClassLoader classLoader;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setBeanClassLoader(ClassLoader classLoader) {
		this.classLoader = classLoader;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		TokenKitClients.bind(this.environment).forEach((name, client) -> {
			if (client.getType() == TokenKitProperties.ClientType.REST_CLIENT) {
				requireRestClient(name);
				return;
			}
			TokenKitClients.register(registry, name + "WebClient", name, TokenKitWebClientsRegistrar.class,
					"webClient");
		});
	}

	private void requireRestClient(String name) {
		if (!ClassUtils.isPresent(REST_CLIENT, this.classLoader)) {
			throw new InvalidTokenKitPropertyException(TokenKitClients.prefix(name) + "type", "rest-client",
					"RestClient (spring-web) is not on the class path",
					"Add spring-boot-starter-restclient, or remove the type to get a WebClient bean.");
		}
	}

	/**
	 * Create the WebClient of a {@code tokenkit.clients} entry: the factory method of the
	 * bean definitions this registrar registers.
	 * @param name the client's name
	 * @param beanFactory the bean factory
	 * @return the client
	 */
	static WebClient webClient(String name, BeanFactory beanFactory) {
		TokenKitProperties.Client client = TokenKitClients.client(beanFactory, name);
		String baseUrl = TokenKitClients.baseUrl(name, client, logger);
		String registration = TokenKitClients.registration(beanFactory, name, client);
		BearerTokenFilters filters = beanFactory.getBean(BearerTokenFilters.class);
		WebClient.Builder builder = TokenKitAutoConfiguration.requireBuilder(
				beanFactory.getBeanProvider(WebClient.Builder.class), TokenKitClients.prefix(name) + "base-url");
		if (BOOT_HTTP_CLIENT_PRESENT) {
			builder.clientConnector(NoRedirectConnector.create(beanFactory,
					TokenKitClients.resourceCallBundle(beanFactory, registration)));
		}
		if (beanFactory.getBeanProvider(ClientRequestObservationConvention.class).getIfAvailable() == null) {
			builder.observationConvention(new RedactingClientRequestObservationConvention());
		}
		return builder.baseUrl(baseUrl)
			.filter((registration != null) ? filters.filter(registration)
					: new ForwardingBearerTokenFilter(name, IncomingBearerToken.fromRequest(), URI.create(baseUrl)))
			.build();
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
		static ClientHttpConnector create(BeanFactory beanFactory, @Nullable SslBundle sslBundle) {
			ClientHttpConnectorBuilder<?> connectorBuilder = (ClientHttpConnectorBuilder<?>) beanFactory
				.getBeanProvider(ClientHttpConnectorBuilder.class)
				.getIfAvailable(ClientHttpConnectorBuilder::detect);
			HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class)
				.getIfAvailable(HttpClientSettings::defaults);
			settings = settings.withRedirects(HttpRedirects.DONT_FOLLOW);
			return connectorBuilder.build((sslBundle != null) ? settings.withSslBundle(sslBundle) : settings);
		}

	}

}
