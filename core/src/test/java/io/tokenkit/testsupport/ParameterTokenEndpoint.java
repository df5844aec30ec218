package io.tokenkit.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * A token endpoint on loopback ({@code POST /token}, the JDK's HTTP server) that numbers
 * its 300-second tokens and remembers what each was asked for: its {@code scope},
 * {@code audience} and {@code resource} form parameters, as {@link TokenParameters}. A
 * scope named {@code denied} is never granted (the answer's {@code scope} leaves it out).
 * Each answer can take a moment, so that concurrent requests find a call in flight.
 */
public final class ParameterTokenEndpoint implements AutoCloseable {

	/** The scope this server never grants. */
	public static final String DENIED = "denied";

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final AtomicInteger tokenCalls = new AtomicInteger();

	private final Map<String, TokenParameters> issued = new ConcurrentHashMap<>();

	private final Map<String, List<String>> forms = new ConcurrentHashMap<>();

	private volatile long delayMillis;

	public ParameterTokenEndpoint() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2000);
		this.server.createContext("/token", this::token);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	public URI tokenUri() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort() + "/token");
	}

	/**
	 * Return a client-credentials source whose token endpoint is this server's, with the
	 * default scope {@code default}.
	 * @param clock the clock
	 * @return the source
	 */
	public TokenSource clientCredentials(Clock clock) {
		OAuth2TokenClient client = new OAuth2TokenClient(WebClient.create(), tokenUri(), "app", "secret",
				ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP);
		return new ClientCredentialsTokenSource(client, List.of("default"), Map.of(), clock);
	}

	/**
	 * Return a manager with one client-credentials registration, {@code orders}.
	 * @param clock the clock
	 * @return the manager
	 */
	public TokenManager manager(Clock clock) {
		return new TokenManager(List.of(TokenRegistration.of("orders", clientCredentials(clock))),
				new InMemoryTokenStore(), clock, TokenEventListener.NONE, Duration.ofSeconds(20));
	}

	/** Answer each token call after this delay (real time: a real server on loopback). */
	public void delay(Duration delay) {
		this.delayMillis = delay.toMillis();
	}

	public int tokenCalls() {
		return this.tokenCalls.get();
	}

	/**
	 * Return what the token was asked for; the registration's default scope reads as the
	 * scope {@code default}.
	 * @param accessToken the token value
	 * @return the parameters it was issued for, or {@code null} if this server did not
	 * issue it
	 */
	public TokenParameters issuedFor(String accessToken) {
		return this.issued.get(accessToken);
	}

	/**
	 * Return the values of a form parameter of the request that got the token.
	 * @param accessToken the token value
	 * @param name the form parameter
	 * @return its values, in order
	 */
	public List<String> formValues(String accessToken, String name) {
		return this.forms.getOrDefault(accessToken + " " + name, List.of());
	}

	private void token(HttpExchange exchange) throws IOException {
		String body;
		try (InputStream in = exchange.getRequestBody()) {
			body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		long delay = this.delayMillis;
		if (delay > 0) {
			try {
				Thread.sleep(delay);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		Map<String, List<String>> form = new ConcurrentHashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.computeIfAbsent(decode(pair.substring(0, equals)), (name) -> new ArrayList<>())
					.add(decode(pair.substring(equals + 1)));
			}
		}
		List<String> scopes = form.getOrDefault("scope", List.of())
			.stream()
			.flatMap((scope) -> Arrays.stream(scope.split(" ")))
			.toList();
		String value = "token-" + this.tokenCalls.incrementAndGet();
		this.issued.put(value,
				TokenParameters.builder()
					.scopes(scopes)
					.audiences(form.getOrDefault("audience", List.of()))
					.resources(form.getOrDefault("resource", List.of()))
					.build());
		form.forEach((name, values) -> this.forms.put(value + " " + name, List.copyOf(values)));
		Set<String> granted = scopes.stream()
			.filter((scope) -> !DENIED.equals(scope))
			.collect(Collectors.toCollection(java.util.LinkedHashSet::new));
		String json = "{\"access_token\":\"" + value + "\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\""
				+ String.join(" ", granted) + "\"}";
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, bytes.length);
		exchange.getResponseBody().write(bytes);
		exchange.close();
	}

	private static String decode(String value) {
		return URLDecoder.decode(value, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

}
