package io.tokenkit.sample;

import java.util.Map;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportSelector;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Runs the sample against {@link Sandboxes}: starts them when the application's
 * configuration is read, puts their properties first in the environment, and stops them
 * with the application. The properties must be there before the auto-configurations'
 * conditions look at them (the vendors' clients exist only when their IDs have text), so
 * an {@link ImportSelector} adds them, not a bean.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(SandboxesConfiguration.SandboxProperties.class)
public class SandboxesConfiguration {

	static final class SandboxProperties implements ImportSelector, EnvironmentAware, BeanFactoryAware {

		private ConfigurableEnvironment environment;

		private DefaultSingletonBeanRegistry registry;

		@Override
		public void setEnvironment(Environment environment) {
			this.environment = (ConfigurableEnvironment) environment;
		}

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			this.registry = (DefaultSingletonBeanRegistry) beanFactory;
		}

		@Override
		public String[] selectImports(AnnotationMetadata metadata) {
			Sandboxes sandboxes = new Sandboxes(this.environment.getProperty("server.port", Integer.class, 8080));
			this.registry.registerDisposableBean("sandboxes", sandboxes::close);
			this.environment.getPropertySources()
				.addFirst(new MapPropertySource("sandboxes", Map.copyOf(sandboxes.properties())));
			return new String[0];
		}

	}

}
