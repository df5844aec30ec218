package io.tokenkit.test.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The HTTP plumbing every sandbox shares: a JDK {@link HttpServer} on an ephemeral
 * loopback port, routes by method and path pattern, and the reading and writing of query
 * strings, forms and JSON. Its threads are daemon threads, so a sandbox left open never
 * keeps a JVM alive.
 */
abstract class SandboxServer implements AutoCloseable {

	static final ObjectMapper json = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor;

	private final List<Route> routes = new ArrayList<>();

	SandboxServer(String name) {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot open a loopback port for the " + name, ex);
		}
		this.executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
		this.server.setExecutor(this.executor);
		this.server.createContext("/", this::dispatch);
	}

	/**
	 * Start listening. The server's dispatcher thread takes the daemon status of the
	 * thread that starts it, hence the daemon thread here.
	 */
	final void listen() {
		Thread starter = new Thread(this.server::start, "sandbox-start");
		starter.setDaemon(true);
		starter.start();
		try {
			starter.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while the sandbox started", ex);
		}
	}

	final void route(String method, String pathPattern, Handler handler) {
		this.routes.add(new Route(method, Pattern.compile(pathPattern), handler));
	}

	/**
	 * Return the URL of a path on this server.
	 * @param path the path, starting with {@code /}
	 * @return the URL
	 */
	final String url(String path) {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + path;
	}

	/**
	 * Stop the server at once and release its port.
	 */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void dispatch(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getRawPath();
			boolean pathKnown = false;
			for (Route route : this.routes) {
				Matcher matcher = route.path().matcher(path);
				if (matcher.matches()) {
					pathKnown = true;
					if (route.method().equals(exchange.getRequestMethod())) {
						route.handler().handle(new Request(exchange, matcher)).send(exchange);
						return;
					}
				}
			}
			Response.json(pathKnown ? 405 : 404, Map.of("error", pathKnown ? "method_not_allowed" : "not_found"))
				.send(exchange);
		}
		catch (RuntimeException ex) {
			Response.json(500, Map.of("error", "server_error", "error_description", String.valueOf(ex))).send(exchange);
		}
	}

	@FunctionalInterface
	interface Handler {

		Response handle(Request request) throws IOException;

	}

	private record Route(String method, Pattern path, Handler handler) {
	}

	/**
	 * A request as a handler sees it.
	 */
	static final class Request {

		private final HttpExchange exchange;

		private final Matcher path;

		private byte[] body;

		Request(HttpExchange exchange, Matcher path) {
			this.exchange = exchange;
			this.path = path;
		}

		String method() {
			return this.exchange.getRequestMethod();
		}

		/**
		 * The raw path and, when there is one, {@code ?} and the raw query, as sent.
		 */
		String pathAndQuery() {
			URI uri = this.exchange.getRequestURI();
			return uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : "");
		}

		String pathGroup(int group) {
			return URLDecoder.decode(this.path.group(group), StandardCharsets.UTF_8);
		}

		String header(String name) {
			return this.exchange.getRequestHeaders().getFirst(name);
		}

		Map<String, String> query() {
			return decodeForm(this.exchange.getRequestURI().getRawQuery());
		}

		String body() throws IOException {
			if (this.body == null) {
				try (InputStream in = this.exchange.getRequestBody()) {
					this.body = in.readAllBytes();
				}
			}
			return new String(this.body, StandardCharsets.UTF_8);
		}

		Map<String, String> form() throws IOException {
			return decodeForm(body());
		}

		/**
		 * The JSON object of the body, or {@code null} when the body is not one.
		 */
		@SuppressWarnings("unchecked")
		Map<String, Object> jsonBody() throws IOException {
			try {
				Object value = json.readValue(body(), Object.class);
				return (value instanceof Map<?, ?> map) ? (Map<String, Object>) map : null;
			}
			catch (RuntimeException ex) {
				return null;
			}
		}

		private static Map<String, String> decodeForm(String encoded) {
			Map<String, String> values = new LinkedHashMap<>();
			if (encoded == null || encoded.isEmpty()) {
				return values;
			}
			for (String pair : encoded.split("&")) {
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				String value = (equals >= 0) ? pair.substring(equals + 1) : "";
				values.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
			return values;
		}

	}

	/**
	 * An answer: status, headers and body.
	 */
	static final class Response {

		private final int status;

		private final Map<String, String> headers = new LinkedHashMap<>();

		private final byte[] body;

		private Response(int status, String contentType, byte[] body) {
			this.status = status;
			if (contentType != null) {
				this.headers.put("Content-Type", contentType);
			}
			this.body = body;
		}

		static Response json(int status, Object body) {
			return json(status, "application/json", body);
		}

		static Response json(int status, String contentType, Object body) {
			return new Response(status, contentType, json.writeValueAsBytes(body));
		}

		static Response html(int status, String html) {
			return new Response(status, "text/html;charset=UTF-8", html.getBytes(StandardCharsets.UTF_8));
		}

		static Response redirect(String location) {
			return new Response(302, null, new byte[0]).header("Location", location);
		}

		static Response empty(int status) {
			return new Response(status, null, new byte[0]);
		}

		Response header(String name, String value) {
			this.headers.put(name, value);
			return this;
		}

		void send(HttpExchange exchange) throws IOException {
			this.headers.forEach(exchange.getResponseHeaders()::set);
			boolean noBody = this.body.length == 0;
			exchange.sendResponseHeaders(this.status, noBody ? -1 : this.body.length);
			if (!noBody) {
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(this.body);
				}
			}
		}

	}

}
