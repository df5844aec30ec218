package io.tokenkit.benchmarks;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenManager;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 6b: expiry under load on virtual threads. N virtual threads (100, 1,000,
 * 10,000), all started and waiting, each send one blocking {@link RestClient} request at
 * once while the cached token has just expired (1 ms ago by the shared
 * {@link MutableClock}); the token endpoint is a Reactor Netty server on 127.0.0.1 that
 * answers after 50 ms ({@link LoopbackTokenEndpoint}). Counts token-endpoint calls and
 * failed requests for TokenKit's interceptor and for Spring Security's. Each side talks
 * to the token endpoint through its default, unmodified token client.
 * <p>
 * The resource server is answered in memory ({@link BlockingContenders#inMemory}):
 * {@code 200} for a token the token endpoint issued, {@code 401} otherwise (the expired
 * token), so a request sent with the expired token counts as failed.
 * <p>
 * This module is compiled for Java 17: virtual threads come from
 * {@code Executors.newVirtualThreadPerTaskExecutor()}, looked up by reflection, so this
 * harness must run on a JDK 21 or later ({@code run.sh} uses the machine's Temurin JDK).
 * <p>
 * Arguments: the output directory, then optionally the values of N.
 */
public final class BlockingExpiryMain {

	private static final String EXPIRED_TOKEN = "expired-token-expired-token-expired-token-x";

	private static final Duration TOKEN_ENDPOINT_DELAY = Duration.ofMillis(50);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private final LoopbackTokenEndpoint endpoint;

	private final Method newVirtualThreadPerTaskExecutor;

	private final Method isVirtual;

	private BlockingExpiryMain(LoopbackTokenEndpoint endpoint, Method newVirtualThreadPerTaskExecutor,
			Method isVirtual) {
		this.endpoint = endpoint;
		this.newVirtualThreadPerTaskExecutor = newVirtualThreadPerTaskExecutor;
		this.isVirtual = isVirtual;
	}

	/**
	 * Run the benchmark.
	 * @param args the output directory, then optionally the values of N
	 * @throws Exception if interrupted or virtual threads cannot be created
	 */
	public static void main(String[] args) throws Exception {
		Output output = new Output(args[0]);
		int[] sizes = (args.length > 1) ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
				: new int[] { 100, 1_000, 10_000 };
		Method newVirtualThreadPerTaskExecutor;
		Method isVirtual;
		try {
			newVirtualThreadPerTaskExecutor = Executors.class.getMethod("newVirtualThreadPerTaskExecutor");
			isVirtual = Thread.class.getMethod("isVirtual");
		}
		catch (NoSuchMethodException ex) {
			System.err.println("BlockingExpiryMain needs virtual threads, Java 21 or later; this JVM is Java "
					+ Runtime.version() + " (" + System.getProperty("java.home") + "). Run it with a JDK 21+ "
					+ "(run.sh: set TEMURIN_JAVA).");
			System.exit(2);
			return;
		}
		try (LoopbackTokenEndpoint endpoint = new LoopbackTokenEndpoint(TOKEN_ENDPOINT_DELAY)) {
			BlockingExpiryMain bench = new BlockingExpiryMain(endpoint, newVirtualThreadPerTaskExecutor, isVirtual);
			// Warm-up: load classes and JIT-compile both paths, off the record.
			bench.round(true, 50);
			bench.round(false, 50);

			StringBuilder md = new StringBuilder();
			md.append(Output.format("JVM: %s %s (`%s`), %d CPUs.%n%n", System.getProperty("java.vm.name"),
					Runtime.version(), System.getProperty("java.home"), Runtime.getRuntime().availableProcessors()));
			md.append("| N virtual threads | contender | token-endpoint calls | failed requests | failure causes "
					+ "| all done in, ms |\n");
			md.append("|---:|---|---:|---:|---|---:|\n");
			StringBuilder dat = new StringBuilder("# N tokenkit spring_security (token-endpoint calls)\n");
			boolean goalMet = true;
			for (int n : sizes) {
				Result tokenKit = bench.round(true, n);
				Result spring = bench.round(false, n);
				System.out.println("N=" + n + " TokenKit " + tokenKit + " | Spring Security " + spring);
				md.append(tokenKit.row(n, "b. TokenKit")).append(spring.row(n, "c. Spring Security"));
				dat.append(Output.format("%d %d %d%n", n, tokenKit.tokenCalls, spring.tokenCalls));
				goalMet &= tokenKit.tokenCalls == 1 && tokenKit.failed == 0;
			}
			md.append("\nGoal: with `RestClient` on virtual threads, exactly 1 token-endpoint call and 0 failed "
					+ "requests for every N (TokenKit's interceptor): ")
				.append(Output.met(goalMet))
				.append(".\n");
			output.write("blocking-expiry.md", md);
			output.write("blocking-expiry.dat", dat);
		}
	}

	private Result round(boolean tokenKit, int n) throws Exception {
		Instant now = Instant.now();
		MutableClock clock = new MutableClock(now);
		Instant issuedAt = now.minus(Duration.ofHours(1));
		Instant expiresAt = now.minusMillis(1);
		RestClient.Builder resource = BlockingContenders.builder(resourceServer());
		RestClient client;
		if (tokenKit) {
			OAuth2TokenClient tokenClient = new OAuth2TokenClient(WebClient.create(), URI.create(this.endpoint.uri()),
					"bench-client", "bench-secret", ClientAuthenticationMethod.BASIC, Contenders.REGISTRATION_ID,
					"oauth2", TokenRequestObserver.NOOP);
			TokenManager manager = Contenders
				.tokenKitManager(new ClientCredentialsTokenSource(tokenClient, List.of(), Map.of(), clock), clock);
			manager
				.save(Contenders.applicationKey(),
						AccessToken.withValue(EXPIRED_TOKEN).issuedAt(issuedAt).expiresAt(expiresAt).build())
				.block();
			client = BlockingContenders.tokenKit(resource, manager);
		}
		else {
			BlockingContenders.SpringSecurity spring = BlockingContenders.springSecurity(this.endpoint.uri(), clock);
			spring.seed(EXPIRED_TOKEN, issuedAt, expiresAt);
			client = spring.client(resource);
		}
		this.endpoint.resetCalls();
		AtomicInteger failed = new AtomicInteger();
		AtomicBoolean platformThread = new AtomicBoolean();
		Map<String, Integer> causes = new ConcurrentHashMap<>();
		CountDownLatch ready = new CountDownLatch(n);
		CountDownLatch start = new CountDownLatch(1);
		CountDownLatch done = new CountDownLatch(n);
		ExecutorService threads = virtualThreads();
		try {
			for (int i = 0; i < n; i++) {
				threads.execute(() -> {
					if (!isVirtualThread()) {
						platformThread.set(true);
					}
					ready.countDown();
					try {
						start.await();
						BlockingContenders.call(client);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
						return;
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
						causes.merge(ex.getClass().getSimpleName(), 1, Integer::sum);
					}
					done.countDown();
				});
			}
			if (!ready.await(60, TimeUnit.SECONDS)) {
				throw new IllegalStateException(
						"Only " + (n - ready.getCount()) + " of " + n + " virtual threads started within 60 s");
			}
			if (platformThread.get()) {
				throw new IllegalStateException("A request ran on a platform thread, not a virtual thread");
			}
			long startedAt = System.nanoTime();
			start.countDown();
			boolean finished = done.await(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			long elapsedMillis = (System.nanoTime() - startedAt) / 1_000_000;
			int unfinished = (int) done.getCount();
			// Taken before the threads still waiting are interrupted, not to count them
			// twice.
			int failedCount = failed.get();
			if (!finished) {
				causes.merge("unfinished after " + REQUEST_TIMEOUT.toSeconds() + " s", unfinished, Integer::sum);
			}
			threads.shutdownNow();
			threads.awaitTermination(30, TimeUnit.SECONDS);
			// Calls still arriving after the last request ended are counted too.
			Thread.sleep(200);
			return new Result(this.endpoint.calls(), failedCount + unfinished, new TreeMap<>(causes), elapsedMillis);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private ExecutorService virtualThreads() throws IllegalAccessException, InvocationTargetException {
		return (ExecutorService) this.newVirtualThreadPerTaskExecutor.invoke(null);
	}

	private boolean isVirtualThread() {
		try {
			return (Boolean) this.isVirtual.invoke(Thread.currentThread());
		}
		catch (IllegalAccessException | InvocationTargetException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private ClientHttpRequestFactory resourceServer() {
		return BlockingContenders.inMemory((headers) -> {
			String authorization = headers.getFirst(HttpHeaders.AUTHORIZATION);
			boolean valid = authorization != null && authorization.startsWith("Bearer ")
					&& this.endpoint.issued(authorization.substring(7));
			return valid ? HttpStatus.OK : HttpStatus.UNAUTHORIZED;
		});
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
