package io.tokenkit.sample;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The Reactor Netty server of this build (the sample's WebFlux server) keeps reading a
 * kept-alive connection after a request that arrived while the one before it was still
 * being answered. A browser does that under load: the bank callback's redirect reaches
 * Chromium, which asks for the status page on the same connection before the server has
 * finished the callback; the next request on that connection is the click on "call the
 * bank API". Reactor Netty 1.3.7, the version Spring Boot 4.1.1 manages, never read that
 * request (reactor-netty issue 4361): the browser test's click waited for minutes. This
 * test is why the parent pom takes Reactor Netty 1.3.8; it fails on 1.3.7.
 */
class ReactorNettyKeepAliveTests {

	private DisposableServer server;

	@BeforeEach
	void startServer() {
		// "/slow" answers after a delay, as the callback does after its token call;
		// anything else at once, as the status page does.
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.handle((request,
					response) -> response.sendString("/slow".equals(request.uri())
							? Mono.delay(Duration.ofMillis(50)).thenReturn("slow") : Mono.just("fast")))
			.bindNow();
	}

	@AfterEach
	void stopServer() {
		this.server.disposeNow();
	}

	@Test
	void requestAfterQueuedRequestWhenConnectionKeptAliveThenAnswered() throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.server.port())) {
			socket.setSoTimeout(5000);
			// the second request arrives while the first is being answered: the server
			// queues it
			send(socket, get("/slow") + get("/fast"));
			assertThat(readBody(socket)).isEqualTo("slow");
			assertThat(readBody(socket)).isEqualTo("fast");
			send(socket, get("/next"));
			assertThat(readBody(socket)).as("the answer to the request after the queued one").isEqualTo("fast");
		}
	}

	private static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	private static void send(Socket socket, String requests) throws IOException {
		OutputStream out = socket.getOutputStream();
		out.write(requests.getBytes(StandardCharsets.US_ASCII));
		out.flush();
	}

	/**
	 * Read one response with a {@code Content-Length}, and return its body.
	 */
	private static String readBody(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		try {
			int length = -1;
			for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
				if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
					length = Integer.parseInt(line.substring(15).trim());
				}
			}
			assertThat(length).as("Content-Length").isNotNegative();
			return new String(in.readNBytes(length), StandardCharsets.UTF_8);
		}
		catch (SocketTimeoutException ex) {
			return fail("No answer within 5 seconds: the server stopped reading the connection", ex);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		for (int b = in.read(); b != '\n'; b = in.read()) {
			if (b < 0) {
				throw new IOException("The server closed the connection");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

}
