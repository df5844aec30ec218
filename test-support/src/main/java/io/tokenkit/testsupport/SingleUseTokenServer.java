package io.tokenkit.testsupport;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A loopback OAuth 2.0 token endpoint that behaves like Keycloak with single-use refresh
 * tokens: each refresh token may be redeemed once; redeeming one again answers
 * {@code invalid_grant} and revokes the whole grant, so that the new refresh token issued
 * for the first use is refused too. Counts every call by grant.
 */
public final class SingleUseTokenServer implements AutoCloseable {

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger issued = new AtomicInteger();

	private final AtomicInteger clientCredentials = new AtomicInteger();

	private final AtomicInteger refreshes = new AtomicInteger();

	private final AtomicInteger invalidGrants = new AtomicInteger();

	/** Refresh token → its grant; removed once redeemed. */
	private final Map<String, String> liveRefreshTokens = new ConcurrentHashMap<>();

	/** Refresh tokens redeemed once, with their grant. */
	private final Map<String, String> usedRefreshTokens = new ConcurrentHashMap<>();

	private final Set<String> revokedGrants = ConcurrentHashMap.newKeySet();

	private volatile int expiresIn = 60;

	private volatile Duration delay = Duration.ZERO;

	public SingleUseTokenServer() throws IOException {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				return answer(request);
			}
		});
		this.server.start();
	}

	/**
	 * Return the token endpoint's URL.
	 * @return the URL
	 */
	public String tokenUri() {
		return this.server.url("/token").toString();
	}

	/**
	 * Start a grant for a user, as an authorization-code exchange would, and return its
	 * refresh token.
	 * @return the refresh token
	 */
	public String grant() {
		String grant = "grant-" + this.issued.incrementAndGet();
		String refreshToken = "rt-" + grant + "-0";
		this.liveRefreshTokens.put(refreshToken, grant);
		return refreshToken;
	}

	public void expiresIn(int seconds) {
		this.expiresIn = seconds;
	}

	public void delay(Duration delay) {
		this.delay = delay;
	}

	public int clientCredentialsCalls() {
		return this.clientCredentials.get();
	}

	public int refreshCalls() {
		return this.refreshes.get();
	}

	public int invalidGrants() {
		return this.invalidGrants.get();
	}

	private MockResponse answer(RecordedRequest request) {
		Map<String, String> form = form(request.getBody().utf8());
		String grantType = form.get("grant_type");
		int n = this.issued.incrementAndGet();
		if ("client_credentials".equals(grantType)) {
			this.clientCredentials.incrementAndGet();
			return json(200, "{\"access_token\":\"cc-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":"
					+ this.expiresIn + "}");
		}
		if ("refresh_token".equals(grantType)) {
			this.refreshes.incrementAndGet();
			String presented = form.get("refresh_token");
			synchronized (this) {
				String grant = this.liveRefreshTokens.remove(presented);
				if (grant == null || this.revokedGrants.contains(grant)) {
					String reused = this.usedRefreshTokens.get(presented);
					if (reused != null) {
						// reuse detected: the whole grant (the user's session) ends
						this.revokedGrants.add(reused);
					}
					this.invalidGrants.incrementAndGet();
					return json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Maximum allowed refresh "
							+ "token reuse exceeded\"}");
				}
				this.usedRefreshTokens.put(presented, grant);
				String next = "rt-" + grant + "-" + n;
				this.liveRefreshTokens.put(next, grant);
				return json(200,
						"{\"access_token\":\"at-" + grant + "-" + n + "\",\"token_type\":\"Bearer\",\"expires_in\":"
								+ this.expiresIn + ",\"refresh_token\":\"" + next + "\"}");
			}
		}
		return json(400, "{\"error\":\"unsupported_grant_type\"}");
	}

	/**
	 * An answer, sent after the configured delay: the server has done its work, its
	 * answer is slow.
	 */
	private MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status)
			.addHeader("Content-Type", "application/json")
			.body(body)
			.headersDelay(this.delay.toMillis(), TimeUnit.MILLISECONDS)
			.build();
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
