package io.tokenkit.benchmarks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 8: what a DPoP proof (ES256, P-256) costs per request. {@code a_bearer} is a
 * request through TokenKit's bearer filter with a cached bearer token; {@code b_dpop} the
 * same request with a cached DPoP-bound token, so a new proof on the request;
 * {@code c_bareEs256Signature} one bare ES256 signature of a proof-sized input with the
 * same JDK, the floor of any proof. The exchange function reads the request's
 * {@code Authorization} header and answers {@code 200} at once in memory, so that the
 * authorizer runs and nothing else is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DpopBenchmark {

	private static final String TOKEN = FilterOverheadBenchmark.TOKEN;

	/** About the length of a proof's signing input (header with the jwk, claims). */
	private static final byte[] SIGNING_INPUT = "x".repeat(420).getBytes(StandardCharsets.US_ASCII);

	private WebClient bearer;

	private WebClient dpop;

	private PrivateKey key;

	@Setup
	public void setUp() throws Exception {
		Clock clock = Clock.systemUTC();
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		this.key = generator.generateKeyPair().getPrivate();
		DpopProofs proofs = new DpopProofs(new ClientKey(this.key, ClientKeyAlgorithm.ES256, null), clock);
		ExchangeFunction reading = (request) -> {
			if (request.headers().getFirst("Authorization") == null) {
				return Mono.error(new IllegalStateException("no token sent"));
			}
			return Mono.just(ClientResponse.create(HttpStatus.OK).build());
		};
		this.bearer = client(reading, manager(clock, "Bearer", null, TokenAuthorizer.bearer()));
		this.dpop = client(reading, manager(clock, "DPoP", proofs.getThumbprint(), proofs.authorizer()));
		if (FilterOverheadBenchmark.call(this.dpop).getStatusCode().value() != 200) {
			throw new IllegalStateException("The DPoP request failed");
		}
	}

	private static TokenManager manager(Clock clock, String type, String thumbprint, TokenAuthorizer authorizer) {
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration(Contenders.REGISTRATION_ID, new StaticTokenSource("unused-static-token"),
						TokenRegistration.DEFAULT_REFRESH_SKEW, null, authorizer)),
				new InMemoryTokenStore(), clock, TokenEventListener.NONE, TokenManager.DEFAULT_ACQUIRE_TIMEOUT);
		Instant now = clock.instant();
		manager
			.save(Contenders.applicationKey(),
					AccessToken.withValue(TOKEN)
						.tokenType(type)
						.keyThumbprint(thumbprint)
						.issuedAt(now)
						.expiresAt(now.plus(Duration.ofHours(1)))
						.build())
			.block();
		return manager;
	}

	private static WebClient client(ExchangeFunction exchange, TokenManager manager) {
		return Contenders.builder(exchange)
			.filter(new BearerTokenExchangeFilterFunction(manager, Contenders.REGISTRATION_ID))
			.build();
	}

	/**
	 * a. A request with a cached bearer token.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> a_bearer() {
		return FilterOverheadBenchmark.call(this.bearer);
	}

	/**
	 * b. The same request with a cached DPoP-bound token and a new ES256 proof.
	 * @return the response entity
	 */
	@Benchmark
	public ResponseEntity<Void> b_dpop() {
		return FilterOverheadBenchmark.call(this.dpop);
	}

	/**
	 * c. One bare ES256 signature with the JDK: the floor of a proof.
	 * @return the signature
	 * @throws GeneralSecurityException never with this key
	 */
	@Benchmark
	public byte[] c_bareEs256Signature() throws GeneralSecurityException {
		Signature signature = Signature.getInstance("SHA256withECDSA");
		signature.initSign(this.key);
		signature.update(SIGNING_INPUT);
		return signature.sign();
	}

}
