package io.tokenkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * Starts a real {@code redis-server} (Debian package {@code redis-server}, installed by
 * the build before the tests where missing) on a free loopback port for the tests of one
 * class, and stops it afterwards.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback {

	private Process process;

	private int port;

	public int port() {
		return this.port;
	}

	@Override
	public void beforeAll(ExtensionContext context) throws Exception {
		IOException failure = null;
		for (int attempt = 0; attempt < 3; attempt++) {
			try (ServerSocket socket = new ServerSocket(0)) {
				this.port = socket.getLocalPort();
			}
			try {
				start();
				return;
			}
			catch (IOException ex) {
				// another socket took the free port before the server bound it: try
				// another
				failure = ex;
			}
		}
		throw failure;
	}

	/**
	 * Start the server (again) on its port, and wait until it answers {@code PING}.
	 * @throws IOException if it cannot be started, or exits before it answers
	 */
	public void start() throws IOException {
		this.process = new ProcessBuilder(findExecutable(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> !this.process.isAlive() || answersPing());
		if (!this.process.isAlive()) {
			throw new IOException("redis-server exited with code " + this.process.exitValue()
					+ " before it answered on port " + this.port);
		}
	}

	/**
	 * Whether this server answers on its port: a connection that the loopback interface
	 * connected to itself (its local port the server's, when nothing listens there yet)
	 * is no answer.
	 */
	private boolean answersPing() throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 1000);
			if (socket.getLocalPort() == this.port) {
				return false;
			}
			socket.setSoTimeout(1000);
			socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			byte[] answer = new byte[7];
			int read = socket.getInputStream().readNBytes(answer, 0, answer.length);
			return "+PONG\r\n".equals(new String(answer, 0, read, StandardCharsets.US_ASCII));
		}
	}

	/**
	 * Stop the server, losing what it held.
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void stop() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

	/**
	 * Freeze the server (SIGSTOP): connections stay open, nothing answers.
	 * @throws Exception if the signal cannot be sent
	 */
	public void freeze() throws Exception {
		signal("STOP");
	}

	/**
	 * Wake a frozen server (SIGCONT).
	 * @throws Exception if the signal cannot be sent
	 */
	public void thaw() throws Exception {
		signal("CONT");
	}

	private void signal(String name) throws Exception {
		new ProcessBuilder("kill", "-" + name, Long.toString(this.process.pid())).inheritIO().start().waitFor();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.process != null) {
			this.process.destroy();
		}
	}

	private static String findExecutable() throws IOException {
		for (String candidate : new String[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IOException(
				"redis-server is not installed: run 'apt-get install redis-server' (the build does before the tests: ./mvnw -B test)");
	}

}
