package io.tokenkit.test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.test.server.Answer;
import io.tokenkit.test.server.LoopbackServer;

/**
 * A resource server for tests, on 127.0.0.1 and a free port, that accepts only access
 * tokens its {@link MockTokenServer} issued and still holds valid
 * ({@link MockTokenServer#isActive(String)}), except the tokens it is told to
 * {@link #reject(String) reject}. Every method and path answers: {@code 200} with a small
 * JSON body naming the path, the token's registration and subject, or {@code 401} with
 * {@code WWW-Authenticate: Bearer error="invalid_token"}. Each request is recorded with
 * the token it carried.
 * <p>
 * The token is read from {@code Authorization: Bearer <token>} (or {@code DPoP}), or from
 * a header named with {@link #tokenHeader(String)} that carries the bare token, as GMO
 * Aozora's {@code x-access-token} does.
 */
public final class MockResourceServer implements AutoCloseable {

	private final MockTokenServer tokenServer;

	private final LoopbackServer http;

	private final List<ResourceRequest> requests = new CopyOnWriteArrayList<>();

	private final Set<String> rejected = ConcurrentHashMap.newKeySet();

	private volatile String tokenHeader = "Authorization";

	private MockResourceServer(MockTokenServer tokenServer) {
		this.tokenServer = tokenServer;
		this.http = new LoopbackServer("mock-resource-server", this::answer);
	}

	/**
	 * Start a resource server on a free loopback port that accepts the tokens of
	 * {@code tokenServer}.
	 * @param tokenServer the server whose tokens it accepts
	 * @return the running server
	 */
	public static MockResourceServer start(MockTokenServer tokenServer) {
		if (tokenServer == null) {
			throw new IllegalArgumentException("tokenServer must not be null");
		}
		return new MockResourceServer(tokenServer);
	}

	/**
	 * Return the base URL, {@code http://127.0.0.1:<port>}, where a
	 * {@code tokenkit.clients.<name>.base-url} points.
	 * @return the base URL
	 */
	public String baseUrl() {
		return this.http.baseUrl();
	}

	/**
	 * Read the token from this header, which carries the bare token, instead of
	 * {@code Authorization}.
	 * @param headerName the header's name, such as {@code x-access-token}
	 * @return this server
	 */
	public MockResourceServer tokenHeader(String headerName) {
		this.tokenHeader = (headerName != null) ? headerName : "Authorization";
		return this;
	}

	/**
	 * Answer {@code 401} to every request that carries {@code token} from now on, as a
	 * resource server does with a token revoked before its expiry.
	 * @param token the access token
	 */
	public void reject(String token) {
		if (token == null) {
			throw new IllegalArgumentException(
					"token must not be null: pass a token a request carried, such as " + "lastToken()");
		}
		this.rejected.add(token);
	}

	/**
	 * Return how many requests were received.
	 * @return the count
	 */
	public int receivedRequests() {
		return this.requests.size();
	}

	/**
	 * Return every request received, in order of arrival.
	 * @return the requests
	 */
	public List<ResourceRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Return the token the last request carried, or {@code null} when there was no
	 * request or it carried none.
	 * @return the last token
	 */
	public String lastToken() {
		List<ResourceRequest> requests = requests();
		return requests.isEmpty() ? null : requests.get(requests.size() - 1).token();
	}

	/**
	 * Forget the requests received, the tokens to reject and the token header (back to
	 * {@code Authorization}).
	 */
	public void reset() {
		this.requests.clear();
		this.rejected.clear();
		tokenHeader(null);
	}

	@Override
	public void close() {
		this.http.close();
	}

	@Override
	public String toString() {
		return "MockResourceServer[" + baseUrl() + ", " + this.requests.size() + " requests]";
	}

	private Answer answer(HttpExchange exchange) {
		LoopbackServer.body(exchange);
		String token = token(exchange);
		String path = exchange.getRequestURI().getRawPath();
		String query = exchange.getRequestURI().getRawQuery();
		String target = (query != null) ? path + "?" + query : path;
		boolean accepted = token != null && !this.rejected.contains(token) && this.tokenServer.isActive(token);
		this.requests.add(new ResourceRequest(exchange.getRequestMethod(), target, token, accepted ? 200 : 401));
		if (token == null) {
			// RFC 6750 3.1: a request without a token gets no error code
			return Answer.empty(401).withHeader("WWW-Authenticate", "Bearer");
		}
		if (!accepted) {
			return Answer.json(401, "{\"error\":\"invalid_token\"}")
				.withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("path", path);
		body.put("registration", this.tokenServer.registrationOf(token));
		body.put("subject", this.tokenServer.subjectOf(token));
		return Answer.json(200, JsonMapper.shared().writeValueAsString(body));
	}

	private String token(HttpExchange exchange) {
		String value = exchange.getRequestHeaders().getFirst(this.tokenHeader);
		if (value == null) {
			return null;
		}
		if (!"Authorization".equalsIgnoreCase(this.tokenHeader)) {
			return value.trim();
		}
		int space = value.indexOf(' ');
		String scheme = (space > 0) ? value.substring(0, space) : "";
		return ("Bearer".equalsIgnoreCase(scheme) || "DPoP".equalsIgnoreCase(scheme))
				? value.substring(space + 1).trim() : null;
	}

}
