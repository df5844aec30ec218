package io.tokenkit.test.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The plain server under the kit's servers: the JDK's {@link HttpServer} on 127.0.0.1 and
 * a free port, one handler for every path (a {@link Routes} when it routes by method and
 * path), answers sent after an optional delay without holding a thread while they wait.
 * Its threads are daemon threads, so a server left open never keeps a JVM alive.
 */
public final class LoopbackServer implements AutoCloseable {

	private static final AtomicInteger SERVERS = new AtomicInteger();

	private final HttpServer server;

	private final ExecutorService handlers;

	private final ScheduledExecutorService delays;

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());

	/**
	 * Start a server on a free loopback port.
	 * @param name the name of the server, in its threads' names and its error answers
	 * @param handler the answer to each request
	 */
	public LoopbackServer(String name, Function<HttpExchange, Answer> handler) {
		int n = SERVERS.incrementAndGet();
		this.handlers = Executors.newCachedThreadPool(daemon(name + "-" + n + "-"));
		this.delays = Executors.newSingleThreadScheduledExecutor(daemon(name + "-" + n + "-delays-"));
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start " + name + " on a loopback port", ex);
		}
		this.server.setExecutor(this.handlers);
		this.server.createContext("/", (exchange) -> {
			this.running.incrementAndGet();
			this.lastActivityNanos.set(System.nanoTime());
			Answer answer;
			try {
				answer = handler.apply(exchange);
			}
			catch (RuntimeException ex) {
				answer = Answer.json(500, "{\"error\":\"server_error\",\"error_description\":\"" + name + " failed: "
						+ ex.getClass().getSimpleName() + "\"}");
			}
			if (answer.delay().isZero() || answer.delay().isNegative()) {
				send(exchange, answer);
			}
			else {
				Answer ready = answer;
				this.delays.schedule(() -> this.handlers.execute(() -> send(exchange, ready)), answer.delay().toNanos(),
						TimeUnit.NANOSECONDS);
			}
		});
		start(name);
	}

	/**
	 * Start listening. The server's dispatcher thread takes the daemon status of the
	 * thread that starts it, hence the daemon thread here.
	 */
	private void start(String name) {
		Thread starter = new Thread(this.server::start, name + "-start");
		starter.setDaemon(true);
		starter.start();
		try {
			starter.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.close();
			throw new IllegalStateException("Interrupted while " + name + " started", ex);
		}
	}

	/**
	 * Return the base URL, {@code http://127.0.0.1:<port>}, without a trailing slash.
	 */
	public String baseUrl() {
		return "http://" + this.server.getAddress().getAddress().getHostAddress() + ":"
				+ this.server.getAddress().getPort();
	}

	/**
	 * Return the URL of a path on this server.
	 * @param path the path, starting with {@code /}, or empty
	 * @return the URL
	 */
	public String url(String path) {
		return baseUrl() + path;
	}

	/**
	 * Wait until no request has been running, received or answered for {@code quiet}, at
	 * most {@code atMost}.
	 * @param quiet how long no request must have been seen
	 * @param atMost how long to wait at most
	 * @return whether the server was quiet in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitQuiet(Duration quiet, Duration atMost) throws InterruptedException {
		long since = System.nanoTime();
		long deadline = since + atMost.toNanos();
		while (System.nanoTime() < deadline) {
			long lastActivity = Math.max(since, this.lastActivityNanos.get());
			if (this.running.get() == 0 && System.nanoTime() - lastActivity >= quiet.toNanos()) {
				return true;
			}
			Thread.sleep(5);
		}
		return false;
	}

	private void send(HttpExchange exchange, Answer answer) {
		try {
			sendNow(exchange, answer);
		}
		finally {
			this.lastActivityNanos.set(System.nanoTime());
			this.running.decrementAndGet();
		}
	}

	private static void sendNow(HttpExchange exchange, Answer answer) {
		try (exchange) {
			answer.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
			byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.sendResponseHeaders(answer.status(), (body.length == 0) ? -1 : body.length);
			if (body.length > 0) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			}
		}
		catch (IOException ex) {
			// the client went away before the answer: nothing to do in a test server
		}
	}

	/**
	 * Read the whole body of a request as UTF-8.
	 * @param exchange the exchange
	 * @return the body, empty when there is none
	 */
	public static String body(HttpExchange exchange) {
		try (InputStream in = exchange.getRequestBody()) {
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decode an {@code application/x-www-form-urlencoded} text (a body or a query); the
	 * first value of a repeated name wins.
	 * @param text the encoded text, may be null
	 * @return the values by name
	 */
	public static Map<String, String> form(String text) {
		Map<String, String> form = new LinkedHashMap<>();
		if (text == null || text.isEmpty()) {
			return form;
		}
		for (String pair : text.split("&")) {
			int eq = pair.indexOf('=');
			String name = (eq >= 0) ? pair.substring(0, eq) : pair;
			String value = (eq >= 0) ? pair.substring(eq + 1) : "";
			if (!name.isEmpty()) {
				form.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	/**
	 * Stop the server at once and release its port.
	 */
	@Override
	public void close() {
		this.server.stop(0);
		this.delays.shutdownNow();
		this.handlers.shutdownNow();
	}

	private static ThreadFactory daemon(String prefix) {
		AtomicInteger threads = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
