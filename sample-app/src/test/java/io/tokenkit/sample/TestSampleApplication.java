package io.tokenkit.sample;

import org.springframework.boot.SpringApplication;

/**
 * The sample offline, the way Spring Boot runs an application with development-time
 * services: {@link SampleApplication} with {@link SandboxesConfiguration}, which starts
 * the test kit's vendor sandboxes, mock token server and resource-server stand-in on
 * loopback and points the sample at them. No account, no network:
 * {@code ./mvnw -pl sample-app -am spring-boot:test-run}, then open
 * {@code http://localhost:8080/bank}.
 */
public class TestSampleApplication {

	public static void main(String[] args) {
		run(args);
	}

	static SpringApplication.Running run(String... args) {
		return SpringApplication.from(SampleApplication::main).with(SandboxesConfiguration.class).run(args);
	}

}
