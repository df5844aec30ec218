package io.tokenkit.benchmarks;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.redis.RedisTokenStoreSettings;
import io.tokenkit.test.IssuedTokens;
import io.tokenkit.test.MockTokenServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenStore;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 5, many instances: three instances of one application (three
 * {@link TokenManager}s) on one {@code redis-server} that this harness starts on a free
 * loopback port, each with its own {@link RedisTokenStore} and Lettuce connection
 * factory, side by side with the same three instances each holding its own
 * {@link InMemoryTokenStore} (the "before").
 * <ol>
 * <li>Herd: every instance holds the application's {@code client_credentials} token; it
 * expires; N requests spread over the three instances find it expired. Counts
 * token-endpoint calls and failed requests, and the time until all N are done beside the
 * token call's own time (its longest, as the instance sees it): with the Redis store the
 * other instances wait for the lease and should get the token within that time + 5
 * ms.</li>
 * <li>Rotation: one user's token with a single-use refresh token is rotated R times while
 * the three instances send requests for that user; the token endpoint ends the grant when
 * a refresh token is redeemed twice. Counts refreshes, {@code invalid_grant} answers and
 * failed requests.</li>
 * </ol>
 * The token endpoints are the test kit's {@link MockTokenServer}, answering after 50 ms,
 * whose refresh tokens are single-use as Keycloak's are (a refresh token redeemed twice
 * ends its grant); the resource server is answered in memory, {@code 200} for a token the
 * server issued and {@code 401} otherwise. Writes {@code instances.md}.
 * <p>
 * Arguments: the output directory, the number of rotations R, then the values of N.
 */
public final class ManyInstancesMain {

	static final int INSTANCES = 3;

	private static final String USERS = "users";

	private static final TokenKey APP = Contenders.applicationKey();

	private static final String SUBJECT = "alice";

	private static final TokenKey USER = TokenKey.of(USERS, SUBJECT);

	private static final int FIRING_THREADS = 4;

	private static final int REQUESTS_PER_ROTATION = 30;

	private static final int EXPIRES_IN_SECONDS = 300;

	private static final Duration TOKEN_ENDPOINT_DELAY = Duration.ofMillis(50);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final byte[] SUBJECT_KEY = "benchmark-subject-key-0123456789abcdef".getBytes();

	private final LocalRedis redis;

	private final MockTokenServer endpoint;

	private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final AtomicInteger redisErrors = new AtomicInteger();

	/** The longest client_credentials token call of the current round, in nanoseconds. */
	private final AtomicLong tokenCallNanos = new AtomicLong();

	private int round;

	private ManyInstancesMain(LocalRedis redis, MockTokenServer endpoint) {
		this.redis = redis;
		this.endpoint = endpoint;
		resetCounts();
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, the number of rotations, then the values of N
	 * @throws Exception if Redis cannot be started or the run is interrupted
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		int rotations = (args.length > 1) ? Integer.parseInt(args[1]) : 100;
		int[] sizes = (args.length > 2) ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
				: new int[] { 100, 1_000, 10_000 };
		try (LocalRedis redis = LocalRedis.start(); MockTokenServer endpoint = MockTokenServer.start()) {
			new ManyInstancesMain(redis, endpoint).run(output, rotations, sizes);
		}
	}

