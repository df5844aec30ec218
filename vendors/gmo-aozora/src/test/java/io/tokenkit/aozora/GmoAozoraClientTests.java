package io.tokenkit.aozora;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.aozora.GmoAozoraIdTokenException.Check;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
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
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.entry;

/**
 * The authorization URLs, the callback checks, and full authorization-code round trips
 * (URL, code, tokens, refresh) against a loopback token endpoint.
 */
class GmoAozoraClientTests {

	private static final String SESSION = "session-42";

	/** The test vector: SHA-256("session-42" + "pepper-salt"). */
	private static final String STATE = "2b833a73ff2df17e16eebf9e98a6075989aa51a7fe4c67437d79004691aade46";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryNonceStore nonces = new InMemoryNonceStore(this.clock);

	private GmoAozoraClient client;

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.client = client(new NimbusGmoAozoraIdTokenVerifier(CLIENT_ID, CLIENT_SECRET, ISSUER,
				Duration.ofSeconds(60), this.nonces, this.clock));
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private GmoAozoraClient client(GmoAozoraIdTokenVerifier verifier) {
		GmoAozoraTokenClient tokenClient = new GmoAozoraTokenClient(WebClient.create(),
				URI.create(this.server.url("/ganb/api/auth/v1/token").toString()), CLIENT_ID, CLIENT_SECRET,
				ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP);
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

	@Test
	void authorizationUriWhenOAuth2ThenExactParametersAndNoNonce() {
		URI uri = this.client.authorizationUri(SESSION);
		assertThat(uri.getScheme() + "://" + uri.getHost() + uri.getPath())
			.isEqualTo("https://api.gmo-aozora.com/ganb/api/auth/v1/authorization");
		assertThat(query(uri)).containsExactly(entry("client_id", CLIENT_ID), entry("redirect_uri", REDIRECT_URI),
				entry("response_type", "code"), entry("scope", "private:account offline_access"),
				entry("state", STATE));
	}

	@Test
	void authorizationUriWhenValuesHaveReservedCharactersThenPercentEncoded() {
		URI uri = this.client.authorizationUri(SESSION, List.of("private:account", "private:transfer"));
		assertThat(uri.getRawQuery()).isEqualTo("client_id=aozora-app"
				+ "&redirect_uri=https%3A%2F%2Fapp.example.com%2Faozora%2Fcallback%3Ftenant%3Da%26b%3Dc%20d"
				+ "&response_type=code&scope=private%3Aaccount%20private%3Atransfer&state=" + STATE);
	}

	@Test
	void authorizationUriWhenNoScopesThenClearError() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.client.authorizationUri(SESSION, List.of()))
			.withMessageContaining("tokenkit.gmo-aozora.scopes");
	}

	@Test
	void openIdAuthorizationUriWhenCalledThenNonceIsARandomUuidSavedOnce() {
		URI first = this.client.openIdAuthorizationUri(SESSION).block();
		URI second = this.client.openIdAuthorizationUri(SESSION).block();
		Map<String, String> query = query(first);
		assertThat(query).containsOnlyKeys("client_id", "redirect_uri", "response_type", "scope", "state", "nonce");
		assertThat(query).containsEntry("client_id", CLIENT_ID)
			.containsEntry("redirect_uri", REDIRECT_URI)
			.containsEntry("response_type", "code")
			.containsEntry("scope", "private:account offline_access")
			.containsEntry("state", STATE);
		assertThat(UUID.fromString(query.get("nonce")).version()).isEqualTo(4);
		assertThat(query(second).get("nonce")).isNotEqualTo(query.get("nonce"));
		assertThat(this.nonces.consume(query.get("nonce")).block()).isTrue();
		assertThat(this.nonces.consume(query.get("nonce")).block()).isFalse();
	}

	@Test
	void openIdAuthorizationUriWhenNotSubscribedThenNoNonceSaved() {
		this.client.openIdAuthorizationUri(SESSION);
		assertThat(this.nonces.size()).isZero();
	}

	@Test
	void roundTripWhenOAuth2ThenUrlCodeTokensRefresh() throws Exception {
		URI uri = this.client.authorizationUri(SESSION);
		// the bank redirects back with the code and the state it was given
		Map<String, String> callback = Map.of("code", "code-1", "state", query(uri).get("state"));
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", null)));
		AccessToken token = this.client.completeAuthorization(SESSION, callback).block();
		assertThat(token.getTokenValue()).isEqualTo("at-1");
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
		assertThat(token.getExpiresAt()).isEqualTo(this.clock.instant().plusSeconds(2592000));
		assertThat(token.getScopes()).containsExactly("private:account", "offline_access");
		RecordedRequest exchange = this.server.takeRequest();
		assertThat(exchange.getTarget()).isEqualTo("/ganb/api/auth/v1/token");
		assertThat(exchange.getHeaders().get("Authorization")).isEqualTo(BASIC_HEADER);
		assertThat(form(exchange)).containsExactly(entry("grant_type", "authorization_code"), entry("code", "code-1"),
				entry("redirect_uri", REDIRECT_URI));

		this.clock.advance(Duration.ofHours(1));
		this.server.enqueue(json(200, """
				{"access_token":"at-2","token_type":"Bearer","expires_in":3600}"""));
		AccessToken refreshed = this.client.refresh(token.getRefreshToken()).block();
		assertThat(refreshed.getTokenValue()).isEqualTo("at-2");
		assertThat(refreshed.getRefreshToken()).isEqualTo("rt-1");
		assertThat(refreshed.getExpiresAt()).isEqualTo(this.clock.instant().plusSeconds(3600));
		assertThat(form(this.server.takeRequest())).containsExactly(entry("grant_type", "refresh_token"),
				entry("refresh_token", "rt-1"));
	}

	@Test
	void roundTripWhenOpenIdThenIdTokenVerifiedAndRefreshRotatesRefreshToken() throws Exception {
		URI uri = this.client.openIdAuthorizationUri(SESSION).block();
		String nonce = query(uri).get("nonce");
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", idToken(this.clock.instant(), nonce))));
		GmoAozoraOpenIdTokens tokens = this.client
			.completeOpenIdAuthorization(SESSION, Map.of("code", "code-1", "state", query(uri).get("state")))
			.block();
		assertThat(tokens.token().getTokenValue()).isEqualTo("at-1");
		assertThat(tokens.token().getIdToken()).isNotNull();
		assertThat(tokens.idToken().subject()).isEqualTo("customer-1");
		assertThat(form(this.server.takeRequest())).containsEntry("grant_type", "authorization_code")
			.containsEntry("code", "code-1");

		this.server.enqueue(json(200, tokenJson("at-2", "rt-2", null)));
		AccessToken refreshed = this.client.refresh(tokens.token().getRefreshToken()).block();
		assertThat(refreshed.getTokenValue()).isEqualTo("at-2");
		assertThat(refreshed.getRefreshToken()).isEqualTo("rt-2");
		assertThat(form(this.server.takeRequest())).containsEntry("refresh_token", "rt-1");
	}

	@Test
	void completeAuthorizationWhenForgedStateThenRejectedWithoutTokenCall() {
		String forged = new GmoAozoraState("pepper-salt").generate("attacker-session");
		assertThatExceptionOfType(GmoAozoraStateException.class).isThrownBy(
				() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", forged)).block());
		assertThatExceptionOfType(GmoAozoraStateException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1")).block());
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void completeAuthorizationWhenCallbackCarriesErrorThenTypedExceptionWithFields() {
		Map<String, String> callback = Map.of("error", "access_denied", "error_description", "the customer declined",
				"error_uri", "https://api.gmo-aozora.com/errors", "state", STATE);
		assertThatExceptionOfType(GmoAozoraAuthorizationException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION, callback).block())
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("access_denied");
				assertThat(ex.getErrorDescription()).isEqualTo("the customer declined");
				assertThat(ex.getErrorUri()).isEqualTo("https://api.gmo-aozora.com/errors");
				assertThat(ex.getState()).isEqualTo(STATE);
				assertThat(ex.getMessage()).contains("access_denied").doesNotContain(STATE);
			});
		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void completeAuthorizationWhenNoCodeThenRejected() {
		assertThatExceptionOfType(GmoAozoraAuthorizationException.class)
			.isThrownBy(() -> this.client.completeAuthorization(SESSION, Map.of("state", STATE)).block())
			.withMessageContaining("neither a code nor an error");
	}

	@Test
	void completeAuthorizationWhenTokenEndpointRefusesCodeThenTokenException() {
		this.server.enqueue(json(400, """
				{"error":"invalid_grant","error_description":"code expired","state":"%s"}""".formatted(STATE)));
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(
					() -> this.client.completeAuthorization(SESSION, Map.of("code", "code-1", "state", STATE)).block())
			.satisfies((ex) -> {
				assertThat(ex.getError()).isEqualTo("invalid_grant");
				assertThat(ex.getState()).isEqualTo(STATE);
			});
	}

	@Test
	void completeOpenIdAuthorizationWhenSameCodeResponseReplayedThenNonceRejected() {
		URI uri = this.client.openIdAuthorizationUri(SESSION).block();
		String body = tokenJson("at-1", "rt-1", idToken(this.clock.instant(), query(uri).get("nonce")));
		Map<String, String> callback = Map.of("code", "code-1", "state", STATE);
		this.server.enqueue(json(200, body));
		this.server.enqueue(json(200, body));
		this.client.completeOpenIdAuthorization(SESSION, callback).block();
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> this.client.completeOpenIdAuthorization(SESSION, callback).block())
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.NONCE));
	}

	@Test
	void completeOpenIdAuthorizationWhenIdTokenFailsACheckThenRejected() {
		URI uri = this.client.openIdAuthorizationUri(SESSION).block();
		String nonce = query(uri).get("nonce");
		Map<String, String> callback = Map.of("code", "code-1", "state", STATE);
		assertOpenIdRejected(callback,
				idToken(this.clock.instant(), nonce, (claims) -> claims.issuer("https://evil.example.com/")),
				Check.ISSUER);
		assertOpenIdRejected(callback, idToken(this.clock.instant(), nonce, (claims) -> claims.audience("other-app")),
				Check.AUDIENCE);
		assertOpenIdRejected(callback, AozoraTestSupport.idToken("another-secret-0123456789abcdefghij",
				AozoraTestSupport.claims(this.clock.instant(), nonce).build()), Check.SIGNATURE);
		assertOpenIdRejected(callback, idToken(this.clock.instant().minusSeconds(3600), nonce), Check.EXPIRED);
		// none of those used the nonce up: a valid token still goes through
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", idToken(this.clock.instant(), nonce))));
		assertThat(this.client.completeOpenIdAuthorization(SESSION, callback).block()).isNotNull();
	}

	private void assertOpenIdRejected(Map<String, String> callback, String idToken, Check check) {
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", idToken)));
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> this.client.completeOpenIdAuthorization(SESSION, callback).block())
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(check))
			.withMessageNotContaining(idToken)
			.withMessageNotContaining("at-1");
	}

	@Test
	void exchangeCodeForOpenIdWhenResponseHasNoIdTokenThenMissing() {
		this.server.enqueue(json(200, tokenJson("at-1", "rt-1", null)));
		assertThatExceptionOfType(GmoAozoraIdTokenException.class)
			.isThrownBy(() -> this.client.exchangeCodeForOpenId("code-1").block())
			.satisfies((ex) -> assertThat(ex.getCheck()).isEqualTo(Check.MISSING));
	}

	@Test
	void openIdWhenNoVerifierThenClearErrorAndNoCall() {
		GmoAozoraClient withoutOpenId = client(null);
		assertThatIllegalStateException().isThrownBy(() -> withoutOpenId.openIdAuthorizationUri(SESSION).block())
			.withMessageContaining("com.nimbusds:nimbus-jose-jwt");
		assertThatIllegalStateException().isThrownBy(
				() -> withoutOpenId.completeOpenIdAuthorization(SESSION, Map.of("code", "c", "state", STATE)).block())
			.withMessageContaining("com.nimbusds:nimbus-jose-jwt");
		assertThat(this.nonces.size()).isZero();
		assertThat(this.server.getRequestCount()).isZero();
		assertThat(withoutOpenId.authorizationUri(SESSION)).isNotNull();
	}

}
