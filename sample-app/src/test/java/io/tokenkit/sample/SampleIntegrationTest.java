package io.tokenkit.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The sample application as a user runs it (profile {@code local}, stand-ins included),
 * on free ports. Every subclass shares one application context.
 * <p>
 * The port comes from the operating system (port 0) like {@code RANDOM_PORT}, but is
 * taken before start-up: the bank's redirect URI
 * ({@code http://localhost:${server.port}/bank/callback}) must name it when TokenKit's
 * GMO Aozora client is built and when the sandbox registers it. The stand-ins listen on
 * any free port ({@code sandbox.port=0}).
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
	static void ports(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("sandbox.port", () -> 0);
	}

	WebTestClient http() {
		return WebTestClient.bindToServer().baseUrl("http://localhost:" + this.port).build();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
