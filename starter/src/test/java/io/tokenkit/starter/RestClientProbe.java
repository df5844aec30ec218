package io.tokenkit.starter;

import java.util.List;

import org.apache.catalina.webresources.TomcatURLStreamHandlerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.web.client.RestClient;

/**
 * Starts a servlet application with Boot's auto-configuration, in the class loader this
 * class was loaded by, and reports its {@code RestClient} transport. Called by
 * {@link ServletApplicationTests} through reflection, with and without the starter's
 * libraries on the class path: it returns only JDK types.
 */
final class RestClientProbe {

	private RestClientProbe() {
	}

	/**
	 * Start the application, send one request to {@code url} with a client from Boot's
	 * {@code RestClient.Builder}, and return the class name of that builder's request
	 * factory and whether TokenKit's {@code TokenManager} bean was auto-configured.
	 * @param url where to send the request
	 * @return the request factory's class name and {@code "true"} or {@code "false"}
	 */
	static List<String> probe(String url) {
		// Tomcat's URL handler factory is the JVM's, taken by the test's own Tomcat
		TomcatURLStreamHandlerFactory.disable();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(ServletApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off")
			.run()) {
			RestClient.Builder builder = context.getBean(RestClient.Builder.class);
			Object requestFactory = ReflectionTestUtils.getField(builder, "requestFactory");
			builder.build().get().uri(url).retrieve().toBodilessEntity();
			boolean tokenKit = context.containsBean("tokenKitTokenManager");
			return List.of((requestFactory != null) ? requestFactory.getClass().getName() : "none",
					String.valueOf(tokenKit));
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ServletApplication {

	}

}
