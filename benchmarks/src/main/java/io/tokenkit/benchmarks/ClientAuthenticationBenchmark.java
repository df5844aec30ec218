package io.tokenkit.benchmarks;

import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientKey;
import io.tokenkit.oauth2.ClientKeyAlgorithm;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Benchmark 7: the cost of client authentication per token call. {@code authenticate*} is
 * one {@link ClientAuthentication#authenticate} call, what each attempt of a token call
 * adds: {@code client_secret_basic} (a precomputed header) beside {@code private_key_jwt}
 * with PS256 (RSA 2048) and ES256 (P-256), each a fresh signed assertion.
 * {@code tokenCall*} is a whole {@code client_credentials} call through
 * {@link OAuth2TokenClient} to a token endpoint on loopback that answers at once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ClientAuthenticationBenchmark {

	private static final Duration LIFETIME = Duration.ofSeconds(60);

	private ClientAuthentication basic;

	private ClientAuthentication ps256;

	private ClientAuthentication es256;

	private LoopbackTokenEndpoint endpoint;

	private OAuth2TokenClient basicClient;

	private OAuth2TokenClient ps256Client;

	private OAuth2TokenClient es256Client;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.endpoint = new LoopbackTokenEndpoint(Duration.ZERO);
		String audience = this.endpoint.uri();
		KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
		rsa.initialize(2048);
		KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
		ec.initialize(new ECGenParameterSpec("secp256r1"));
		Clock clock = Clock.systemUTC();
		this.basic = ClientAuthentication.clientSecretBasic("bench-app", "bench-secret");
		this.ps256 = ClientAuthentication.privateKeyJwt("bench-app",
				new ClientKey(rsa.generateKeyPair().getPrivate(), ClientKeyAlgorithm.PS256, "ps"), audience, LIFETIME,
				clock);
		this.es256 = ClientAuthentication.privateKeyJwt("bench-app",
				new ClientKey(ec.generateKeyPair().getPrivate(), ClientKeyAlgorithm.ES256, "es"), audience, LIFETIME,
				clock);
		WebClient webClient = WebClient.create();
		URI tokenUri = URI.create(this.endpoint.uri());
		this.basicClient = new OAuth2TokenClient(webClient, tokenUri, this.basic, "bench", "oauth2",
				TokenRequestObserver.NOOP);
		this.ps256Client = new OAuth2TokenClient(webClient, tokenUri, this.ps256, "bench", "oauth2",
				TokenRequestObserver.NOOP);
		this.es256Client = new OAuth2TokenClient(webClient, tokenUri, this.es256, "bench", "oauth2",
				TokenRequestObserver.NOOP);
	}

	@TearDown(Level.Trial)
	public void tearDown() {
		this.endpoint.close();
	}

	@Benchmark
	public MultiValueMap<String, String> authenticateClientSecretBasic() {
		return authenticate(this.basic);
	}

	@Benchmark
	public MultiValueMap<String, String> authenticatePrivateKeyJwtPs256() {
		return authenticate(this.ps256);
	}

	@Benchmark
	public MultiValueMap<String, String> authenticatePrivateKeyJwtEs256() {
		return authenticate(this.es256);
	}

	@Benchmark
	public OAuth2TokenResponse tokenCallClientSecretBasic() {
		return call(this.basicClient);
	}

	@Benchmark
	public OAuth2TokenResponse tokenCallPrivateKeyJwtPs256() {
		return call(this.ps256Client);
	}

	@Benchmark
	public OAuth2TokenResponse tokenCallPrivateKeyJwtEs256() {
		return call(this.es256Client);
	}

	private static MultiValueMap<String, String> authenticate(ClientAuthentication authentication) {
		MultiValueMap<String, String> form = form();
		authentication.authenticate(new HttpHeaders(), form);
		return form;
	}

	private static OAuth2TokenResponse call(OAuth2TokenClient client) {
		return client.request("acquire", form()).block(Duration.ofSeconds(10));
	}

	private static MultiValueMap<String, String> form() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		return form;
	}

}
