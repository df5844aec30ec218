package io.tokenkit.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample application against the test kit's vendor sandboxes, mock token server and
 * resource-server stand-in ({@link Sandboxes}), on free ports. Every subclass shares one
 * application context, and the sandboxes live as long as the test JVM.
 * <p>
 * The port comes from the operating system (port 0) like {@code RANDOM_PORT}, but is
 * taken before start-up: the bank's redirect URI
 * ({@code http://localhost:<port>/bank/callback}) must name it when TokenKit's GMO Aozora
 * client is built and when the bank's sandbox registers it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(RecordingTokenStoreConfiguration.class)
abstract class SampleIntegrationTest {

	private static final int PORT = freePort();

	@LocalServerPort
	int port;

	@Autowired
	RecordingTokenStore tokenStore;

	@DynamicPropertySource
	static void sandboxes(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		StartedSandboxes.SANDBOXES.properties().forEach((name, value) -> registry.add(name, () -> value));
	}

	/**
	 * {@code GET} a JSON object, expecting {@code 200}.
	 */
	static Map<String, Object> getJson(WebTestClient http, String uri) {
		return http.get()
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
	}

	/**
	 * Return the servers the sample talks to.
	 */
	static Sandboxes sandboxes() {
		return StartedSandboxes.SANDBOXES;
	}

	WebTestClient http() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	/**
	 * The sandboxes, started by the first test context that asks for them.
	 */
	private static final class StartedSandboxes {

		static final Sandboxes SANDBOXES = new Sandboxes(PORT);

	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
