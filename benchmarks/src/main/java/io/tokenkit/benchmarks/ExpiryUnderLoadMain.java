package io.tokenkit.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.reactivestreams.Publisher;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenManager;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 3: expiry under load. N requests (100, 1,000, 10,000) are fired from several
 * threads at once while the cached token has just expired (1 ms ago by the shared
 * {@link MutableClock}); the token endpoint is a Reactor Netty server on 127.0.0.1 that
 * answers after 50 ms. Counts token-endpoint calls and failed requests for TokenKit and
 * for Spring Security. Each side talks to the token endpoint through its default,
 * unmodified token client and connection pool.
 * <p>
 * The resource server is answered in memory: {@code 200} for a token the token endpoint
 * issued, {@code 401} otherwise (the expired token), so a request sent with the expired
 * token counts as failed.
 * <p>
 * Arguments: the output directory, then optionally the values of N.
 */
public final class ExpiryUnderLoadMain {

	private static final String EXPIRED_TOKEN = "expired-token-expired-token-expired-token-x";

	private static final int FIRING_THREADS = 4;

	private static final Duration TOKEN_ENDPOINT_DELAY = Duration.ofMillis(50);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final AtomicInteger tokenCalls = new AtomicInteger();

	private final Set<String> issued = ConcurrentHashMap.newKeySet();

	private final AtomicInteger sequence = new AtomicInteger();

	private String tokenUri = "";

