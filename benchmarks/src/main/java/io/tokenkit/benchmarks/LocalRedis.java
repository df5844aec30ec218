package io.tokenkit.benchmarks;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * A {@code redis-server} (Debian package {@code redis-server}, installed by
 * {@code run.sh}) started on a free loopback port with no persistence, and stopped by
 * {@link #close()} or, failing that, when the JVM exits.
 */
final class LocalRedis implements AutoCloseable {

	private static final long START_TIMEOUT_MILLIS = 10_000;

	private final Process process;

	private final int port;

	private final Thread stopAtExit;

	private LocalRedis(Process process, int port) {
		this.process = process;
		this.port = port;
		this.stopAtExit = new Thread(process::destroy, "local-redis-stop");
		Runtime.getRuntime().addShutdownHook(this.stopAtExit);
	}

	/**
	 * Start a server on a free loopback port and wait, at most 10 s, until it accepts
	 * connections.
	 * @return the running server
	 * @throws IOException if it cannot be started
	 * @throws InterruptedException if interrupted while waiting
	 */
	static LocalRedis start() throws IOException, InterruptedException {
		int port;
		try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			port = socket.getLocalPort();
		}
		Process process = new ProcessBuilder(executable(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		LocalRedis redis = new LocalRedis(process, port);
		long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
		while (System.nanoTime() < deadline) {
			try (Socket socket = new Socket()) {
				socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
				return redis;
			}
			catch (IOException ex) {
				if (!process.isAlive()) {
					break;
				}
				Thread.sleep(50);
			}
		}
		redis.close();
		throw new IOException("redis-server did not accept connections on 127.0.0.1:" + port + " within "
				+ START_TIMEOUT_MILLIS + " ms");
	}

	int port() {
		return this.port;
	}

	/**
	 * Return a new, started Lettuce connection factory for this server: each instance of
	 * the application has its own. Destroy it after use.
	 * @param port the server's port
	 * @return the connection factory
	 */
	static LettuceConnectionFactory connectionFactory(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		try {
			Runtime.getRuntime().removeShutdownHook(this.stopAtExit);
		}
		catch (IllegalStateException ex) {
			// the JVM is exiting: the hook stops the server
		}
	}

	private static String executable() throws IOException {
		for (String candidate : new String[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IOException("redis-server is not installed: run 'apt-get install redis-server' (run.sh does)");
	}

}
