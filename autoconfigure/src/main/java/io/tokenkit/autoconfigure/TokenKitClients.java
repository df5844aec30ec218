package io.tokenkit.autoconfigure;

import java.net.URI;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.token.NoSuchRegistrationException;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import org.springframework.util.StringUtils;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.support.AutowireCandidateQualifier;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * What the registrars of {@code tokenkit.clients} beans share: binding the entries,
 * checking an entry's base URL and registration, and registering a bean qualified by the
 * entry's name.
 */
public final class TokenKitClients {

	/** The bean definition attribute that marks a client bean TokenKit registered. */
	private static final String CLIENT_ATTRIBUTE = TokenKitClients.class.getName() + ".client";

	private TokenKitClients() {
	}

	/**
	 * Return the {@code tokenkit.clients} entries by name.
	 * @param environment the environment
	 * @return the entries
	 */
	static Map<String, TokenKitProperties.Client> bind(Environment environment) {
		return Binder.get(environment)
			.bind("tokenkit.clients", Bindable.mapOf(String.class, TokenKitProperties.Client.class))
			.orElse(Map.of());
	}

	/**
	 * Register a client bean qualified by {@code name}, unless the application already
	 * defines a bean of that name. The bean is made by a static factory method whose
	 * first argument is the client's name, followed by {@code arguments}; its remaining
	 * parameters are autowired. A definition of this form, unlike one with an instance
	 * supplier, can be processed ahead of time by Spring AOT.
	 * @param registry the registry
	 * @param beanName the bean name
	 * @param name the client's name, its qualifier and the factory method's first
	 * argument
	 * @param factoryClass the class that declares the factory method
	 * @param factoryMethodName the name of the static factory method, which must not be
	 * overloaded
	 * @param arguments the factory method's arguments after the name
	 */
	static void register(BeanDefinitionRegistry registry, String beanName, String name, Class<?> factoryClass,
			String factoryMethodName, Object... arguments) {
		if (registry.containsBeanDefinition(beanName)) {
			return;
		}
		RootBeanDefinition definition = new RootBeanDefinition(factoryClass);
		definition.setUniqueFactoryMethodName(factoryMethodName);
		definition.setAutowireMode(AutowireCapableBeanFactory.AUTOWIRE_CONSTRUCTOR);
		ConstructorArgumentValues values = definition.getConstructorArgumentValues();
		values.addIndexedArgumentValue(0, name);
		for (int i = 0; i < arguments.length; i++) {
			values.addIndexedArgumentValue(i + 1, arguments[i]);
		}
		definition.addQualifier(new AutowireCandidateQualifier(Qualifier.class, name));
		definition.setAttribute(CLIENT_ATTRIBUTE, name);
		registry.registerBeanDefinition(beanName, definition);
	}

	/**
	 * Return the {@code tokenkit.clients} entry of a client whose bean is being created,
	 * as bound when the application starts.
	 * @param beanFactory the bean factory
	 * @param name the client's name
	 * @return the entry
	 */
	static TokenKitProperties.Client client(BeanFactory beanFactory, String name) {
		TokenKitProperties.Client client = beanFactory.getBean(TokenKitProperties.class).getClients().get(name);
		if (client == null) {
			// only an application processed ahead of time, whose bean definitions were
			// fixed by the properties at build time, gets here
			throw new InvalidTokenKitPropertyException(prefix(name) + "base-url", null,
					"the application was processed ahead of time (Spring AOT) with this client, and it is not "
							+ "configured when it runs",
					"Configure tokenkit.clients." + name + ".* when the application runs as when it was built, "
							+ "or build it again without the client.");
		}
		return client;
	}

	/**
	 * Return whether the bean of this name is a client TokenKit registered.
	 * @param registry the registry
	 * @param beanName the bean name
	 * @return whether TokenKit registered it
	 */
	static boolean registeredByTokenKit(BeanDefinitionRegistry registry, String beanName) {
		if (!registry.containsBeanDefinition(beanName)) {
			return false;
		}
		BeanDefinition definition = registry.getBeanDefinition(beanName);
		return definition.getAttribute(CLIENT_ATTRIBUTE) != null;
	}

	/**
	 * Return the checked base URL of a client, with a warning when it uses plain http to
	 * a host that is not a loopback address.
	 * @param name the client's name
	 * @param client the entry
	 * @param logger the logger of the warning, or {@code null} for no warning
	 * @return the base URL
	 */
	static String baseUrl(String name, TokenKitProperties.Client client, @Nullable Log logger) {
		String prefix = prefix(name);
		String baseUrl = InvalidTokenKitPropertyException.require(prefix + "base-url", client.getBaseUrl(),
				"for every client");
		URI url = InvalidTokenKitPropertyException.requireHttpUrl(prefix + "base-url", baseUrl, true,
				"Set it to the absolute URL of the API, for example https://api.example.com/v1.");
		if (logger != null) {
			TransportSecurity.warnIfInsecure(logger, name, prefix + "base-url", url);
		}
		return baseUrl;
	}

