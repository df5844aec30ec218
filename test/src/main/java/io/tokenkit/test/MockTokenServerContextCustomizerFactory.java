package io.tokenkit.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Creates the {@link MockTokenServerContextCustomizer} of a test class annotated with
 * {@link AutoConfigureMockTokenServer @AutoConfigureMockTokenServer}; registered in
 * {@code META-INF/spring.factories}.
 */
class MockTokenServerContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureMockTokenServer annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureMockTokenServer.class);
		return (annotation != null) ? new MockTokenServerContextCustomizer(annotation) : null;
	}

}