	private void run(Output output, int rotations, int[] sizes) throws InterruptedException {
		// Warm-up: load classes and JIT-compile both paths, off the record.
		herd(false, 50);
		herd(true, 50);
		this.redisErrors.set(0);

		StringBuilder md = new StringBuilder();
		md.append("### 5a. Herd across instances\n\n");
		md.append(Output.format("Three instances, each holding the application's `client_credentials` token, which "
				+ "has just expired; N requests spread evenly over them, fired from %d threads at once. Each N "
				+ "starts from fresh instances (their own key prefix in Redis).%n%n", FIRING_THREADS));
		md.append("| N | token-endpoint calls: in-memory per instance (before) | Redis store (after) "
				+ "| failed requests: in-memory | Redis | all N done in, ms: in-memory | Redis "
				+ "| the token call itself, ms: Redis |\n");
		md.append("|---:|---:|---:|---:|---:|---:|---:|---:|\n");
		boolean herdGoal = true;
		String waitGoal = "";
		List<String> beforeCalls = new ArrayList<>();
		StringBuilder causes = new StringBuilder();
		for (int n : sizes) {
			HerdResult before = herd(false, n);
			HerdResult after = herd(true, n);
			System.out.println("herd N=" + n + " in-memory " + before + " | Redis " + after);
			md.append(Output.format("| %,d | %,d | %,d | %,d | %,d | %d | %d | %.1f |%n", n, before.tokenCalls,
					after.tokenCalls, before.failed, after.failed, before.elapsedMillis, after.elapsedMillis,
					after.tokenCallMillis));
			if (n == 100) {
				waitGoal = Output
					.format("%nGoal: with 100 requests over the three instances (Redis store), every request "
							+ "has the new token within the token call's own time + 5 ms: %s (all done in %d ms, the token "
							+ "call took %.1f ms; other instances wait for the lease and wake on its change message).%n",
							Output.met(after.elapsedMillis <= after.tokenCallMillis + 5), after.elapsedMillis,
							after.tokenCallMillis);
			}
			herdGoal &= after.tokenCalls == 1 && after.failed == 0;
			beforeCalls.add(Integer.toString(before.tokenCalls));
			before.describeCauses(causes, n, "in-memory");
			after.describeCauses(causes, n, "Redis");
		}
		md.append(causes.isEmpty() ? "\nNo request failed.\n" : "\nFailure causes: " + causes + ".\n");
		md.append(
				"\nGoal: three instances sharing the Redis store make exactly 1 token-endpoint call per expiry, with 0 "
						+ "failed requests, for every N: ")
			.append(Output.met(herdGoal))
			.append(" (in-memory per instance: ")
			.append(String.join(", ", beforeCalls))
			.append(" calls).\n")
			.append(waitGoal)
			.append("\n");

		RotationResult before = rotation(false, rotations);
		RotationResult after = rotation(true, rotations);
		System.out.println("rotation in-memory " + before + " | Redis " + after);
		md.append("### 5b. Rotation of a single-use refresh token\n\n");
		md.append(Output.format("One user's token (`expires_in` %d s) with a single-use refresh token, rotated %d "
				+ "times: odd rotations %d s after the last token was issued (inside the 30 s refresh window: the "
				+ "token keeps serving, one refresh runs in the background), even ones %d s after (expired: "
				+ "requests wait for the refresh). Each rotation sends %d requests for that user, spread over the "
				+ "three instances, then waits until the token endpoint has been quiet for 150 ms. The endpoint ends "
				+ "the grant when a refresh token is redeemed a second time. With Redis the first token is saved "
				+ "once, on one instance; in memory it is saved on each instance, the only thing they share.%n%n",
				EXPIRES_IN_SECONDS, rotations, EXPIRES_IN_SECONDS - 10, EXPIRES_IN_SECONDS + 1, REQUESTS_PER_ROTATION));
		md.append("| store | rotations | refresh calls | per rotation | `invalid_grant` | first `invalid_grant` at "
				+ "rotation | failed requests | first failed request at rotation | took, ms |\n");
		md.append("|---|---:|---:|---:|---:|---|---:|---|---:|\n");
		md.append(before.row("in-memory per instance (before)", rotations));
		md.append(after.row("Redis store (after)", rotations));
		boolean rotationGoal = after.refreshes == rotations && after.invalidGrants == 0 && after.failed == 0;
		md.append(Output.format("%nGoal: with the Redis store, 1 refresh per rotation, 0 `invalid_grant` and 0 failed "
				+ "requests over %d rotations: ", rotations))
			.append(Output.met(rotationGoal))
			.append(Output.format(
					" (%,d refreshes, %,d `invalid_grant`, %,d failed of %,d; in-memory per instance: "
							+ "%,d `invalid_grant` from rotation %s, %,d failed from rotation %s).%n",
					after.refreshes, after.invalidGrants, after.failed, after.requests, before.invalidGrants,
					before.firstInvalidGrant(), before.failed, before.firstFailure()));
		md.append(Output.format("%nRedis calls that failed or timed out during the measured runs: %d.%n",
				this.redisErrors.get()));
		output.write("instances.md", md);
	}

