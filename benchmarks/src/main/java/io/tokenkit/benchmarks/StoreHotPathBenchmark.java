package io.tokenkit.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenStore;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import reactor.core.publisher.Mono;

import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 5c: the hot path with a valid cached token,
 * {@link TokenManager#getCachedToken} and TokenKit's bearer filter over an in-memory
 * {@link WebClient} exchange, with an {@link InMemoryTokenStore}, with a second identical
 * in-memory setup (an A/A control), and with a {@link RedisTokenStore} whose Redis is up
 * and whose token is cached locally. The Redis store must not touch the network here: the
 * commands Redis processed during each trial are written to
 * {@code hotpath-redis-commands.txt} in the directory named by the
 * {@code tokenkit.bench.out} system property.
 * <p>
 * Needs a running {@code redis-server} on 127.0.0.1 whose port is the
 * {@code tokenkit.bench.redis.port} system property; {@link StoreHotPathMain} starts one
 * and passes both properties to the fork.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class StoreHotPathBenchmark {

	private static final TokenKey KEY = Contenders.applicationKey();

	private TokenManager inMemory;

	private TokenManager inMemoryAgain;

	private TokenManager redis;

	private WebClient inMemoryClient;

	private WebClient inMemoryAgainClient;

	private WebClient redisClient;

	private LettuceConnectionFactory factory;

	private RedisTokenStore redisStore;

	private ReactiveStringRedisTemplate template;

	private long commandsBefore;

	private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	/**
	 * Build the three managers and their clients, cache a token valid for an hour in each
	 * (written to Redis too for the Redis store), and check that each serves it from
	 * memory.
	 */
	@Setup(Level.Trial)
	public void setup() {
		Clock clock = Clock.systemUTC();
		Instant now = clock.instant();
		AccessToken token = AccessToken.withValue(FilterOverheadBenchmark.TOKEN)
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofHours(1)))
			.build();
		int port = Integer.getInteger("tokenkit.bench.redis.port", 0);
		if (port == 0) {
			throw new IllegalStateException("Set -Dtokenkit.bench.redis.port to a running redis-server's port");
		}
		this.factory = LocalRedis.connectionFactory(port);
		this.template = new ReactiveStringRedisTemplate(this.factory);
		this.redisStore = new RedisTokenStore(this.template, "tokenkit-hotpath:", clock);
		this.inMemory = manager(new InMemoryTokenStore(), clock, token);
		this.inMemoryAgain = manager(new InMemoryTokenStore(), clock, token);
		this.redis = manager(this.redisStore, clock, token);
		if (!this.redisStore.load(KEY).blockOptional(Duration.ofSeconds(5)).isPresent()) {
			throw new IllegalStateException("The token was not written to Redis");
		}
		WebClient.Builder exchange = Contenders.builder(Contenders.inMemoryOk());
		this.inMemoryClient = Contenders.tokenKit(exchange, this.inMemory);
		this.inMemoryAgainClient = Contenders.tokenKit(exchange, this.inMemoryAgain);
		this.redisClient = Contenders.tokenKit(exchange, this.redis);
		for (TokenManager manager : List.of(this.inMemory, this.inMemoryAgain, this.redis)) {
			if (manager.getCachedToken(KEY) == null) {
				throw new IllegalStateException("No cached token in " + manager);
			}
			this.lastAuthorization.set(null);
			FilterOverheadBenchmark.call(Contenders.tokenKit(Contenders.builder(capturing()), manager));
			if (!("Bearer " + FilterOverheadBenchmark.TOKEN).equals(this.lastAuthorization.get())) {
				throw new IllegalStateException("The filter did not send the cached token");
			}
		}
		this.commandsBefore = commandsProcessed();
	}

	/**
	 * Record how many commands Redis processed during the trial, then close the store.
	 * @param params the benchmark's parameters, for its name
	 */
	@TearDown(Level.Trial)
	public void tearDown(BenchmarkParams params) {
		// the first INFO is counted by the second one
		long commands = commandsProcessed() - this.commandsBefore - 1;
		String out = System.getProperty("tokenkit.bench.out");
		if (out != null) {
			String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
			try {
				Files.writeString(Path.of(out, "hotpath-redis-commands.txt"), name + " " + commands + "\n",
						StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		this.redisStore.close();
		this.factory.destroy();
	}

	private long commandsProcessed() {
		String info = this.template.execute((connection) -> connection.serverCommands().info("stats"))
			.next()
			.map((properties) -> properties.getProperty("total_commands_processed", "-1"))
			.block(Duration.ofSeconds(5));
		return Long.parseLong((info != null) ? info.trim() : "-1");
	}

	private static TokenManager manager(TokenStore store, Clock clock, AccessToken token) {
		TokenManager manager = new TokenManager(
				List.of(TokenRegistration.of(Contenders.REGISTRATION_ID, new StaticTokenSource("unused-static-token"))),
				store, clock, TokenEventListener.NONE, TokenManager.DEFAULT_ACQUIRE_TIMEOUT);
		manager.save(KEY, token).block(Duration.ofSeconds(5));
		return manager;
	}

	private ExchangeFunction capturing() {
		return (request) -> {
			this.lastAuthorization.set(request.headers().getFirst(HttpHeaders.AUTHORIZATION));
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
	}

	/**
	 * {@code getCachedToken} with the in-memory store.
	 * @return the token
	 */
	@Benchmark
	public @Nullable AccessToken cached_a_inMemory() {
		return this.inMemory.getCachedToken(KEY);
	}

	/**
	 * {@code getCachedToken} with a second in-memory store: the A/A control.
	 * @return the token
	 */
	@Benchmark
	public @Nullable AccessToken cached_aa_inMemoryAgain() {
		return this.inMemoryAgain.getCachedToken(KEY);
	}

	/**
	 * {@code getCachedToken} with the Redis store, token cached locally.
	 * @return the token
	 */
	@Benchmark
	public @Nullable AccessToken cached_b_redis() {
		return this.redis.getCachedToken(KEY);
	}

	/**
	 * One request through the bearer filter with the in-memory store.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> filter_a_inMemory() {
		return FilterOverheadBenchmark.call(this.inMemoryClient);
	}

	/**
	 * One request through the bearer filter with a second in-memory store: the A/A
	 * control.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> filter_aa_inMemoryAgain() {
		return FilterOverheadBenchmark.call(this.inMemoryAgainClient);
	}

	/**
	 * One request through the bearer filter with the Redis store, token cached locally.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> filter_b_redis() {
		return FilterOverheadBenchmark.call(this.redisClient);
	}

}
