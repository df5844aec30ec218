package io.tokenkit.starter;

import java.util.ArrayList;
import java.util.List;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionEvaluationReport;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.client.RestClient;

/**
 * Starts a servlet application with Boot's auto-configuration, in the class loader this
 * class was loaded by, and reports its {@code RestClient} transport and what became of
 * TokenKit's auto-configurations. Called by {@link ServletApplicationTests} through
 * reflection, with class paths that differ from the test's: it returns only JDK types.
 */
final class RestClientProbe {

	private RestClientProbe() {
	}

	/**
	 * Start the application, send one request to {@code url} with a client from Boot's
	 * {@code RestClient.Builder}, and report.
	 * @param url where to send the request
	 * @param properties the application's properties
	 * @return the class name of the builder's request factory, whether TokenKit's
	 * {@code TokenManager} bean was auto-configured ({@code "true"} or {@code "false"}),
	 * then each condition outcome of TokenKit's auto-configurations, as
	 * {@code "<class>: <message>"}
	 */
	static List<String> probe(String url, String[] properties) {
		// Tomcat's URL handler factory is the JVM's, taken by the test's own Tomcat
		TomcatURLStreamHandlerFactory.disable();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ServletApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.properties(properties)
			.run()) {
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			Object requestFactory = ReflectionTestUtils.getField(builder, "requestFactory");
			builder.build().get().uri(url).retrieve().toBodilessEntity();
			List<String> result = new ArrayList<>();
			result.add((requestFactory != null) ? requestFactory.getClass().getName() : "none");
			result.add(String.valueOf(context.containsBean("tokenKitTokenManager")));
			ConditionEvaluationReport.get(context.getBeanFactory())
				.getConditionAndOutcomesBySource()
				.forEach((source, outcomes) -> {
					if (source.startsWith("io.tokenkit.")) {
						outcomes.forEach((outcome) -> result.add(source + ": " + outcome.getOutcome().getMessage()));
					}
				});
			return result;
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ServletApplication {

	}

}