	/**
	 * Return the registration of a client, checked to exist by the token manager; with
	 * {@code propagation: exchange}, checked to exchange the incoming request's token.
	 * @param beanFactory the bean factory
	 * @param name the client's name
	 * @param client the entry
	 * @return the registration id, or {@code null} for a client that forwards the
	 * incoming token ({@code propagation: forward})
	 */
	static @Nullable String registration(BeanFactory beanFactory, String name, TokenKitProperties.Client client) {
		String property = prefix(name) + "registration";
		if (client.getPropagation() == TokenKitProperties.Propagation.FORWARD) {
			if (client.getRegistration() != null) {
				throw new InvalidTokenKitPropertyException(property, client.getRegistration(),
						"the client forwards the incoming request's bearer token (" + prefix(name)
								+ "propagation: forward) and sends no token of a registration",
						"Remove it, or set propagation to exchange to exchange the incoming token through it.");
			}
			return null;
		}
		boolean exchange = client.getPropagation() == TokenKitProperties.Propagation.EXCHANGE;
		String registration = InvalidTokenKitPropertyException.require(property, client.getRegistration(),
				exchange ? "with propagation exchange" : "for every client that does not forward");
		TokenRegistration known = known(beanFactory.getBean(TokenManager.class), property, registration,
				"Add tokenkit.registrations." + registration + ".* or name one of the known registrations.");
		if (exchange && !(known.keyResolver() instanceof SubjectTokenKeyResolver resolver
				&& resolver.readsIncomingToken())) {
			throw new InvalidTokenKitPropertyException(property, registration,
					"the client exchanges the incoming request's bearer token (" + prefix(name)
							+ "propagation: exchange), and this registration does not take it",
					"Name a registration of grant-type token-exchange (or a Spring Security registration of the "
							+ "token-exchange or jwt-bearer grant), or remove the propagation.");
		}
		return known.id();
	}

	/**
	 * Return the registration a property names, as the token manager, the one lookup of
	 * ids, knows it; an id it does not know stops start-up with a failure analysis naming
	 * the property and the known ids.
	 * @param manager the token manager
	 * @param property the property (or annotation) that names the registration
	 * @param registrationId the id it names
	 * @param action what to do when there is no such registration
	 * @return the registration
	 */
	public static TokenRegistration known(TokenManager manager, String property, String registrationId, String action) {
		try {
			return manager.getRegistration(registrationId);
		}
		catch (NoSuchRegistrationException ex) {
			throw new InvalidTokenKitPropertyException(property, registrationId,
					"no TokenKit registration '" + ex.getRegistrationId() + "'; known: " + ex.getKnownIds(), action);
		}
	}

	/**
	 * Return the SSL bundle whose client certificate a registration's resource calls
	 * present: its {@code client-key.ssl-bundle} when {@code client-key.resource-calls}
	 * is true, or unset and the registration authenticates with {@code tls_client_auth}
	 * or {@code self_signed_tls_client_auth} (its own or the reused Spring Security
	 * registration's), so that certificate-bound tokens (RFC 8705 §3) reach the resource
	 * server with their certificate.
	 * @param beanFactory the bean factory
	 * @param registrationId the registration id
	 * @return the bundle, or {@code null} for Boot's HTTP client settings
	 */
	static @Nullable SslBundle resourceCallBundle(BeanFactory beanFactory, @Nullable String registrationId) {
		TokenKitProperties.Registration registration = (registrationId != null)
				? beanFactory.getBean(TokenKitProperties.class).getRegistrations().get(registrationId) : null;
		if (registration == null || !StringUtils.hasText(registration.getClientKey().getSslBundle())) {
			return null;
		}
		Boolean resourceCalls = registration.getClientKey().getResourceCalls();
		boolean present = (resourceCalls != null) ? resourceCalls
				: mutualTls(beanFactory, registrationId, registration);
		if (!present) {
			return null;
		}
		String name = registration.getClientKey().getSslBundle();
		return ClientKeys.bundle("tokenkit.registrations." + registrationId + ".client-key.ssl-bundle", name,
				registration.getClientKey().getAlias(), beanFactory.getBeanProvider(SslBundles.class).getIfAvailable());
	}

	private static boolean mutualTls(BeanFactory beanFactory, String registrationId,
			TokenKitProperties.Registration registration) {
		if (!registration.isFromSpringSecurity()
				&& !beanFactory.getBean(TokenKitProperties.class).isSpringSecurityRegistrations()) {
			return registration.getClientAuthentication().isMutualTls();
		}
		String method = Binder.get(beanFactory.getBean(Environment.class))
			.bind(SpringSecurityRegistrations.PREFIX + "registration." + registrationId
					+ ".client-authentication-method", Bindable.of(String.class))
			.orElse(registration.getClientAuthentication().registeredName());
		return ClientAuthenticationMethod.TLS_CLIENT_AUTH.registeredName().equalsIgnoreCase(method.strip())
				|| ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH.registeredName()
					.equalsIgnoreCase(method.strip());
	}

	/**
	 * Return the property prefix of a client, {@code tokenkit.clients.<name>.}.
	 * @param name the client's name
	 * @return the prefix
	 */
	static String prefix(String name) {
		return "tokenkit.clients." + name + ".";
	}

}
