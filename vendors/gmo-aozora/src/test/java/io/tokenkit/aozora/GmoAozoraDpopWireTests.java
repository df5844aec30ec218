package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.DpopNonceChallenge;
import io.tokenkit.testsupport.DpopProofCheck;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.aozora.AozoraTestSupport.BASIC_HEADER;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.REDIRECT_URI;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * DPoP proofs (RFC 9449) on the bank's code exchange and refresh as a loopback token
 * endpoint receives them: a new proof on each send, checked claim by claim ({@code typ}
 * {@code dpop+jwt}, a public {@code jwk}, {@code htm} {@code POST}, {@code htu} the token
 * endpoint without its query, {@code iat} from the application's clock, a {@code jti} of
 * its own, no {@code ath}) beside the bank's unchanged client authentication and form; a
 * {@code use_dpop_nonce} challenge met with exactly one more send carrying the nonce; the
 * key's thumbprint recorded on the tokens.
 */
class GmoAozoraDpopWireTests {

	private static final String TOKEN_PATH = "/ganb/api/auth/v1/token";

	private final MockWebServer server = new MockWebServer();

	/** 30 s ahead of this host's clock: the proofs' iat follows the application's. */
	private final MutableClock clock = new MutableClock(java.time.Instant.now().plusSeconds(30));

