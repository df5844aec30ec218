package io.tokenkit.benchmarks;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A loopback OAuth 2.0 token endpoint (Reactor Netty on 127.0.0.1) that answers after a
 * fixed delay and treats refresh tokens as Keycloak does with single-use refresh tokens:
 * each may be redeemed once; redeeming one again answers {@code invalid_grant} and ends
 * the whole grant, so that the refresh token issued for the first use is refused too.
 * Counts calls by grant and remembers every access token it issued, for an in-memory
 * resource server to accept.
 */
final class SingleUseTokenEndpoint implements AutoCloseable {

	private final DisposableServer server;

	private final Duration delay;

	private final int expiresIn;

	private final AtomicInteger sequence = new AtomicInteger();

	private final AtomicInteger clientCredentials = new AtomicInteger();

	private final AtomicInteger refreshes = new AtomicInteger();

	private final AtomicInteger invalidGrants = new AtomicInteger();

	private final AtomicInteger running = new AtomicInteger();

	private final AtomicLong lastActivityNanos = new AtomicLong(System.nanoTime());

	private final Set<String> issued = ConcurrentHashMap.newKeySet();

	/** Refresh token → its grant, until redeemed; guarded by {@code this}. */
	private final Map<String, String> liveRefreshTokens = new HashMap<>();

	/** Refresh tokens redeemed once → their grant; guarded by {@code this}. */
	private final Map<String, String> usedRefreshTokens = new HashMap<>();

	/** Grants ended by a reuse; guarded by {@code this}. */
	private final Set<String> endedGrants = new HashSet<>();

	/**
	 * Start the endpoint on a free loopback port.
	 * @param delay how long each answer waits
	 * @param expiresIn the {@code expires_in} of every token, in seconds
	 */
	SingleUseTokenEndpoint(Duration delay, int expiresIn) {
		this.delay = delay;
		this.expiresIn = expiresIn;
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/token", this::token))
			.bindNow();
	}

	String tokenUri() {
		return "http://127.0.0.1:" + this.server.port() + "/token";
	}

	/**
	 * Start a grant for a user, as an authorization-code exchange would.
	 * @param accessToken the access token issued with it
	 * @return the grant's first refresh token
	 */
	synchronized String grant(String accessToken) {
		String grant = "grant-" + this.sequence.incrementAndGet();
		String refreshToken = "rt-" + grant + "-0";
		this.liveRefreshTokens.put(refreshToken, grant);
		this.issued.add(accessToken);
		return refreshToken;
	}

	boolean issued(String accessToken) {
		return this.issued.contains(accessToken);
	}

	int clientCredentialsCalls() {
		return this.clientCredentials.get();
	}

	int refreshCalls() {
		return this.refreshes.get();
	}

	int invalidGrants() {
		return this.invalidGrants.get();
	}

	void resetCounts() {
		this.clientCredentials.set(0);
		this.refreshes.set(0);
		this.invalidGrants.set(0);
	}

	/**
	 * Wait until, from now on, no call has been running, received or answered for
	 * {@code quiet}, at most {@code max}: calls started in the background (a refresh
	 * ahead of expiry) are then counted.
	 * @param quiet the quiet time
	 * @param max the longest wait
	 * @throws InterruptedException if interrupted
	 */
	void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
		long since = System.nanoTime();
		long deadline = since + max.toNanos();
		while (System.nanoTime() < deadline) {
			long lastActivity = Math.max(since, this.lastActivityNanos.get());
			if (this.running.get() == 0 && System.nanoTime() - lastActivity >= quiet.toNanos()) {
				return;
			}
			Thread.sleep(10);
		}
	}

	private Publisher<Void> token(HttpServerRequest request, HttpServerResponse response) {
		this.running.incrementAndGet();
		this.lastActivityNanos.set(System.nanoTime());
		return request.receive()
			.aggregate()
			.asString(StandardCharsets.UTF_8)
			.defaultIfEmpty("")
			.map(this::answer)
			.delayElement(this.delay)
			.flatMap((answer) -> response.status(answer.status())
				.header("Content-Type", "application/json")
				.sendString(Mono.just(answer.body()))
				.then())
			.doFinally((signal) -> {
				this.lastActivityNanos.set(System.nanoTime());
				this.running.decrementAndGet();
			});
	}

	private Answer answer(String body) {
		Map<String, String> form = form(body);
		String grantType = form.get("grant_type");
		int n = this.sequence.incrementAndGet();
		if ("client_credentials".equals(grantType)) {
			this.clientCredentials.incrementAndGet();
			return issue(Output.format("cc-%039d", n), null);
		}
		if ("refresh_token".equals(grantType)) {
			this.refreshes.incrementAndGet();
			String presented = form.get("refresh_token");
			synchronized (this) {
				String grant = this.liveRefreshTokens.remove(presented);
				if (grant == null || this.endedGrants.contains(grant)) {
					String reused = this.usedRefreshTokens.get(presented);
					if (reused != null) {
						// reuse detected: the whole grant (the user's session) ends
						this.endedGrants.add(reused);
					}
					this.invalidGrants.incrementAndGet();
					return new Answer(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Maximum allowed "
							+ "refresh token reuse exceeded\"}");
				}
				this.usedRefreshTokens.put(presented, grant);
				String next = "rt-" + grant + "-" + n;
				this.liveRefreshTokens.put(next, grant);
				return issue("at-" + grant + "-" + n, next);
			}
		}
		return new Answer(400, "{\"error\":\"unsupported_grant_type\"}");
	}

	private Answer issue(String accessToken, @Nullable String refreshToken) {
		this.issued.add(accessToken);
		return new Answer(200, "{\"access_token\":\"" + accessToken + "\",\"token_type\":\"Bearer\",\"expires_in\":"
				+ this.expiresIn + ((refreshToken != null) ? ",\"refresh_token\":\"" + refreshToken + "\"" : "") + "}");
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
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(10));
	}

	private record Answer(int status, String body) {
	}

}
