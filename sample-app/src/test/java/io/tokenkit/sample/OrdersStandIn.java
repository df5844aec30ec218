package io.tokenkit.sample;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * STAND-IN, TO BE REPLACED: the authorization server and orders API of the orders demo,
 * until the test kit's {@code MockTokenServer} and resource-server stand-in take their
 * place. A plain HTTP server on a loopback port: {@code POST /oauth2/token} issues opaque
 * 60-second {@code client_credentials} tokens with scope {@code orders.read} to one
 * client ({@code client_secret_basic}); {@code GET /api/orders} answers only to a bearer
 * token it issued, with the client, the token's scopes and two orders.
 */
final class OrdersStandIn implements AutoCloseable {

	static final String CLIENT_ID = "sample-orders";

	static final String CLIENT_SECRET = "sample-orders-secret";

	private final HttpServer server;

	private final Map<String, Instant> tokens = new ConcurrentHashMap<>();

	private final SecureRandom random = new SecureRandom();

	OrdersStandIn() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/oauth2/token", this::token);
		this.server.createContext("/api/orders", this::orders);
		// started from a daemon thread, whose status the server's dispatcher thread
		// takes:
		// never keeps a JVM alive
		Thread starter = new Thread(this.server::start);
		starter.setDaemon(true);
		starter.start();
		try {
			starter.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	private void token(HttpExchange exchange) throws IOException {
		String form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
		String basic = "Basic " + Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		if (!basic.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
			send(exchange, 401, "{\"error\":\"invalid_client\"}");
		}
		else if (!form.contains("grant_type=client_credentials")) {
			send(exchange, 400, "{\"error\":\"unsupported_grant_type\"}");
		}
		else {
			byte[] bytes = new byte[32];
			this.random.nextBytes(bytes);
			String token = "orders-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
			this.tokens.put(token, Instant.now().plus(Duration.ofSeconds(60)));
			send(exchange, 200, "{\"access_token\":\"" + token
					+ "\",\"token_type\":\"Bearer\",\"expires_in\":60,\"scope\":\"orders.read\"}");
		}
	}

	private void orders(HttpExchange exchange) throws IOException {
		String authorization = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
		Instant expiresAt = authorization.startsWith("Bearer ") ? this.tokens.get(authorization.substring(7)) : null;
		if (expiresAt == null || Instant.now().isAfter(expiresAt)) {
			exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			send(exchange, 401, "{}");
		}
		else {
			send(exchange, 200,
					"{\"client\":\"" + CLIENT_ID + "\",\"scopes\":[\"orders.read\"],\"orders\":["
							+ "{\"id\":\"A-1001\",\"item\":\"Coffee beans\",\"quantity\":2},"
							+ "{\"id\":\"A-1002\",\"item\":\"Paper filters\",\"quantity\":1}]}");
		}
	}

	private static void send(HttpExchange exchange, int status, String json) throws IOException {
		try (exchange) {
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.sendResponseHeaders(status, body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				out.write(body);
			}
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