	private HerdResult herd(boolean shared, int n) throws InterruptedException {
		this.round++;
		this.clock.set(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(this.round)));
		List<Instance> instances = instances(shared);
		try {
			// every instance holds the token (with Redis: one call, the others read it)
			for (Instance instance : instances) {
				instance.manager.getToken(APP).block(REQUEST_TIMEOUT);
			}
			this.clock.set(this.clock.instant().plusSeconds(EXPIRES_IN_SECONDS).plusMillis(1));
			resetCounts();
			this.tokenCallNanos.set(0);
			AtomicInteger failed = new AtomicInteger();
			Map<String, Integer> causes = new ConcurrentHashMap<>();
			CountDownLatch start = new CountDownLatch(1);
			CountDownLatch done = new CountDownLatch(n);
			Thread[] threads = new Thread[FIRING_THREADS];
			AtomicInteger next = new AtomicInteger();
			for (int t = 0; t < FIRING_THREADS; t++) {
				threads[t] = new Thread(() -> {
					try {
						start.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
						instances.get(i % INSTANCES).client.get()
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
				}, "instances-firing-" + t);
				threads[t].start();
			}
			long startedAt = System.nanoTime();
			start.countDown();
			boolean finished = done.await(REQUEST_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
			long elapsedMillis = (System.nanoTime() - startedAt) / 1_000_000;
			for (Thread thread : threads) {
				thread.join(TimeUnit.SECONDS.toMillis(10));
			}
			int unfinished = (int) done.getCount();
			if (!finished) {
				causes.merge("unfinished", unfinished, Integer::sum);
			}
			// calls still arriving after the last request ended are counted too
			this.endpoint.awaitQuiet(Duration.ofMillis(200), Duration.ofSeconds(10));
			return new HerdResult(this.endpoint.tokenCalls(Contenders.REGISTRATION_ID, "client_credentials"),
					failed.get() + unfinished, new TreeMap<>(causes), elapsedMillis,
					this.tokenCallNanos.get() / 1_000_000.0);
		}
		finally {
			close(instances);
		}
	}

	private RotationResult rotation(boolean shared, int rotations) throws InterruptedException {
		this.round++;
		this.clock.set(Instant.parse("2026-01-01T00:00:00Z").plus(Duration.ofDays(this.round)));
		List<Instance> instances = instances(shared);
		try {
			IssuedTokens firstTokens = this.endpoint.registration(USERS).issueRefreshToken(SUBJECT);
			AccessToken first = AccessToken.withValue(firstTokens.accessToken())
				.issuedAt(this.clock.instant())
				.expiresAt(this.clock.instant().plusSeconds(EXPIRES_IN_SECONDS))
				.refreshToken(firstTokens.refreshToken())
				.build();
			for (Instance instance : (shared ? instances.subList(0, 1) : instances)) {
				instance.manager.save(USER, first).block(REQUEST_TIMEOUT);
			}
			resetCounts();
			AtomicInteger failed = new AtomicInteger();
			Map<String, Integer> causes = new ConcurrentHashMap<>();
			int firstFailure = 0;
			int firstInvalidGrant = 0;
			long startedAt = System.nanoTime();
			for (int r = 1; r <= rotations; r++) {
				this.clock.set(this.clock.instant()
					.plusSeconds((r % 2 == 0) ? EXPIRES_IN_SECONDS + 1 : EXPIRES_IN_SECONDS - 10));
				int failedBefore = failed.get();
				Flux.range(0, REQUESTS_PER_ROTATION)
					.flatMap((i) -> instances.get(i % INSTANCES).userClient.get()
						.uri(Contenders.RESOURCE)
						.attributes(BearerTokenExchangeFilterFunction.subject(SUBJECT))
						.retrieve()
						.toBodilessEntity()
						.timeout(REQUEST_TIMEOUT)
						.subscribeOn(Schedulers.parallel())
						.onErrorResume((error) -> {
							failed.incrementAndGet();
							causes.merge(error.getClass().getSimpleName(), 1, Integer::sum);
							return Mono.empty();
						}))
					.then()
					.block(REQUEST_TIMEOUT.plusSeconds(10));
				if (firstFailure == 0 && failed.get() > failedBefore) {
					firstFailure = r;
				}
				// a refresh ahead of expiry runs in the background: count it in this
				// rotation
				this.endpoint.awaitQuiet(Duration.ofMillis(150), Duration.ofSeconds(10));
				if (firstInvalidGrant == 0 && this.endpoint.registration(USERS).errors("invalid_grant") > 0) {
					firstInvalidGrant = r;
				}
			}
			long elapsedMillis = (System.nanoTime() - startedAt) / 1_000_000;
			return new RotationResult(this.endpoint.tokenCalls(USERS, "refresh_token"),
					this.endpoint.registration(USERS).errors("invalid_grant"), failed.get(),
					rotations * REQUESTS_PER_ROTATION, firstInvalidGrant, firstFailure, new TreeMap<>(causes),
					elapsedMillis);
		}
		finally {
			close(instances);
		}
	}

	/**
	 * Forget the token endpoint's counts and set its answers again: after 50 ms, tokens
	 * valid {@link #EXPIRES_IN_SECONDS}.
	 */
	private void resetCounts() {
		this.endpoint.reset();
		for (String registration : List.of(Contenders.REGISTRATION_ID, USERS)) {
			this.endpoint.registration(registration)
				.delay(TOKEN_ENDPOINT_DELAY)
				.expiresIn(Duration.ofSeconds(EXPIRES_IN_SECONDS));
		}
	}

	/**
	 * Start three instances: with a shared Redis store (a key prefix of their own for
	 * this round), or each with its own in-memory store.
	 */
	private List<Instance> instances(boolean shared) throws InterruptedException {
		List<Instance> instances = new ArrayList<>();
		String keyPrefix = "tokenkit-bench:" + this.round + ":";
		for (int i = 0; i < INSTANCES; i++) {
			LettuceConnectionFactory factory = shared ? LocalRedis.connectionFactory(this.redis.port()) : null;
			RedisTokenStore redisStore = (factory != null)
					? new RedisTokenStore(new ReactiveStringRedisTemplate(factory), keyPrefix, this.clock,
							RedisTokenStoreSettings.defaults()
								.withSubjectKey(SUBJECT_KEY)
								.withErrors((operation) -> this.redisErrors.incrementAndGet()))
					: null;
			TokenStore store = (redisStore != null) ? redisStore : new InMemoryTokenStore();
			instances.add(new Instance(manager(store), redisStore, factory));
		}
		if (shared) {
			awaitSubscribers(instances.get(0), keyPrefix + "changes");
		}
		return instances;
	}

	private TokenManager manager(TokenStore store) {
		OAuth2TokenClient orders = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.endpoint.tokenUri(Contenders.REGISTRATION_ID)), "bench-client", "bench-secret",
				ClientAuthenticationMethod.BASIC, Contenders.REGISTRATION_ID, "oauth2", TokenRequestObserver.NOOP);
		OAuth2TokenClient users = new OAuth2TokenClient(WebClient.create(), URI.create(this.endpoint.tokenUri(USERS)),
				"bench-users", "bench-secret", ClientAuthenticationMethod.BASIC, USERS, "oauth2",
				TokenRequestObserver.NOOP);
		return new TokenManager(
				List.of(TokenRegistration.of(Contenders.REGISTRATION_ID,
						timed(new ClientCredentialsTokenSource(orders, List.of(), Map.of(), this.clock))),
						TokenRegistration.of(USERS, new RefreshTokenTokenSource(users, List.of(), null, this.clock))),
				store, this.clock, TokenEventListener.NONE, TokenManager.DEFAULT_ACQUIRE_TIMEOUT);
	}

	/**
	 * A token source that records how long its longest call took, from subscription to
	 * the token, as the instance sees it.
	 */
	private TokenSource timed(TokenSource source) {
		return (key) -> Mono.defer(() -> {
			long started = System.nanoTime();
			return source.obtain(key)
				.doOnNext((token) -> this.tokenCallNanos.accumulateAndGet(System.nanoTime() - started, Math::max));
		});
	}

	/** Wait, at most 5 s, until every instance listens to the change channel. */
	private static void awaitSubscribers(Instance instance, String channel) throws InterruptedException {
		LettuceConnectionFactory factory = instance.factory;
		if (factory == null) {
			throw new IllegalStateException("Only an instance on Redis has subscribers");
		}
		ReactiveStringRedisTemplate template = new ReactiveStringRedisTemplate(factory);
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
		while (System.nanoTime() < deadline) {
			Long receivers = template.convertAndSend(channel, "X 0 nothing").block(Duration.ofSeconds(2));
			if (receivers != null && receivers >= INSTANCES) {
				return;
			}
			Thread.sleep(20);
		}
		throw new IllegalStateException("The instances did not subscribe to " + channel + " within 5 s");
	}

	private static void close(List<Instance> instances) {
		for (Instance instance : instances) {
			instance.manager.close();
			if (instance.store != null) {
				instance.store.close();
			}
			if (instance.factory != null) {
				instance.factory.destroy();
			}
		}
	}

	private ExchangeFunction resourceServer() {
		return (request) -> {
			String authorization = request.headers().getFirst(HttpHeaders.AUTHORIZATION);
			boolean valid = authorization != null && authorization.startsWith("Bearer ")
					&& this.endpoint.issued(authorization.substring(7));
			return Mono.just(ClientResponse.create(valid ? HttpStatus.OK : HttpStatus.UNAUTHORIZED).build());
		};
	}

	/**
	 * One instance of the application: its manager, its clients (application token and
	 * per-user tokens), and its Redis parts.
	 */
	private final class Instance {

		final TokenManager manager;

		final WebClient client;

		final WebClient userClient;

		final @Nullable RedisTokenStore store;

		final @Nullable LettuceConnectionFactory factory;

		Instance(TokenManager manager, @Nullable RedisTokenStore store, @Nullable LettuceConnectionFactory factory) {
			this.manager = manager;
			this.store = store;
			this.factory = factory;
			WebClient.Builder resource = Contenders.builder(resourceServer());
			this.client = resource.clone()
				.filter(new BearerTokenExchangeFilterFunction(manager, Contenders.REGISTRATION_ID))
				.build();
			this.userClient = resource.clone().filter(new BearerTokenExchangeFilterFunction(manager, USERS)).build();
		}

	}

	private record HerdResult(int tokenCalls, int failed, Map<String, Integer> causes, long elapsedMillis,
			double tokenCallMillis) {

		void describeCauses(StringBuilder text, int n, String store) {
			if (!this.causes.isEmpty()) {
				text.append((text.length() > 0) ? "; " : "")
					.append(Output.format("N = %,d %s: ", n, store))
					.append(this.causes.toString().replace("{", "").replace("}", "").replace("=", ": "));
			}
		}

	}

	private record RotationResult(int refreshes, int invalidGrants, int failed, int requests,
			int firstInvalidGrantRotation, int firstFailingRotation, Map<String, Integer> causes, long elapsedMillis) {

		String firstInvalidGrant() {
			return (this.firstInvalidGrantRotation > 0) ? Integer.toString(this.firstInvalidGrantRotation) : "none";
		}

		String firstFailure() {
			return (this.firstFailingRotation > 0) ? Integer.toString(this.firstFailingRotation) : "none";
		}

		String row(String store, int rotations) {
			return Output.format("| %s | %,d | %,d | %.2f | %,d | %s | %,d of %,d | %s | %d |%n", store, rotations,
					this.refreshes, this.refreshes / (double) rotations, this.invalidGrants, firstInvalidGrant(),
					this.failed, this.requests, firstFailure(), this.elapsedMillis);
		}

	}

}
