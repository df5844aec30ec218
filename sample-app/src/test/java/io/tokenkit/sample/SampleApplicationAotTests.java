package io.tokenkit.sample;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample as {@code java -Dspring.aot.enabled=true -jar} runs it: its own
 * {@code main}, with the code Spring AOT generated for {@link SampleApplication} at build
 * time ({@code process-aot}), pointed at the {@link Sandboxes} by command-line
 * properties. Runs in the build's second test run, with {@code spring.aot.enabled=true};
 * without the generated initializer the application would not start ("AOT initializer not
 * found").
 */
class SampleApplicationAotTests {

	@Test
	void ordersDemoWhenMainRunThenOrdersApiAnswers() {
		assertThat(AotDetector.useGeneratedArtifacts()).as("spring.aot.enabled")
			.isEqualTo(Boolean.getBoolean("spring.aot.enabled"));
		int port = SampleIntegrationTest.freePort();
		try (Sandboxes sandboxes = new Sandboxes(port);
				ConfigurableApplicationContext context = SpringApplication.from(SampleApplication::main)
					.run(arguments(port, sandboxes))
					.getApplicationContext()) {
			Map<String, Object> body = SampleIntegrationTest
				.getJson(WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build(), "/demo/orders");
			assertThat(body).containsEntry("registration", "orders").containsEntry("status", 200);
			assertThat(body.get("response")).asString().contains("registration=orders");
			assertThat(sandboxes.tokenServer().registration("orders").lastRequest().clientId())
				.isEqualTo(Sandboxes.ORDERS_CLIENT_ID);
		}
	}

	private static String[] arguments(int port, Sandboxes sandboxes) {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=" + port);
		sandboxes.properties().forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments.toArray(String[]::new);
	}

}
