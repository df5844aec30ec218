package io.tokenkit.sample;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the README's run command ({@code spring-boot:test-run}) starts:
 * {@link TestSampleApplication}, whose sandboxes answer the demos and stop with it.
 */
class TestSampleApplicationTests {

	@Test
	void runWhenStartedThenDemosAnswerAgainstSandboxes() {
		int port = SampleIntegrationTest.freePort();
		try (ConfigurableApplicationContext context = TestSampleApplication.run("--server.port=" + port)
			.getApplicationContext()) {
			WebTestClient http = WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build();
			Map<String, Object> orders = SampleIntegrationTest.getJson(http, "/demo/orders");
			assertThat(orders).containsEntry("status", 200);
			http.post().uri("/demo/gmo-aozora").exchange().expectStatus().isOk();
			http.post().uri("/demo/saasus").exchange().expectStatus().isOk();
			assertThat(context.getEnvironment().getProperty("tokenkit.saasus.base-url"))
				.startsWith("http://127.0.0.1:");
		}
	}

}
