package io.tokenkit.autoconfigure;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.util.ClassUtils;
import org.springframework.web.client.RestClient;

import io.tokenkit.propagation.ForwardingBearerTokenInterceptor;
import io.tokenkit.propagation.IncomingBearerToken;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.restclient.BearerTokenInterceptors;

/**
 * Registers one {@link RestClient} bean per {@code tokenkit.clients.<name>} entry, named
 * {@code <name>RestClient} and qualified by {@code <name>}, built from Boot's
 * {@code RestClient.Builder} (so that Boot's observations, message converters, SSL bundle
 * and timeouts apply) with the base URL and the bearer interceptor of its registration.
 * An entry without a {@code type} gets one when Boot's {@code RestClient.Builder} bean is
 * defined (not in a reactive web application), beside its {@code WebClient}; an entry of
 * {@code type: rest-client} always gets one, and fails to start without the builder; an
 * entry of {@code type: web-client} never does. A bean the application already defines
 * under that name wins. Like the {@code WebClient} beans, these clients never follow a
 * redirect, so that the token never reaches the host a redirect points to.
 * <p>
 * Each bean is defined by a static factory method of this class rather than an instance
 * supplier, so that Spring AOT can process the definitions: in an application processed
 * ahead of time the entries present at build time decide which beans exist, and each
 * entry's base URL and registration are read when the application starts.
 */
public class TokenKitRestClientsRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

	private static final boolean BOOT_HTTP_CLIENT_PRESENT = ClassUtils.isPresent(
			"org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder",
			TokenKitRestClientsRegistrar.class.getClassLoader());

	private static final Log logger = LogFactory.getLog(TokenKitRestClientsRegistrar.class);

	private Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
		// Boot's RestClientAutoConfiguration runs before this one: its builder is defined
		// by now unless its conditions (a reactive web application) left it out
		boolean builderDefined = ((ListableBeanFactory) registry).getBeanNamesForType(RestClient.Builder.class, true,
				false).length > 0;
		TokenKitClients.bind(this.environment).forEach((name, client) -> {
			TokenKitProperties.ClientType type = client.getType();
			if (type == TokenKitProperties.ClientType.WEB_CLIENT || (type == null && !builderDefined)) {
				return;
			}
			// one warning per client: the WebClient bean of an entry without a type gives
			// it
			boolean warn = !TokenKitClients.registeredByTokenKit(registry, name + "WebClient");
			TokenKitClients.register(registry, name + "RestClient", name, TokenKitRestClientsRegistrar.class,
					"restClient", warn);
		});
	}

	/**
	 * Create the RestClient of a {@code tokenkit.clients} entry: the factory method of
	 * the bean definitions this registrar registers.
	 * @param name the client's name
	 * @param warn whether to warn about a base URL over plain http (the WebClient of the
	 * same entry warns otherwise)
	 * @param beanFactory the bean factory
	 * @return the client
	 */
	static RestClient restClient(String name, boolean warn, BeanFactory beanFactory) {
		TokenKitProperties.Client client = TokenKitClients.client(beanFactory, name);
		String baseUrl = TokenKitClients.baseUrl(name, client, warn ? logger : null);
		String registration = TokenKitClients.registration(beanFactory, name, client);
		BearerTokenInterceptors interceptors = beanFactory.getBean(BearerTokenInterceptors.class);
		RestClient.Builder builder = beanFactory.getBeanProvider(RestClient.Builder.class).getIfAvailable();
		if (builder == null) {
			throw new InvalidTokenKitPropertyException(TokenKitClients.prefix(name) + "type", "rest-client",
					"TokenKit builds RestClient beans with Spring Boot's RestClient.Builder, and there is no such bean "
							+ "(Boot defines none in a reactive web application)",
					"Add spring-boot-starter-restclient in a servlet or non-web application, or set the type to web-client.");
		}
		if (BOOT_HTTP_CLIENT_PRESENT) {
			builder.requestFactory(NoRedirectRequestFactory.create(beanFactory,
					TokenKitClients.resourceCallBundle(beanFactory, registration)));
		}
		return builder.baseUrl(baseUrl)
			.requestInterceptor((registration != null) ? interceptors.interceptor(registration)
					: new ForwardingBearerTokenInterceptor(name, IncomingBearerToken.fromRequest(),
							URI.create(baseUrl)))
			.build();
	}

	/**
	 * Builds the request factory of a {@code tokenkit.clients} RestClient: Boot's request
	 * factory builder and HTTP client settings (timeouts, SSL bundle), with redirects
	 * never followed. An interceptor does not see a redirect the HTTP client follows, and
	 * a header such as {@code x-access-token} would go to the host it points to; the 3xx
	 * answer reaches the caller instead.
	 */
	private static final class NoRedirectRequestFactory {

		static ClientHttpRequestFactory create(BeanFactory beanFactory, @Nullable SslBundle sslBundle) {
			ClientHttpRequestFactoryBuilder<?> factoryBuilder = beanFactory
				.getBeanProvider(ClientHttpRequestFactoryBuilder.class)
				.getIfAvailable(ClientHttpRequestFactoryBuilder::detect);
			HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class)
				.getIfAvailable(HttpClientSettings::defaults);
			settings = settings.withRedirects(HttpRedirects.DONT_FOLLOW);
			return factoryBuilder.build((sslBundle != null) ? settings.withSslBundle(sslBundle) : settings);
		}

	}

}
