package io.tokenkit.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The TokenKit sample application: a reactive service that uses TokenKit through
 * {@code application.yml} only, and shows each capability on plain HTTP endpoints
 * ({@code /demo/**}), a bank-connection web page ({@code /bank}), and Actuator
 * ({@code /actuator/health/tokenkit}, {@code /actuator/prometheus}).
 * <p>
 * Run as it is, it talks to the real vendors, every secret from an environment variable.
 * Offline, {@code TestSampleApplication} (in {@code src/test}) runs it against the
 * sandboxes of TokenKit's test kit instead.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
