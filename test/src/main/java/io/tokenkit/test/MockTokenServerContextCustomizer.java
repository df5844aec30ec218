package io.tokenkit.test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import io.tokenkit.test.sandbox.AuthleteSandbox;
import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.test.sandbox.SaasusSandbox;
import io.tokenkit.test.sandbox.Sandbox;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName.Form;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Starts the servers of
 * {@link AutoConfigureMockTokenServer @AutoConfigureMockTokenServer} (and the vendor
 * sandboxes it lists) for one application context, registers them as beans closed with
 * the context, and adds a property source, first in line, that points TokenKit's
 * properties at them. Equal for equal annotations, so that Spring's test context cache
 * shares the context.
 */
final class MockTokenServerContextCustomizer implements ContextCustomizer {

	/** The name of the property source this customizer adds. */
	static final String PROPERTY_SOURCE_NAME = "mockTokenServer";

	/** The bean name of the {@link MockTokenServer}. */
	static final String TOKEN_SERVER_BEAN_NAME = "mockTokenServer";

	/** The bean name of the {@link MockResourceServer}. */
	static final String RESOURCE_SERVER_BEAN_NAME = "mockResourceServer";

	/** The prefix of the registrations' properties. */
	private static final ConfigurationPropertyName REGISTRATIONS = ConfigurationPropertyName
		.of("tokenkit.registrations");

	/**
	 * The registration properties pointed at the mock token server when the environment
	 * has them, by their uniform name (lower case, no dashes, as Spring Boot compares
	 * names), with the canonical name written and the URL each gets for a registration
	 * id.
	 */
	private static final Map<String, Map.Entry<String, BiFunction<MockTokenServer, String, String>>> ENDPOINT_PROPERTIES = Map
		.of("tokenuri", Map.entry("token-uri", MockTokenServer::tokenUri), "issueruri",
				Map.entry("issuer-uri", MockTokenServer::issuerUri));

	/** A registration id written with dots: {@code tokenkit.registrations.<id>.…}. */
	private static final Pattern PLAIN_ID = Pattern.compile("[a-z0-9][a-z0-9-]*");

	private final Set<String> registrations;

	private final Set<String> clients;

	private final Set<Sandbox> sandboxes = EnumSet.noneOf(Sandbox.class);

	MockTokenServerContextCustomizer(AutoConfigureMockTokenServer annotation) {
		this.registrations = new TreeSet<>(Arrays.asList(annotation.registrations()));
		this.clients = new TreeSet<>(Arrays.asList(annotation.clients()));
		this.sandboxes.addAll(Arrays.asList(annotation.sandboxes()));
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		MockTokenServer tokenServer = MockTokenServer.start();
		MockResourceServer resourceServer = MockResourceServer.start(tokenServer);
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		register(beanFactory, TOKEN_SERVER_BEAN_NAME, tokenServer);
		register(beanFactory, RESOURCE_SERVER_BEAN_NAME, resourceServer);
		ConfigurableEnvironment environment = context.getEnvironment();
		Map<String, Object> properties = properties(environment, tokenServer, resourceServer);
		for (Sandbox sandbox : this.sandboxes) {
			properties.putAll(startSandbox(sandbox, environment, beanFactory));
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	/**
	 * Start a sandbox, register it as a bean closed with the context, and return the
	 * properties that point TokenKit at it.
	 */
	private static Map<String, String> startSandbox(Sandbox sandbox, ConfigurableEnvironment environment,
			ConfigurableListableBeanFactory beanFactory) {
		return switch (sandbox) {
			case SAASUS -> {
				SaasusSandbox saasus = SaasusSandbox.start();
				register(beanFactory, sandbox.beanName(), saasus);
				yield saasus.properties();
			}
			case GMO_AOZORA -> {
				GmoAozoraSandbox.Builder builder = GmoAozoraSandbox.builder();
				String redirectUri = environment.getProperty("tokenkit.gmo-aozora.redirect-uri");
				if (redirectUri != null) {
					builder.redirectUri(redirectUri);
				}
				if (environment.getProperty("tokenkit.gmo-aozora.pkce", Boolean.class, false)) {
					builder.requirePkce();
				}
				if (environment.getProperty("tokenkit.gmo-aozora.par", Boolean.class, false)) {
					builder.requirePushedAuthorization();
				}
				if (environment.getProperty("tokenkit.gmo-aozora.check-iss", Boolean.class, false)) {
					builder.sendIss();
				}
				GmoAozoraSandbox bank = builder.start();
				register(beanFactory, sandbox.beanName(), bank);
				yield bank.properties();
			}
			case AUTHLETE -> {
				AuthleteSandbox authlete = AuthleteSandbox.start();
				register(beanFactory, sandbox.beanName(), authlete);
				yield authlete.properties();
			}
		};
	}

	private Map<String, Object> properties(ConfigurableEnvironment environment, MockTokenServer tokenServer,
			MockResourceServer resourceServer) {
		Map<String, Object> properties = new LinkedHashMap<>();
		for (String id : this.registrations) {
			properties.put(registrationProperty(id, "token-uri"), tokenServer.tokenUri(id));
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream().forEach((name) -> pointAtServer(name, tokenServer, properties));
			}
		}
		for (String client : this.clients) {
			properties.put("tokenkit.clients." + client + ".base-url", resourceServer.baseUrl());
		}
		return properties;
	}

	/**
	 * Point a registration's endpoint property at the mock token server when {@code name}
	 * is one, in any form Spring Boot binds: dotted, bracketed
	 * ({@code tokenkit.registrations[my.api].tokenUri}) or an environment variable
	 * ({@code TOKENKIT_REGISTRATIONS_ORDERS_TOKENURI}).
	 */
	private static void pointAtServer(ConfigurationPropertyName name, MockTokenServer tokenServer,
			Map<String, Object> properties) {
		int elements = name.getNumberOfElements();
		if (elements < 4 || !REGISTRATIONS.isAncestorOf(name)) {
			return;
		}
		StringBuilder property = new StringBuilder();
		for (int i = 3; i < elements; i++) {
			property.append(name.getElement(i, Form.UNIFORM));
		}
		Map.Entry<String, BiFunction<MockTokenServer, String, String>> endpoint = ENDPOINT_PROPERTIES
			.get(property.toString());
		if (endpoint != null) {
			String id = name.getElement(2, Form.ORIGINAL);
			properties.put(registrationProperty(id, endpoint.getKey()), endpoint.getValue().apply(tokenServer, id));
		}
	}

	/**
	 * Return the name of a registration's property, with the id in brackets unless it is
	 * a plain lower-case name, so that an id with dots stays one id.
	 */
	private static String registrationProperty(String id, String property) {
		String element = PLAIN_ID.matcher(id).matches() ? "." + id : "[" + id + "]";
		return "tokenkit.registrations" + element + "." + property;
	}

	private static void register(ConfigurableListableBeanFactory beanFactory, String name, AutoCloseable server) {
		beanFactory.registerSingleton(name, server);
		if (beanFactory instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(name, server::close);
		}
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof MockTokenServerContextCustomizer customizer
				&& this.registrations.equals(customizer.registrations) && this.clients.equals(customizer.clients)
				&& this.sandboxes.equals(customizer.sandboxes);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.registrations, this.clients, this.sandboxes);
	}

}
