package io.tokenkit.benchmarks;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRequestAttributes;
import io.tokenkit.token.TokenSource;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 8: the hot path of a request that asks for per-call {@link TokenParameters}
 * (two scopes, one value built once and set on each request) beside one with the
 * registration's defaults, both with a valid cached token: the key lookup alone
 * ({@link TokenRequestAttributes#keyOf} then {@link TokenManager#getCachedToken}) and a
 * whole request through TokenKit's bearer filter over an in-memory {@link WebClient}
 * exchange. The filter's control sets the attribute to {@link TokenParameters#NONE}, so
 * that the attribute map's own cost is the same on both sides. Run with {@code -prof gc}
 * for bytes allocated per request.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
public class PerCallParametersBenchmark {

	private static final TokenParameters TWO_SCOPES = TokenParameters.scopes("orders.read", "orders.write");

	private static final String PARAMETERS_TOKEN = "Pq8w3Er5Ty7Ui9Op1As3Df5Gh7Jk9Lz1Xc3Vb5Nm7Qw";

	private static final TokenKey KEY = Contenders.applicationKey();

	private final Map<String, Object> defaultAttributes = new HashMap<>();

	private final Map<String, Object> parameterAttributes = new HashMap<>();

	private final Consumer<Map<String, Object>> none = TokenRequestAttributes.parameters(TokenParameters.NONE);

	private final Consumer<Map<String, Object>> twoScopes = TokenRequestAttributes.parameters(TWO_SCOPES);

	private final AtomicReference<String> lastAuthorization = new AtomicReference<>();

	private TokenManager manager;

	private WebClient client;

	/**
	 * Cache a token valid for an hour for the defaults and one for the two scopes, and
	 * check that the filter sends each for its own requests.
	 */
	@Setup
	public void setup() {
		Clock clock = Clock.systemUTC();
		Instant now = clock.instant();
		this.manager = Contenders.tokenKitManager(new ParameterSource(), clock);
		this.manager.save(KEY, token(FilterOverheadBenchmark.TOKEN, now)).block();
		this.manager.save(KEY.withParameters(TWO_SCOPES), token(PARAMETERS_TOKEN, now)).block();
		this.twoScopes.accept(this.parameterAttributes);
		this.client = Contenders.tokenKit(Contenders.builder(Contenders.inMemoryOk()), this.manager);
		WebClient capturing = Contenders.tokenKit(Contenders.builder(capturing()), this.manager);
		check(capturing, this.none, FilterOverheadBenchmark.TOKEN);
		check(capturing, this.twoScopes, PARAMETERS_TOKEN);
	}

	private static AccessToken token(String value, Instant now) {
		return AccessToken.withValue(value).issuedAt(now).expiresAt(now.plus(Duration.ofHours(1))).build();
	}

	private ExchangeFunction capturing() {
		return (request) -> {
			this.lastAuthorization.set(request.headers().getFirst(HttpHeaders.AUTHORIZATION));
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
	}

	private void check(WebClient capturing, Consumer<Map<String, Object>> attributes, String token) {
		this.lastAuthorization.set(null);
		call(capturing, attributes);
		if (!("Bearer " + token).equals(this.lastAuthorization.get())) {
			throw new IllegalStateException("The filter did not send the token of the request's parameters");
		}
	}

	/**
	 * The key of a request with the registration's defaults, and its cached token.
	 * @return the token
	 */
	@Benchmark
	public @Nullable AccessToken key_a_defaults() {
		return this.manager.getCachedToken(TokenRequestAttributes.keyOf(this.defaultAttributes, KEY));
	}

	/**
	 * The key of a request with two scopes, and its cached token.
	 * @return the token
	 */
	@Benchmark
	public @Nullable AccessToken key_b_twoScopes() {
		return this.manager.getCachedToken(TokenRequestAttributes.keyOf(this.parameterAttributes, KEY));
	}

	/**
	 * A whole request through the filter, the attribute set to the defaults.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> filter_a_defaults() {
		return call(this.client, this.none);
	}

	/**
	 * A whole request through the filter, the attribute set to two scopes.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> filter_b_twoScopes() {
		return call(this.client, this.twoScopes);
	}

	private static ResponseEntity<Void> call(WebClient client, Consumer<Map<String, Object>> attributes) {
		return client.get().uri(Contenders.RESOURCE).attributes(attributes).retrieve().toBodilessEntity().block();
	}

	/** A source that serves parameters and is never asked: every token is cached. */
	private static final class ParameterSource implements TokenSource {

		@Override
		public Mono<AccessToken> obtain(TokenKey key) {
			return Mono.error(new IllegalStateException("The benchmark's tokens are cached: no token call"));
		}

		@Override
		public boolean supportsParameters() {
			return true;
		}

	}

}
