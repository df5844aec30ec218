package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.aozora.GmoAozoraIdTokenException.Check;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NonBlockingThreadException;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.web.reactive.function.client.WebClient;

import static io.tokenkit.aozora.AozoraTestSupport.BASIC_HEADER;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.ISSUER;
import static io.tokenkit.aozora.AozoraTestSupport.REDIRECT_URI;
import static io.tokenkit.aozora.AozoraTestSupport.form;
import static io.tokenkit.aozora.AozoraTestSupport.idToken;
import static io.tokenkit.aozora.AozoraTestSupport.json;
import static io.tokenkit.aozora.AozoraTestSupport.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * Wire tests of {@link BlockingGmoAozoraClient} against a loopback token endpoint: each
 * step's value and request, each kind of error reaching the caller as its own type, the
 * time limit, and the refusal to wait on a Reactor thread.
 */
class BlockingGmoAozoraClientTests {

	private static final String SESSION = "session-42";

	/** The test vector: SHA-256("session-42" + "pepper-salt"). */
	private static final String STATE = "2b833a73ff2df17e16eebf9e98a6075989aa51a7fe4c67437d79004691aade46";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryNonceStore nonces = new InMemoryNonceStore(this.clock);

	private BlockingGmoAozoraClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = new BlockingGmoAozoraClient(reactiveClient(new NimbusGmoAozoraIdTokenVerifier(CLIENT_ID,
				CLIENT_SECRET, ISSUER, Duration.ofSeconds(60), this.nonces, this.clock)));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void authorizationUriWhenOAuth2ThenStateAndNoNonce() {
		URI uri = this.client.authorizationUri(SESSION);
		assertThat(query(uri)).containsEntry("client_id", CLIENT_ID)
			.containsEntry("scope", "private:account offline_access")
			.containsEntry("state", STATE)
			.doesNotContainKey("nonce");
		assertThat(query(this.client.authorizationUri(SESSION, List.of("private:transfer")))).containsEntry("scope",
				"private:transfer");
	}

	@Test
	void openIdAuthorizationUriWhenCalledThenNonceSavedAndInTheUrl() {
		URI uri = this.client.openIdAuthorizationUri(SESSION);
		String nonce = query(uri).get("nonce");
		assertThat(query(uri)).containsEntry("state", STATE).containsEntry("scope", "private:account offline_access");
		assertThat(this.nonces.consume(nonce).block()).isTrue();
		URI scoped = this.client.openIdAuthorizationUri(SESSION, List.of("openid", "private:account"));
		assertThat(query(scoped)).containsEntry("scope", "openid private:account");
		assertThat(this.nonces.consume(query(scoped).get("nonce")).block()).isTrue();
	}

