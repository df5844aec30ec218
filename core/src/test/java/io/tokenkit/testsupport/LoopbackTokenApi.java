package io.tokenkit.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * A token endpoint ({@code POST /token}, numbered 300-second tokens after 100 ms) and an
 * API ({@code /api}: {@code 200} for a bearer token it does not reject, else {@code 401})
 * on loopback, served by the JDK's HTTP server. Rejections can be held until a number of
 * them have arrived, so that they all answer at once.
 */
public final class LoopbackTokenApi implements AutoCloseable {

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final AtomicInteger tokenCalls = new AtomicInteger();

	private final AtomicInteger apiCalls = new AtomicInteger();

	private final AtomicInteger rejections = new AtomicInteger();

	private final Set<String> rejected = ConcurrentHashMap.newKeySet();

	private volatile CountDownLatch holdRejections = new CountDownLatch(0);

	public LoopbackTokenApi() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2000);
		this.server.createContext("/token", this::token);
		this.server.createContext("/api", this::api);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public URI tokenUri() {
		return URI.create(baseUrl() + "/token");
	}

	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * Return a manager with one client-credentials registration, {@code orders}, whose
	 * token endpoint is this server's.
	 * @param clock the clock
	 * @return the manager
	 */
	public TokenManager manager(Clock clock) {
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(), tokenUri(), "app", "secret",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP);
		return new TokenManager(
				List.of(TokenRegistration.of("orders",
						new ClientCredentialsTokenSource(client, List.of(), Map.of(), clock))),
				new InMemoryTokenStore(), clock, TokenEventListener.NONE, Duration.ofSeconds(20));
	}

	public int tokenCalls() {
		return this.tokenCalls.get();
	}

	public int apiCalls() {
		return this.apiCalls.get();
	}

	public int rejections() {
		return this.rejections.get();
	}

	/**
	 * Answer {@code 401} to every request with this token, holding the answers until
	 * {@code holdUntil} such requests have arrived (at most ten seconds).
	 * @param token the token to reject
	 * @param holdUntil how many rejections to gather before answering
	 */
	public void reject(String token, int holdUntil) {
		this.holdRejections = new CountDownLatch(holdUntil);
		this.rejected.add(token);
	}

	private void token(HttpExchange exchange) throws IOException {
		drain(exchange);
		sleep(100);
		int n = this.tokenCalls.incrementAndGet();
		answer(exchange, 200, "{\"access_token\":\"token-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":300}",
				"application/json");
	}

	private void api(HttpExchange exchange) throws IOException {
		byte[] body = drain(exchange);
		this.apiCalls.incrementAndGet();
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		String token = (authorization != null && authorization.startsWith("Bearer "))
				? authorization.substring("Bearer ".length()) : null;
		if (token == null || this.rejected.contains(token)) {
			this.rejections.incrementAndGet();
			CountDownLatch hold = this.holdRejections;
			hold.countDown();
			try {
				hold.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
			answer(exchange, 401, "", "text/plain");
			return;
		}
		answer(exchange, 200, "ok " + new String(body, StandardCharsets.UTF_8), "text/plain");
	}

	private static byte[] drain(HttpExchange exchange) throws IOException {
		try (InputStream in = exchange.getRequestBody()) {
			return in.readAllBytes();
		}
	}

	private static void answer(HttpExchange exchange, int status, String body, String contentType) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", contentType);
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		if (bytes.length > 0) {
			exchange.getResponseBody().write(bytes);
		}
		exchange.close();
	}

	/**
	 * A token endpoint that takes a moment, so that concurrent requests find its call in
	 * flight: real time, as this is a real server on loopback that no application clock
	 * governs; no test asserts the time itself.
	 */
	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
