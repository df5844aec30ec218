package io.tokenkit.sample.sandbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.web.context.support.StandardServletEnvironment;

/**
 * Starts the local stand-ins ({@link StandInsApplication}: Spring Authorization Server, a
 * protected orders API and the vendor sandboxes) before the sample application refreshes,
 * when {@code sandbox.enabled} is {@code true} (profile {@code local}, the default).
 * <p>
 * The stand-ins are a second, servlet {@code SpringApplication} on their own loopback
 * port ({@code sandbox.port}, {@code 0} for any free port). They get their own
 * environment: the {@code sandbox.*} properties of the sample and nothing of its
 * {@code application.yml}. Once they run, the port they listen on is written back into
 * the sample's environment as {@code sandbox.port}, so that {@code application-local.yml}
 * can point TokenKit at {@code http://localhost:${sandbox.port}}. They stop when the
 * sample's context closes.
 */
public final class StandInsInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

	/** The property that switches the stand-ins on. */
	public static final String ENABLED_PROPERTY = "sandbox.enabled";

	private static final Log logger = LogFactory.getLog(StandInsInitializer.class);

	@Override
	public void initialize(ConfigurableApplicationContext context) {
		ConfigurableEnvironment environment = context.getEnvironment();
		// The stand-ins are a servlet application: never start them from inside
		// themselves, nor while Spring AOT processes the sample at build time.
		if (environment instanceof StandardServletEnvironment
				|| !environment.getProperty(ENABLED_PROPERTY, Boolean.class, false)
				|| Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)) {
			return;
		}
		ConfigurableApplicationContext standIns = start(environment);
		int port = ((WebServerApplicationContext) standIns).getWebServer().getPort();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("sandboxPort", Map.of("sandbox.port", Integer.toString(port))));
		context.addApplicationListener((event) -> {
			if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
				standIns.close();
			}
		});
		logger.info("Local stand-ins (authorization server, orders API, SaaSus, GMO Aozora and Authlete sandboxes) "
				+ "listen on http://localhost:" + port);
	}

	/**
	 * Start the stand-ins on a thread of their own, so that no {@code SpringApplication}
	 * hook of the thread that starts the sample applies to them (Spring Boot's test
	 * support installs one, which in a test run with Spring AOT would give them the
	 * sample's generated code).
	 */
	private static ConfigurableApplicationContext start(ConfigurableEnvironment sampleEnvironment) {
		SpringApplicationBuilder application = application(sampleEnvironment);
		FutureTask<ConfigurableApplicationContext> start = new FutureTask<>(() -> application.run());
		new Thread(start, "stand-ins-start").start();
		try {
			return start.get();
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			throw new IllegalStateException("The local stand-ins failed to start", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while the local stand-ins started", ex);
		}
	}

	/**
	 * Return the stand-ins' application, with the {@code sandbox.*} properties of the
	 * sample's environment.
	 * @param sampleEnvironment the sample's environment
	 * @return the stand-ins' application
	 */
	static SpringApplicationBuilder application(ConfigurableEnvironment sampleEnvironment) {
		Map<String, Object> properties = new LinkedHashMap<>();
		flatten("sandbox",
				Binder.get(sampleEnvironment)
					.bind("sandbox", Bindable.mapOf(String.class, Object.class))
					.orElse(Map.of()),
				properties);
		properties.put("server.port", sampleEnvironment.getProperty("sandbox.port", "9000"));
		properties.put("server.address", "127.0.0.1");
		properties.put("spring.config.name", "standins");
		properties.put("spring.main.web-application-type", "servlet");
		properties.put("spring.application.name", "tokenkit-stand-ins");
		StandardServletEnvironment environment = new StandardServletEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("standIns", properties));
		environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
		// main names the application class whose code Spring AOT generated (when the JVM
		// runs with spring.aot.enabled=true) rather than the sample's
		return new SpringApplicationBuilder(StandInsApplication.class).main(StandInsApplication.class)
			.environment(environment)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.registerShutdownHook(false);
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Map<String, Object> values, Map<String, Object> into) {
		values.forEach((key, value) -> {
			String name = prefix + "." + key;
			if (value instanceof Map<?, ?> nested) {
				flatten(name, (Map<String, Object>) nested, into);
			}
			else {
				into.put(name, value);
			}
		});
	}

}