	@Test
	void verifyStateWhenOtherSessionThenStateException() {
		this.client.verifyState(SESSION, STATE);
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.client.verifyState("other-session", STATE));
	}

	@Test
	void completeAuthorizationThenRefreshWhenBankAnswersThenTokens() throws Exception {
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", null)));
		AccessToken token = this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", STATE));
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
		assertThat(token.getExpiresAt()).isEqualTo(this.clock.instant().plus(Duration.ofDays(30)));
		RecordedRequest exchange = take();
		assertThat(exchange.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
		assertThat(form(exchange)).containsExactly(entry("grant_type", "authorization_code"), entry("code", "code-1"),
				entry("redirect_uri", REDIRECT_URI));

		this.server.enqueue(json(200, "{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
		AccessToken refreshed = this.client.refresh("rt-1");
		assertThat(refreshed.getTokenValue()).isEqualTo("at-2");
		assertThat(refreshed.getRefreshToken()).isEqualTo("rt-1");
		assertThat(form(take())).containsExactly(entry("grant_type", "refresh_token"), entry("refresh_token", "rt-1"));
	}

	@Test
	void exchangeCodeWhenBankAnswersThenToken() throws Exception {
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", null)));
		assertThat(this.client.exchangeCode("code-1").getTokenValue()).isEqualTo("at-1");
		assertThat(form(take())).containsEntry("code", "code-1");
	}

	@Test
	void completeOpenIdAuthorizationWhenIdTokenValidThenTokensAndVerifiedIdToken() throws Exception {
		URI uri = this.client.openIdAuthorizationUri(SESSION);
		this.server
			.enqueue(json(200, tokenJson("at-1", "rt-1", idToken(this.clock.instant(), query(uri).get("nonce")))));
		GmoAozoraOpenIdTokens tokens = this.client.completeOpenIdAuthorization(SESSION,
				Map.of("code", "code-1", "state", STATE));
		assertThat(tokens.token().getTokenValue()).isEqualTo("at-1");
		assertThat(tokens.idToken().subject()).isEqualTo("customer-1");
		assertThat(form(take())).containsEntry("grant_type", "authorization_code");
	}

	@Test
	void exchangeCodeForOpenIdWhenIdTokenValidThenTokensAndVerifiedIdToken() {
		URI uri = this.client.openIdAuthorizationUri(SESSION);
		this.server
			.enqueue(json(200, tokenJson("at-1", "rt-1", idToken(this.clock.instant(), query(uri).get("nonce")))));
		GmoAozoraOpenIdTokens tokens = this.client.exchangeCodeForOpenId("code-1");
		assertThat(tokens.token().getRefreshToken()).isEqualTo("rt-1");
		assertThat(tokens.idToken().subject()).isEqualTo("customer-1");
	}

	@Test
	void completeAuthorizationWhenTokenEndpointRefusesThenTokenExceptionAsItIs() {
		this.server.enqueue(json(400, """
				{"error":"invalid_grant","error_description":"code expired","state":"%s"}""".formatted(STATE)));
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", STATE)))
			.satisfies((ex) -> {
				assertThat(ex).isExactlyInstanceOf(GmoAozoraTokenException.class);
				assertThat(ex.getStatusCode()).isEqualTo(400);
				assertThat(ex.getError()).isEqualTo("invalid_grant");
				assertThat(ex.getErrorDescription()).isEqualTo("code expired");
				assertThat(ex.getState()).isEqualTo(STATE);
			});
	}

	@Test
	void completeAuthorizationWhenForgedStateThenStateExceptionWithoutTokenCall() {
		String forged = new GmoAozoraState("pepper-salt").generate("attacker-session");
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", forged)));
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void completeAuthorizationWhenCallbackCarriesErrorThenAuthorizationException() {
		assertThatExceptionOfType(GmoAozoraAuthorizationException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION,
					Map.of("error", "access_denied", "error_description", "the customer declined", "state", STATE)))
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("access_denied");
				assertThat(ex.getErrorDescription()).isEqualTo("the customer declined");
			});
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void exchangeCodeForOpenIdWhenResponseHasNoIdTokenThenIdTokenException() {
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", null)));
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> this.client.exchangeCodeForOpenId("code-1"))
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.MISSING));
	}

	@Test
	void openIdWhenNoVerifierThenIllegalStateWithoutNonceNorCall() {
		BlockingGmoAozoraClient withoutOpenId = new BlockingGmoAozoraClient(reactiveClient(null));
		assertThatIllegalStateException().isThrownBy(() -> withoutOpenId.openIdAuthorizationUri(SESSION))
			.withMessageContaining("com.nimbusds:nimbus-jose-jwt");
		assertThatIllegalStateException()
			.isThrownBy(() -> withoutOpenId.completeOpenIdAuthorization(SESSION, Map.of("code", "c", "state", STATE)))
			.withMessageContaining("com.nimbusds:nimbus-jose-jwt");
		assertThat(this.nonces.size()).isZero();
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void refreshWhenTokenEndpointUnreachableThenTokenExceptionWithoutAnswer() throws Exception {
		MockWebServer closed = new MockWebServer();
		closed.start();
		URI tokenUri = closed.url("/ganb/api/auth/v1/token").uri();
		closed.close();
		BlockingGmoAozoraClient unreachable = new BlockingGmoAozoraClient(reactiveClient(tokenUri, null));
		assertThatExceptionOfType(GmoAozoraTokenException.class).isThrownBy(() -> unreachable.refresh("rt-secret"))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).doesNotContain("rt-secret");
			});
	}

	@Test
	void refreshWhenNoAnswerWithinTimeLimitThenTokenExceptionWithoutAnswer() {
		this.server
			.enqueue(json(200, tokenJson("at-1", "rt-1", null)).newBuilder().headersDelay(5, TimeUnit.SECONDS).build());
		BlockingGmoAozoraClient impatient = new BlockingGmoAozoraClient(reactiveClient(null), Duration.ofMillis(300));
		assertThatExceptionOfType(GmoAozoraTokenException.class).isThrownBy(() -> impatient.refresh("rt-1"))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).isEqualTo("GMO Aozora token endpoint got no answer on refresh: "
						+ "no answer within PT0.3S, the time limit of BlockingGmoAozoraClient; the call was cancelled");
				assertThat(ex).hasRootCauseInstanceOf(TimeoutException.class);
			});
	}

	@Test
	void completeAuthorizationWhenCalledOnReactorThreadThenFailsFastWithoutRequest() {
		Mono<AccessToken> call = Mono
			.fromCallable(() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", STATE)))
			.subscribeOn(Schedulers.parallel());
		assertThatExceptionOfType(NonBlockingThreadException.class).isThrownBy(() -> call.block(Duration.ofSeconds(10)))
			.withMessageContaining("BlockingGmoAozoraClient.completeAuthorization")
			.withMessageContaining("GmoAozoraClient.completeAuthorization, which returns a Mono");
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void openIdAuthorizationUriWhenCalledOnReactorThreadThenFailsFastWithoutNonce() {
		Mono<URI> call = Mono.fromCallable(() -> this.client.openIdAuthorizationUri(SESSION))
			.subscribeOn(Schedulers.parallel());
		assertThatExceptionOfType(NonBlockingThreadException.class)
			.isThrownBy(() -> call.block(Duration.ofSeconds(10)));
		assertThat(this.nonces.size()).isZero();
	}

	private GmoAozoraClient reactiveClient(GmoAozoraIdTokenVerifier verifier) {
		return reactiveClient(this.server.url("/ganb/api/auth/v1/token").uri(), verifier);
	}

	private GmoAozoraClient reactiveClient(URI tokenUri, GmoAozoraIdTokenVerifier verifier) {
		GmoAozoraTokenClient tokenClient = new GmoAozoraTokenClient(WebClient.create(), tokenUri, CLIENT_ID,
				CLIENT_SECRET, ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP);
		return new GmoAozoraClient(URI.create("https://api.gmo-aozora.com/ganb/api/auth/v1/authorization"),
				REDIRECT_URI, List.of("private:account", "offline_access"), new GmoAozoraState("pepper-salt"),
				tokenClient, this.nonces, verifier, this.clock,
				new TokenLifetimes(Duration.ofHours(1), Duration.ofDays(30)));
	}

	private static String tokenJson(String accessToken, String refreshToken, String idToken) {
		return """
				{"access_token":"%s","refresh_token":"%s","scope":"private:account offline_access",\
				"token_type":"Bearer","expires_in":"2592000"%s}""".formatted(accessToken, refreshToken,
				(idToken != null) ? ",\"id_token\":\"" + idToken + "\"" : "");
	}

	private RecordedRequest take() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request;
	}

}
