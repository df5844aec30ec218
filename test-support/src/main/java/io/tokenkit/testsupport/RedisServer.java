package io.tokenkit.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
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
		try (ServerSocket socket = new ServerSocket(0)) {
			this.port = socket.getLocalPort();
		}
		start();
	}

	/**
	 * Start the server (again) on its port.
	 * @throws IOException if it cannot be started
	 */
	public void start() throws IOException {
		this.process = new ProcessBuilder(findExecutable(), "--port", Integer.toString(this.port), "--bind",
				"127.0.0.1", "--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				return true;
			}
		});
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