	private ExpiryUnderLoadMain() {
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, then optionally the values of N
	 * @throws InterruptedException if interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		Output output = new Output(args[0]);
		int[] sizes = (args.length > 1) ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
				: new int[] { 100, 1_000, 10_000 };
		ExpiryUnderLoadMain bench = new ExpiryUnderLoadMain();
		DisposableServer tokenEndpoint = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.post("/token", bench::token))
			.bindNow();
		try {
			bench.tokenUri = "http://127.0.0.1:" + tokenEndpoint.port() + "/token";
			// Warm-up: load classes and JIT-compile both paths, off the record.
			bench.round(true, 50);
			bench.round(false, 50);

			StringBuilder md = new StringBuilder();
			md.append(
					"| N | contender | token-endpoint calls | failed requests | failure causes | all done in, ms |\n");
			md.append("|---:|---|---:|---:|---|---:|\n");
			StringBuilder dat = new StringBuilder("# N no_filter tokenkit spring_security (token-endpoint calls)\n");
			boolean goalMet = true;
			for (int n : sizes) {
				Result tokenKit = bench.round(true, n);
				Result spring = bench.round(false, n);
				System.out.println("N=" + n + " TokenKit " + tokenKit + " | Spring Security " + spring);
				md.append(tokenKit.row(n, "b. TokenKit")).append(spring.row(n, "c. Spring Security"));
				dat.append(Output.format("%d 0 %d %d%n", n, tokenKit.tokenCalls, spring.tokenCalls));
				goalMet &= tokenKit.tokenCalls == 1 && tokenKit.failed == 0;
			}
			md.append("\nA client with no filter (a) sends no token and makes no token-endpoint call.\n\n");
			md.append("Goal: exactly 1 token-endpoint call and 0 failed requests for every N (TokenKit): ")
				.append(Output.met(goalMet))
				.append(".\n");
			output.write("expiry.md", md);
			output.write("expiry.dat", dat);
		}
		finally {
			tokenEndpoint.disposeNow();
		}
	}

	/**
	 * The token endpoint: counts the call, answers a fresh token after
	 * {@link #TOKEN_ENDPOINT_DELAY}.
	 */
	private Publisher<Void> token(HttpServerRequest request, HttpServerResponse response) {
		this.tokenCalls.incrementAndGet();
		String token = Output.format("issued-%037d", this.sequence.incrementAndGet());
		this.issued.add(token);
		String body = "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}";
		return request.receive()
			.then()
			.then(Mono.delay(TOKEN_ENDPOINT_DELAY))
			.then(response.header("Content-Type", "application/json").sendString(Mono.just(body)).then());
	}

	private Result round(boolean tokenKit, int n) throws InterruptedException {
		Instant now = Instant.now();
		MutableClock clock = new MutableClock(now);
		Instant issuedAt = now.minus(Duration.ofHours(1));
		Instant expiresAt = now.minusMillis(1);
		WebClient.Builder resource = Contenders.builder(resourceServer());
		WebClient client;
		if (tokenKit) {
			OAuth2TokenClient tokenClient = new OAuth2TokenClient(WebClient.create(), URI.create(this.tokenUri),
					"bench-client", "bench-secret", ClientAuthenticationMethod.BASIC, Contenders.REGISTRATION_ID,
					"oauth2", TokenRequestObserver.NOOP);
			TokenManager manager = Contenders
				.tokenKitManager(new ClientCredentialsTokenSource(tokenClient, List.of(), Map.of(), clock), clock);
			manager
				.save(Contenders.applicationKey(),
						AccessToken.withValue(EXPIRED_TOKEN).issuedAt(issuedAt).expiresAt(expiresAt).build())
				.block();
			client = Contenders.tokenKit(resource, manager);
		}
		else {
			Contenders.SpringSecurity spring = Contenders.springSecurity(this.tokenUri, clock);
			spring.seed(EXPIRED_TOKEN, issuedAt, expiresAt);
			client = spring.client(resource);
		}
		this.tokenCalls.set(0);
		AtomicInteger failed = new AtomicInteger();
		Map<String, Integer> causes = new ConcurrentHashMap<>();
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(n);
		Thread[] threads = new Thread[FIRING_THREADS];
		long[] startedAt = new long[1];
		for (int t = 0; t < FIRING_THREADS; t++) {
			int share = n / FIRING_THREADS + ((t < n % FIRING_THREADS) ? 1 : 0);
			threads[t] = new Thread(() -> {
				try {
					start.await();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
				for (int i = 0; i < share; i++) {
					client.get()
						.uri(Contenders.RESOURCE)
						.retrieve()
						.toBodilessEntity()
						.timeout(REQUEST_TIMEOUT)
						.subscribe((entity) -> done.countDown(), (error) -> {
							failed.incrementAndGet();
							causes.merge(error.getClass().getSimpleName(), 1, Integer::sum);
							done.countDown();
						});
				}
			}, "expiry-firing-" + t);
			threads[t].start();
		}
		startedAt[0] = System.nanoTime();
		start.countDown();
		boolean finished = done.await(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
		long elapsedMillis = (System.nanoTime() - startedAt[0]) / 1_000_000;
		for (Thread thread : threads) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
		}
		int unfinished = (int) done.getCount();
		if (!finished) {
			causes.merge("unfinished", unfinished, Integer::sum);
		}
		// Calls still arriving after the last request ended are counted too.
		Thread.sleep(200);
		return new Result(this.tokenCalls.get(), failed.get() + unfinished, new TreeMap<>(causes), elapsedMillis);
	}

	private ExchangeFunction resourceServer() {
		return (request) -> {
			String authorization = request.headers().getFirst(HttpHeaders.AUTHORIZATION);
			boolean valid = authorization != null && authorization.startsWith("Bearer ")
					&& this.issued.contains(authorization.substring(7));
			return Mono.just(ClientResponse.create(valid ? HttpStatus.OK : HttpStatus.UNAUTHORIZED).build());
		};
	}

	private record Result(int tokenCalls, int failed, Map<String, Integer> causes, long elapsedMillis) {

		String row(int n, String contender) {
			String causeText = causes.isEmpty() ? "–"
					: causes.toString().replace("{", "").replace("}", "").replace("=", ": ");
			return Output.format("| %,d | %s | %,d | %,d | %s | %d |%n", n, contender, this.tokenCalls, this.failed,
					causeText, this.elapsedMillis);
		}

	}

}
