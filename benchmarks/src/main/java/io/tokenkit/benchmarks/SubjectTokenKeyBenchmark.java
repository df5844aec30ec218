package io.tokenkit.benchmarks;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What token exchange adds to each request: the key of a request's token is found by the
 * SHA-256 fingerprint of its incoming token, computed on every request.
 * {@code fingerprint} is the digest of a typical access token (a JWT of about 800
 * characters); {@code resolve} the whole key resolution of an exchange registration for a
 * token already held; {@code attributes} the default resolver of other registrations, the
 * baseline.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SubjectTokenKeyBenchmark {

	private static final TokenKey APPLICATION_KEY = TokenKey.of("orders");

	private final Map<String, Object> attributes = new java.util.HashMap<>();

	private String token;

	private TokenKeyResolver exchange;

	@Setup
	public void setUp() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String claims = "{\"iss\":\"https://auth.example.com\",\"sub\":\"alice\",\"aud\":\"gateway\",\"exp\":"
				+ (System.currentTimeMillis() / 1000 + 3600) + ",\"scope\":\"orders.read orders.write profile\","
				+ "\"jti\":\"" + "x".repeat(300) + "\"}";
		this.token = base64.encodeToString("{\"alg\":\"RS256\",\"kid\":\"k1\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + "." + "s".repeat(342);
		String incoming = this.token;
		this.exchange = new SubjectTokenKeyResolver(() -> incoming, new SubjectTokens(Clock.systemUTC()));
	}

	@Benchmark
	public String fingerprint() {
		return SubjectTokens.fingerprint(this.token);
	}

	@Benchmark
	public TokenKey resolve() {
		return this.exchange.resolve(this.attributes, APPLICATION_KEY);
	}

	@Benchmark
	public TokenKey attributes() {
		return TokenKeyResolver.attributes().resolve(this.attributes, APPLICATION_KEY);
	}

}
