package io.tokenkit.testsupport;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback token endpoint with one single-use refresh token that it rotates on every
 * refresh it accepts: {@code rt-0} first, then {@code rt-1}, {@code rt-2}, …; any other
 * refresh token is refused as dead. It can be told to answer the next accepted refresh
 * with a success answer that TokenKit refuses, after rotating all the same, as a server
 * does whose answer is broken but whose rotation is done. Speaks OAuth 2.0 ({@code POST}
 * form, {@code refresh_token}; {@code invalid_grant}) or SaaSus
 * ({@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}; {@code 404}).
 */
public final class RotatingRefreshServer implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private final boolean saasus;

	private final Queue<Function<String, String>> refusals = new ConcurrentLinkedQueue<>();

	private final List<String> presented = new CopyOnWriteArrayList<>();

	private int rotations;

	private volatile String live = "rt-0";

	private volatile int deadRefreshTokens;

	private RotatingRefreshServer(boolean saasus) throws IOException {
		this.saasus = saasus;
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}
		});
		this.server.start();
	}

	/**
	 * Start an OAuth 2.0 token endpoint at {@link #url(String) url("/token")}.
	 * @return the server
	 * @throws IOException if it cannot start
	 */
	public static RotatingRefreshServer oauth2() throws IOException {
		return new RotatingRefreshServer(false);
	}

	/**
	 * Start a SaaSus Auth API whose base URL is {@link #url(String) url("/v1/auth")}.
	 * @return the server
	 * @throws IOException if it cannot start
	 */
	public static RotatingRefreshServer saasus() throws IOException {
		return new RotatingRefreshServer(true);
	}

	public String url(String path) {
		return this.server.url(path).toString();
	}

	/**
	 * Answer the next accepted refresh with the given body, made from the refresh token
	 * the server has rotated to, instead of a token.
	 * @param body the body of the refused answer, given the new refresh token
	 */
	public void refuseNext(Function<String, String> body) {
		this.refusals.add(body);
	}

	/**
	 * Return the refresh token the server accepts now.
	 * @return the live refresh token
	 */
	public String live() {
		return this.live;
	}

	/**
	 * Return every refresh token presented, in order.
	 * @return the refresh tokens presented
	 */
	public List<String> presented() {
		return this.presented;
	}

	/**
	 * Return how many refreshes presented a refresh token that was not the live one.
	 * @return the refreshes refused as dead
	 */
	public int deadRefreshTokens() {
		return this.deadRefreshTokens;
	}

	private synchronized MockResponse answer(RecordedRequest request) {
		String refreshToken = this.saasus ? query(request).get("refresh-token")
				: form(request.getBody().utf8()).get("refresh_token");
		this.presented.add(String.valueOf(refreshToken));
		if (refreshToken == null || !refreshToken.equals(this.live)) {
			this.deadRefreshTokens++;
			return this.saasus ? json(404, "{\"type\":\"not_found\",\"message\":\"refresh token not found\"}")
					: json(400, "{\"error\":\"invalid_grant\"}");
		}
		int n = ++this.rotations;
		this.live = "rt-" + n;
		Function<String, String> refusal = this.refusals.poll();
		if (refusal != null) {
			return json(200, refusal.apply(this.live));
		}
		return json(200, this.saasus
				? "{\"id_token\":\"id-" + n + "\",\"access_token\":\"at-" + n + "\",\"refresh_token\":\"" + this.live
						+ "\"}"
				: "{\"access_token\":\"at-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":600,\"refresh_token\":\""
						+ this.live + "\"}");
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static Map<String, String> query(RecordedRequest request) {
		String query = request.getUrl().encodedQuery();
		return form((query != null) ? query : "");
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
