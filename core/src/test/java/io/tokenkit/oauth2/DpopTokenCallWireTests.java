package io.tokenkit.oauth2;

import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.DpopNonceChallenge;
import io.tokenkit.testsupport.DpopProofCheck;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * DPoP proofs on token calls (RFC 9449 §5, §8) as a recording token endpoint receives
 * them: a new proof on each attempt, checked claim by claim and header by header and
 * verified with its {@code jwk}; a {@code 400} {@code use_dpop_nonce} challenge met with
 * exactly one more call carrying the nonce, a second challenge handed to the caller; the
 * latest nonce of any answer kept for the origin; the key's thumbprint recorded on a
 * bound token; {@code iat} from the application's clock, also 30 s ahead of the host's.
 */
class DpopTokenCallWireTests {

	private static final String DPOP_TOKEN = """
			{"access_token":"at-1","token_type":"DPoP","expires_in":3600}""";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void clientCredentialsWhenRetriedThenEachAttemptSendsNewProofAndTokenRecordsThumbprint() throws Exception {
		DpopProofs proofs = new DpopProofs(new ClientKey(ecKeys().getPrivate(), ClientKeyAlgorithm.ES256, "kid-1"),
				this.clock);
		this.server.enqueue(new MockResponse.Builder().code(503).build());
		enqueueToken(null);
		AccessToken token = source(proofs, "/oauth2/token?tenant=7#frag").obtain(TokenKey.of("orders"))
			.block(Duration.ofSeconds(10));
		assertThat(token.getTokenType()).isEqualTo("DPoP");
		assertThat(token.getKeyThumbprint()).isEqualTo(proofs.getThumbprint());
		Set<String> jtis = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			RecordedRequest request = this.server.takeRequest();
			assertThat(request.getHeaders().values("DPoP")).hasSize(1);
			assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
			jtis.add(DpopProofCheck.check(request.getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(), "POST",
					tokenUri("/oauth2/token"), this.clock.instant(), null, null));
		}
		assertThat(jtis).hasSize(2);
	}

	@Test
	void proofWhenEachAlgorithmThenJwkThumbprintIsThatOfThePublicKey() throws Exception {
		KeyPair ec = ecKeys();
		assertThat(new ClientKey(ec.getPrivate(), ClientKeyAlgorithm.ES256, null).getThumbprint())
			.isEqualTo(new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) ec.getPublic()).build()
				.computeThumbprint()
				.toString());
		KeyPairGenerator rsaGenerator = KeyPairGenerator.getInstance("RSA");
		rsaGenerator.initialize(2048);
		KeyPair rsa = rsaGenerator.generateKeyPair();
		ClientKey rsaKey = new ClientKey(rsa.getPrivate(), ClientKeyAlgorithm.PS256, null);
		assertThat(rsaKey.getThumbprint())
			.isEqualTo(new RSAKey.Builder((java.security.interfaces.RSAPublicKey) rsa.getPublic()).build()
				.computeThumbprint()
				.toString());
		DpopProofCheck.check(
				new DpopProofs(rsaKey, this.clock).proof(org.springframework.http.HttpMethod.GET,
						URI.create("https://api.example.com/a?b"), "at-1"),
				"PS256", rsaKey.getThumbprint(), "GET", "https://api.example.com/a", this.clock.instant(), "at-1",
				null);
		KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
		ClientKey edKey = new ClientKey(ed.getPrivate(), ClientKeyAlgorithm.EDDSA, null);
		byte[] encoded = ed.getPublic().getEncoded();
		String x = Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(java.util.Arrays.copyOfRange(encoded, 12, 44));
		assertThat(edKey.getThumbprint()).isEqualTo(
				new com.nimbusds.jose.jwk.OctetKeyPair.Builder(Curve.Ed25519, com.nimbusds.jose.util.Base64URL.from(x))
					.build()
					.computeThumbprint()
					.toString());
		String proof = new DpopProofs(edKey, this.clock).proof(org.springframework.http.HttpMethod.POST,
				URI.create("https://auth.example.com/token"), null);
		DpopProofCheck.check(proof, "EdDSA", edKey.getThumbprint(), "POST", "https://auth.example.com/token",
				this.clock.instant(), null, null);
		SignedJWT jwt = SignedJWT.parse(proof);
		Signature verifier = Signature.getInstance("Ed25519");
		verifier.initVerify(ed.getPublic());
		verifier.update(jwt.getSigningInput());
		assertThat(verifier.verify(jwt.getSignature().decode())).isTrue();
	}

	@Test
	void tokenCallWhenNonceChallengeThenExactlyOneMoreCallCarryingNonce() throws Exception {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		this.server.enqueue(DpopNonceChallenge.withNonce("n-1"));
		enqueueToken(null);
		AccessToken token = source(proofs, "/token").obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10));
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(),
				"POST", tokenUri("/token"), this.clock.instant(), null, null);
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(),
				"POST", tokenUri("/token"), this.clock.instant(), null, "n-1");
	}

	@Test
	void tokenCallWhenSecondNonceChallengeThenCallerGetsItAfterTwoCalls() throws Exception {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		this.server.enqueue(DpopNonceChallenge.withNonce("n-1"));
		this.server.enqueue(DpopNonceChallenge.withNonce("n-2"));
		enqueueToken(null);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source(proofs, "/token").obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getError()).isEqualTo("use_dpop_nonce");
				assertThat(ex.getClass()).isEqualTo(OAuth2TokenException.class);
			});
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(proofs.nonce(URI.create(tokenUri("/token")))).isEqualTo("n-2");
	}

	@Test
	void tokenCallWhenErrorWithoutNewNonceThenNoSecondCall() throws Exception {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		this.server.enqueue(DpopNonceChallenge.withoutNonce());
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source(proofs, "/token").obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10)));
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void nonceWhenAnySuccessfulAnswerCarriesOneThenNextProofToTheOriginCarriesIt() throws Exception {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		enqueueToken("n-7");
		enqueueToken(null);
		ClientCredentialsTokenSource source = source(proofs, "/token");
		source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10));
		source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10));
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(),
				"POST", tokenUri("/token"), this.clock.instant(), null, null);
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(),
				"POST", tokenUri("/token"), this.clock.instant(), null, "n-7");
		// another origin gets no nonce
		assertThat(proofs.nonce(URI.create("https://other.example.com/token"))).isNull();
	}

	@Test
	void refreshTokenWhenDpopThenProofSentAndBearerAnswerRecordsTheKeyThatAsked() throws Exception {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		this.server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body("""
				{"access_token":"at-2","token_type":"Bearer","expires_in":3600,"refresh_token":"rt-2"}""").build());
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(proofs, "/token"), List.of(), "rt-1",
				this.clock);
		AccessToken token = source.obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10));
		// a Bearer token the key asked for is sent as one; a token acquired without DPoP
		// is not
		assertThat(token.getTokenType()).isEqualTo("Bearer");
		assertThat(token.getKeyThumbprint()).isEqualTo(proofs.getThumbprint());
		assertThat(proofs.fits(token)).isTrue();
		assertThat(proofs.fits(token.mutate().keyThumbprint(null).build())).isFalse();
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", proofs.getThumbprint(),
				"POST", tokenUri("/token"), this.clock.instant(), null, null);
	}

	@Test
	void proofWhenApplicationClockRunsAheadThenIatFollowsApplicationClock() throws Exception {
		// "ahead" here means the clock given to TokenKit: proofs are dated by it, never
		// by the host's; a server that allows the usual minute of skew accepts them
		Instant hostNow = Instant.now();
		MutableClock ahead = new MutableClock(hostNow.plusSeconds(30));
		DpopProofs proofs = DpopProofs.withGeneratedKey(ahead);
		enqueueToken(null);
		source(proofs, "/token").obtain(TokenKey.of("orders")).block(Duration.ofSeconds(10));
		String proof = this.server.takeRequest().getHeaders().get("DPoP");
		DpopProofCheck.check(proof, "ES256", proofs.getThumbprint(), "POST", tokenUri("/token"), ahead.instant(), null,
				null);
		long iat = SignedJWT.parse(proof).getJWTClaimsSet().getIssueTime().toInstant().getEpochSecond();
		assertThat(iat - hostNow.getEpochSecond()).isEqualTo(30);
	}

	@Test
	void toStringWhenProofsMadeThenShowsNoProofOrKey() {
		DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);
		String proof = proofs.proof(org.springframework.http.HttpMethod.GET, URI.create("https://a.example/x"), "at");
		assertThat(proofs.toString()).doesNotContain(proof).contains("ES256").contains(proofs.getThumbprint());
		assertThat(proofs.authorizer().toString()).doesNotContain(proof);
		OAuth2TokenClient client = client(proofs, "/token");
		assertThat(client.toString()).doesNotContain(proof);
	}

	private void enqueueToken(String nonce) {
		MockResponse.Builder builder = new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(DPOP_TOKEN);
		if (nonce != null) {
			builder.addHeader("DPoP-Nonce", nonce);
		}
		this.server.enqueue(builder.build());
	}

	private ClientCredentialsTokenSource source(DpopProofs proofs, String path) {
		return new ClientCredentialsTokenSource(client(proofs, path), List.of("orders"), Map.of(), this.clock);
	}

	private OAuth2TokenClient client(DpopProofs proofs, String path) {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url(path).toString()), "orders-app",
				"secret", ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP)
			.withPolicy(TokenCallPolicy.DEFAULT.withRetryBackoff(Duration.ofMillis(10)))
			.withDpop(proofs);
	}

	private String tokenUri(String path) {
		return this.server.url(path).toString();
	}

	private static KeyPair ecKeys() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return generator.generateKeyPair();
	}

}
