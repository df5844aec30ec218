package io.tokenkit.testsupport;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * One JSON exchange through a {@link WebClient} on loopback, before tests that give a
 * token call a timeout of a few hundred milliseconds: the first exchange of a JVM loads
 * the connector's and the codecs' classes, which on a busy machine takes longer than the
 * timeout under test, so that a test run first in its JVM would time out where it means
 * to test an answer.
 */
public final class WebClientWarmUp {

	private static volatile boolean done;

	private WebClientWarmUp() {
	}

	/**
	 * Make one exchange, once per JVM.
	 * @throws IOException if the loopback server cannot start
	 */
	public static void once() throws IOException {
		if (done) {
			return;
		}
		try (MockWebServer server = new MockWebServer()) {
			server.enqueue(new MockResponse.Builder().code(200)
				.setHeader("Content-Type", "application/json")
				.body("{\"warm\":true}")
				.build());
			server.start();
			WebClient.create(server.url("/").toString())
				.post()
				.bodyValue(Map.of("warm", "up"))
				.retrieve()
				.bodyToMono(Map.class)
				.block(Duration.ofSeconds(30));
		}
		done = true;
	}

}
