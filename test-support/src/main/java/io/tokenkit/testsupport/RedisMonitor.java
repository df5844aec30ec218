package io.tokenkit.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;

/**
 * A second connection to a {@code redis-server} that issues {@code MONITOR} and collects
 * every command the server receives from then on, one line each, as an operator (or
 * anyone with the server's password) would see them.
 */
public final class RedisMonitor implements AutoCloseable {

	/** How long the server has to answer a command, so that no test hangs on it. */
	private static final int ANSWER_TIMEOUT_MILLIS = 10_000;

	private final Socket socket;

	private final List<String> lines = new CopyOnWriteArrayList<>();

	private final Thread reader;

	/**
	 * Connect to the server on loopback and start monitoring.
	 * @param port the server's port
	 * @throws IOException if it cannot connect
	 */
	public RedisMonitor(int port) throws IOException {
		this.socket = new Socket("127.0.0.1", port);
		// the answer to MONITOR must come within the limit; the reader then waits as
		// long as the test runs
		this.socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
		OutputStream out = this.socket.getOutputStream();
		out.write("MONITOR\r\n".getBytes(StandardCharsets.US_ASCII));
		out.flush();
		BufferedReader in = new BufferedReader(
				new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8));
		String ok = in.readLine();
		if (!"+OK".equals(ok)) {
			this.socket.close();
			throw new IOException("MONITOR was refused: " + ok);
		}
		this.socket.setSoTimeout(0);
		this.reader = new Thread(() -> {
			try {
				for (String line = in.readLine(); line != null; line = in.readLine()) {
					this.lines.add(line);
				}
			}
			catch (IOException ex) {
				// closed
			}
		}, "redis-monitor");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Return the lines seen so far, after a marker command has come through, so that
	 * every command sent before the call is among them.
	 * @return the monitored commands
	 */
	public List<String> lines() {
		String marker = "monitor-marker-" + System.nanoTime();
		try (Socket client = new Socket("127.0.0.1", this.socket.getPort())) {
			client.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
			client.getOutputStream().write(("ECHO " + marker + "\r\n").getBytes(StandardCharsets.US_ASCII));
			client.getOutputStream().flush();
			client.getInputStream().read(new byte[64]);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not send the monitor's marker", ex);
		}
		await().atMost(Duration.ofSeconds(5)).until(() -> this.lines.stream().anyMatch((l) -> l.contains(marker)));
		return List.copyOf(this.lines);
	}

	/** Forget the lines seen so far. */
	public void clear() {
		this.lines.clear();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
