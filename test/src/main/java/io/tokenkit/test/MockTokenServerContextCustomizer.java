package io.tokenkit.test;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenkit.test.sandbox.AuthleteSandbox;
import io.tokenkit.test.sandbox.GmoAozoraSandbox;
import io.tokenkit.test.sandbox.SaasusSandbox;
import io.tokenkit.test.sandbox.Sandbox;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
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

	/**
	 * A registration property in any form Spring Boot binds
	 * ({@code tokenkit.registrations.orders.token-uri},
	 * {@code tokenkit.registrations[orders].tokenUri}, …): the id, then the property.
	 */
	private static final Pattern REGISTRATION_PROPERTY = Pattern
		.compile("tokenkit\\.registrations(?:\\.([^.\\[\\]]+)|\\[([^\\]]+)\\])\\.([a-zA-Z_-]+)");

	/**
	 * The registration properties pointed at the mock token server when the environment
	 * has them, by their canonical name, with the URL each gets for a registration id.
	 */
	private static final Map<String, BiFunction<MockTokenServer, String, String>> ENDPOINT_PROPERTIES = Map
		.of("token-uri", MockTokenServer::tokenUri, "issuer-uri", MockTokenServer::issuerUri);

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
		for (PropertySource<?> source : environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String name : enumerable.getPropertyNames()) {
					Matcher matcher = REGISTRATION_PROPERTY.matcher(name);
					if (matcher.matches()) {
						String id = (matcher.group(1) != null) ? matcher.group(1) : matcher.group(2);
						String property = canonical(matcher.group(3));
						BiFunction<MockTokenServer, String, String> endpoint = ENDPOINT_PROPERTIES.get(property);
						if (endpoint != null) {
							properties.put(registrationProperty(id, property), endpoint.apply(tokenServer, id));
						}
					}
				}
			}
		}
		for (String client : this.clients) {
			properties.put("tokenkit.clients." + client + ".base-url", resourceServer.baseUrl());
		}
		return properties;
	}

	private static String registrationProperty(String id, String property) {
		return "tokenkit.registrations." + id + "." + property;
	}

	/** Return Spring Boot's canonical (kebab-case, lower-case) form of a property. */
	private static String canonical(String property) {
		StringBuilder canonical = new StringBuilder();
		for (char c : property.toCharArray()) {
			if (Character.isUpperCase(c)) {
				canonical.append('-').append(Character.toLowerCase(c));
			}
			else {
				canonical.append((c == '_') ? '-' : c);
			}
		}
		return canonical.toString();
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