	private final DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);

	private GmoAozoraTokenClient tokenClient;

	private GmoAozoraClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.tokenClient = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url(TOKEN_PATH + "?tenant=7").toString()), CLIENT_ID, CLIENT_SECRET,
				ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP)
			.withDpop(this.proofs);
		this.client = new GmoAozoraClient(URI.create("https://api.gmo-aozora.com/ganb/api/auth/v1/authorization"),
				REDIRECT_URI, List.of("private:account"), new GmoAozoraState("pepper-salt"), this.tokenClient,
				new InMemoryNonceStore(this.clock), null, this.clock);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void codeExchangeAndRefreshWhenDpopThenEachSendCarriesItsOwnProofAndTokensRecordTheKey() throws Exception {
		this.server.enqueue(json(200, token("at-1", "rt-1", "DPoP")));
		this.server.enqueue(json(200, token("at-2", "rt-2", "DPoP")));
		AccessToken exchanged = this.client.exchangeCode("code-1").block(Duration.ofSeconds(10));
		AccessToken refreshed = new GmoAozoraTokenSource(this.tokenClient.forRegistration("bank"), this.clock)
			.refresh(TokenKey.of("bank", "customer-1"), exchanged)
			.block(Duration.ofSeconds(10));

		assertThat(exchanged.getTokenType()).isEqualTo("DPoP");
		assertThat(exchanged.getKeyThumbprint()).isEqualTo(this.proofs.getThumbprint());
		assertThat(refreshed.getTokenValue()).isEqualTo("at-2");
		assertThat(refreshed.getKeyThumbprint()).isEqualTo(this.proofs.getThumbprint());
		RecordedRequest exchange = this.server.takeRequest();
		RecordedRequest refresh = this.server.takeRequest();
		assertThat(form(exchange)).containsExactly(entry("grant_type", "authorization_code"), entry("code", "code-1"),
				entry("redirect_uri", REDIRECT_URI));
		assertThat(form(refresh)).containsExactly(entry("grant_type", "refresh_token"), entry("refresh_token", "rt-1"));
		Set<String> jtis = new HashSet<>();
		for (RecordedRequest request : List.of(exchange, refresh)) {
			assertThat(request.getTarget()).isEqualTo(TOKEN_PATH + "?tenant=7");
			assertThat(request.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
			assertThat(request.getHeaders().get("Accept")).isEqualTo("application/json;charset=UTF-8");
			assertThat(request.getHeaders().values("DPoP")).hasSize(1);
			jtis.add(DpopProofCheck.check(request.getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(),
					"POST", tokenUri(), this.clock.instant(), null, null));
		}
		assertThat(jtis).hasSize(2);
	}

	@Test
	void codeExchangeWhenNonceChallengeThenExactlyOneMoreSendCarryingTheNonce() throws Exception {
		this.server.enqueue(DpopNonceChallenge.withNonce("n-1"));
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.addHeader("DPoP-Nonce", "n-2")
			.body(token("at-1", "rt-1", "DPoP"))
			.build());
		this.server.enqueue(json(200, token("at-2", "rt-2", "DPoP")));
		AccessToken exchanged = this.client.exchangeCode("code-1").block(Duration.ofSeconds(10));
		assertThat(exchanged.getTokenValue()).isEqualTo("at-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		String first = DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256",
				this.proofs.getThumbprint(), "POST", tokenUri(), this.clock.instant(), null, null);
		RecordedRequest retry = this.server.takeRequest();
		assertThat(form(retry)).containsEntry("code", "code-1");
		String second = DpopProofCheck.check(retry.getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(),
				"POST", tokenUri(), this.clock.instant(), null, "n-1");
		assertThat(second).isNotEqualTo(first);
		// the nonce of the successful answer goes with the refresh
		this.client.refresh("rt-1").block(Duration.ofSeconds(10));
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(),
				"POST", tokenUri(), this.clock.instant(), null, "n-2");
	}

	@Test
	void refreshWhenSecondNonceChallengeThenCallerGetsTheBankErrorAfterTwoSends() {
		this.server.enqueue(DpopNonceChallenge.withNonce("n-1"));
		this.server.enqueue(DpopNonceChallenge.withNonce("n-2"));
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> new GmoAozoraTokenSource(this.tokenClient.forRegistration("bank"), this.clock)
				.refresh(TokenKey.of("bank", "customer-1"), AccessToken.withValue("at-0").refreshToken("rt-0").build())
				.block(Duration.ofSeconds(10)))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getError()).isEqualTo("use_dpop_nonce");
			});
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void codeExchangeWhenBankAnswersBearerThenTokenStillRecordsTheKeyThatAsked() {
		this.server.enqueue(json(200, token("at-1", "rt-1", "Bearer")));
		AccessToken exchanged = this.client.exchangeCode("code-1").block(Duration.ofSeconds(10));
		assertThat(exchanged.getTokenType()).isEqualTo("Bearer");
		assertThat(exchanged.getKeyThumbprint()).isEqualTo(this.proofs.getThumbprint());
		assertThat(this.tokenClient.toString()).contains("dpop=" + this.proofs).doesNotContain(CLIENT_SECRET);
	}

	@Test
	void codeExchangeWhenNoDpopThenNoProofAndNoThumbprint() throws Exception {
		this.server.enqueue(json(200, token("at-1", "rt-1", "Bearer")));
		GmoAozoraTokenClient plain = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url(TOKEN_PATH).toString()), CLIENT_ID, CLIENT_SECRET,
				ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP);
		AccessToken exchanged = new GmoAozoraClient(URI.create("https://api.gmo-aozora.com/authorization"),
				REDIRECT_URI, List.of("private:account"), new GmoAozoraState("pepper-salt"), plain,
				new InMemoryNonceStore(this.clock), null, this.clock)
			.exchangeCode("code-1")
			.block(Duration.ofSeconds(10));
		assertThat(plain.getDpop()).isNull();
		assertThat(exchanged.getKeyThumbprint()).isNull();
		assertThat(this.server.takeRequest().getHeaders().get("DPoP")).isNull();
	}

	private String tokenUri() {
		return "http://" + this.server.getHostName() + ":" + this.server.getPort() + TOKEN_PATH;
	}

	private static String token(String accessToken, String refreshToken, String type) {
		return """
				{"access_token":"%s","refresh_token":"%s","token_type":"%s","expires_in":2592000}"""
			.formatted(accessToken, refreshToken, type);
	}

}
