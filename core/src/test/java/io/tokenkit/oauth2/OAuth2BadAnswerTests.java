package io.tokenkit.oauth2;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Bad answers of a token endpoint become {@link OAuth2TokenException}s that name the
 * registration, and a token's expiry counts from when its request was sent, within the
 * configured lifetimes and never past a JWT's {@code exp}.
 */
class OAuth2BadAnswerTests {

	private static final Instant SENT = Instant.parse("2026-11-23T10:00:00Z");

	private final OAuth2TokenResponseParser parser = new OAuth2TokenResponseParser();

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = new MutableClock(SENT);

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private OAuth2TokenException badAnswer(String body) {
		OAuth2TokenException[] caught = new OAuth2TokenException[1];
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 200, body, "application/json")
				.toAccessToken("orders", SENT, TokenLifetimes.DEFAULT, null))
			.satisfies((ex) -> caught[0] = ex);
		assertThat(caught[0].getRegistrationId()).isEqualTo("orders");
		assertThat(caught[0].getMessage()).startsWith("Token endpoint of 'orders' answered").doesNotContain("at-1");
		return caught[0];
	}

	private AccessToken token(String body, TokenLifetimes lifetimes) {
		return this.parser.parse("orders", 200, body, "application/json")
			.toAccessToken("orders", SENT, lifetimes, null);
	}

	static String jwt(String payload) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

	@Test
	void parseWhenExpiresInZeroThenTypedExceptionSayingATokenMustLiveASecond() {
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"expires_in\":0}"))
			.hasMessage("Token endpoint of 'orders' answered 200 with an expires_in of 0; "
					+ "a token must live at least one second");
	}

	@Test
	void parseWhenExpiresInNegativeThenTypedException() {
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"expires_in\":-5}"))
			.hasMessageContaining("an expires_in of -5; a token must live at least one second");
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"expires_in\":\"-5\"}"))
			.hasMessageContaining("an expires_in of -5;");
	}

	@ParameterizedTest
	@ValueSource(strings = { "1e17", "100000000000000000", "9223372036854775807", "18446744073709551616",
			"\"18446744073709551616\"", "2147483648" })
	void parseWhenExpiresInAbsurdThenTypedException(String expiresIn) {
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"expires_in\":" + expiresIn + "}"))
			.hasMessageContaining("more than the 2147483647 seconds (68 years) any token lives");
	}

	@ParameterizedTest
	@ValueSource(strings = { "3600.5", "\"soon\"", "\"1e17x\"", "true", "{}", "[3600]", "\"\"", "0.1" })
	void parseWhenExpiresInNotWholeNumberThenTypedException(String expiresIn) {
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"expires_in\":" + expiresIn + "}"))
			.hasMessageEndingWith("with an expires_in that is not a whole number of seconds");
	}

	@Test
	void parseWhenExpiresInWholeInAnyFormThenRead() {
		assertThat(this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":3600.0}", "json")
			.expiresIn()).isEqualTo(3600L);
		assertThat(this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":\"+60\"}", "json")
			.expiresIn()).isEqualTo(60L);
		assertThat(this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":2147483647}", "json")
			.expiresIn()).isEqualTo(2147483647L);
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "   ", "not json", "<html><body>Login</body></html>", "[]", "\"at-1\"", "42", "null",
			"{\"access_token\":\"at-1\"" })
	void parseWhenBodyIsNotATokenObjectThenTypedException(String body) {
		assertThat(badAnswer(body)).hasMessageContaining("with a body that is not a JSON object");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"access_token\":null}", "{\"access_token\":\"\"}", "{\"access_token\":\"  \"}",
			"{\"token_type\":\"Bearer\",\"expires_in\":60}" })
	void parseWhenNoAccessTokenThenTypedException(String body) {
		assertThat(badAnswer(body)).hasMessage("Token endpoint of 'orders' answered 200 without an access_token");
	}

	@ParameterizedTest
	@ValueSource(strings = { "access_token", "token_type", "refresh_token", "id_token", "scope" })
	void parseWhenStandardMemberIsNotAStringThenTypedExceptionNamingIt(String member) {
		String body = "{\"access_token\":\"at-1\"," + "\"" + member + "\":{\"nested\":[1,2]}}";
		assertThat(badAnswer(body)).hasMessageContaining("a " + member + " that is not a string");
		assertThat(badAnswer(body.replace("{\"nested\":[1,2]}", "42"))).hasMessageContaining(member);
	}

	@Test
	void parseWhenAccessTokenHasControlCharactersThenTypedException() {
		assertThat(badAnswer("{\"access_token\":\"at-1\\r\\nX-Injected: 1\"}"))
			.hasMessageContaining("characters a token cannot have");
	}

	@Test
	void parseWhenSuccessStatusCarriesOAuthErrorThenTypedExceptionWithErrorCode() {
		OAuth2TokenException ex = badAnswer("{\"error\":\"invalid_request\",\"error_description\":\"secret s3cret\"}");
		assertThat(ex.getError()).isEqualTo("invalid_request");
		assertThat(ex.getStatusCode()).isEqualTo(200);
		assertThat(ex.getMessage()).isEqualTo(
				"Token endpoint of 'orders' answered 200 with an OAuth 2.0 error (invalid_request) instead of a token")
			.doesNotContain("s3cret");
		assertThat(badAnswer("{\"error\":\"bad\\u0000code\"}").getError()).isNull();
	}

	@Test
	void parseWhenScopeIsArrayOfStringsThenJoined() {
		assertThat(this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"scope\":[\"a\",\"b\"]}", "json")
			.scopes()).containsExactly("a", "b");
		assertThat(badAnswer("{\"access_token\":\"at-1\",\"scope\":[\"a\",1]}"))
			.hasMessageContaining("scope array with a member that is not a string");
	}

	@Test
	void parseWhenTokenTypeBlankThenBearer() {
		assertThat(token("{\"access_token\":\"at-1\",\"token_type\":\" \"}", TokenLifetimes.DEFAULT).getTokenType())
			.isEqualTo("Bearer");
	}

	@Test
	void toAccessTokenWhenNoExpiresInThenDefaultLifetime() {
		AccessToken token = token("{\"access_token\":\"at-1\"}",
				new TokenLifetimes(Duration.ofMinutes(10), Duration.ofHours(24)));
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofMinutes(10)));
		assertThat(token("{\"access_token\":\"at-1\"}", TokenLifetimes.DEFAULT).getExpiresAt())
			.isEqualTo(SENT.plus(Duration.ofHours(1)));
	}

	@Test
	void toAccessTokenWhenExpiresInLongThenKeptUnlessLifetimesSetAMax() {
		assertThat(token("{\"access_token\":\"at-1\",\"expires_in\":2592000}", TokenLifetimes.DEFAULT).getExpiresAt())
			.isEqualTo(SENT.plus(Duration.ofDays(30)));
		assertThat(token("{\"access_token\":\"at-1\",\"expires_in\":2147483647}",
				new TokenLifetimes(Duration.ofHours(1), Duration.ofHours(2)))
			.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofHours(2)));
	}

	@Test
	void toAccessTokenWhenJwtExpEarlierThanExpiresInThenExp() {
		String accessToken = jwt("{\"exp\":" + SENT.plusSeconds(300).getEpochSecond() + ",\"sub\":\"u\"}");
		AccessToken token = token("{\"access_token\":\"" + accessToken + "\",\"expires_in\":3600}",
				TokenLifetimes.DEFAULT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(300));
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
	}

	@Test
	void toAccessTokenWhenJwtExpLaterThanExpiresInThenExpiresIn() {
		String accessToken = jwt("{\"exp\":" + SENT.plusSeconds(7200).getEpochSecond() + "}");
		assertThat(token("{\"access_token\":\"" + accessToken + "\",\"expires_in\":600}", TokenLifetimes.DEFAULT)
			.getExpiresAt()).isEqualTo(SENT.plusSeconds(600));
	}

	@Test
	void toAccessTokenWhenJwtExpAndNoExpiresInThenEarlierOfExpAndDefault() {
		String accessToken = jwt("{\"exp\":" + SENT.plusSeconds(120).getEpochSecond() + "}");
		assertThat(token("{\"access_token\":\"" + accessToken + "\"}", TokenLifetimes.DEFAULT).getExpiresAt())
			.isEqualTo(SENT.plusSeconds(120));
	}

	@ParameterizedTest
	@ValueSource(strings = { "a.b.c", "a..c", "x.e30.y", "x.W10.y", "x.eyJleHAiOiJzb29uIn0.y", "x.!!!.y",
			"x.eyJleHAiOjEwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMH0.y", "x.eyJleHAiOi0xfQ.y", "only.two", "a.b.c.d" })
	void toAccessTokenWhenMalformedJwtThenOpaqueToken(String accessToken) {
		AccessToken token = token("{\"access_token\":\"" + accessToken + "\",\"expires_in\":600}",
				TokenLifetimes.DEFAULT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(600));
	}

	@Test
	void toAccessTokenWhenJwtExpNotASecondAfterSendingAndNoExpiresInThenTypedException() {
		String accessToken = jwt("{\"exp\":" + SENT.getEpochSecond() + "}");
		OAuth2TokenException ex = badAnswer("{\"access_token\":\"" + accessToken + "\"}");
		assertThat(ex.getMessage()).contains("a token must live at least one second").doesNotContain(accessToken);
	}

	@Test
	void toAccessTokenWhenJwtExpPassedOnThisClockButExpiresInGivenThenClocksDisagreeAndRotatedRefreshTokenKept() {
		// this host's clock is 59.5 s ahead of the server's, whose 60 s token looks
		// expired
		String accessToken = jwt("{\"exp\":" + SENT.minusMillis(500).getEpochSecond() + "}");
		AccessToken token = token(
				"{\"access_token\":\"" + accessToken + "\",\"expires_in\":60,\"refresh_token\":\"rt-rotated\"}",
				TokenLifetimes.DEFAULT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(60));
		assertThat(token.getRefreshToken()).isEqualTo("rt-rotated");
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/token").toString()), "app",
				"secret", ClientAuthenticationMethod.BASIC, "orders", "oauth2", TokenRequestObserver.NOOP);
	}

	/** Answers after the test clock has moved on, as a slow server would. */
	private void answerAfter(Duration delay, String body) {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				OAuth2BadAnswerTests.this.clock.advance(delay);
				return new MockResponse.Builder().addHeader("Content-Type", "application/json").body(body).build();
			}
		});
	}

	@Test
	void clientCredentialsWhenAnswerIsSlowThenExpiryCountsFromSending() {
		answerAfter(Duration.ofSeconds(40), "{\"access_token\":\"at-1\",\"expires_in\":60}");
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(), List.of(), Map.of(),
				this.clock, TokenLifetimes.DEFAULT);
		AccessToken token = source.obtain(TokenKey.of("orders")).block();
		assertThat(this.clock.instant()).isEqualTo(SENT.plusSeconds(40));
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(60));
	}

	@Test
	void clientCredentialsWhenSubscribedLaterThenClockReadAtSubscription() {
		answerAfter(Duration.ofSeconds(5), "{\"access_token\":\"at-1\",\"expires_in\":60}");
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(client(), List.of(), Map.of(),
				this.clock, TokenLifetimes.DEFAULT);
		var pending = source.obtain(TokenKey.of("orders"));
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(pending.block().getIssuedAt()).isEqualTo(SENT.plus(Duration.ofMinutes(10)));
	}

	@Test
	void clientCredentialsWhenSlowAnswerIsJwtWithEarlierExpThenExp() {
		String accessToken = jwt("{\"exp\":" + SENT.plusSeconds(90).getEpochSecond() + "}");
		answerAfter(Duration.ofSeconds(30), "{\"access_token\":\"" + accessToken + "\",\"expires_in\":3600}");
		AccessToken token = new ClientCredentialsTokenSource(client(), List.of(), Map.of(), this.clock,
				TokenLifetimes.DEFAULT)
			.obtain(TokenKey.of("orders"))
			.block();
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(90));
	}

	@Test
	void refreshTokenWhenAnswerIsSlowThenExpiryCountsFromSendingAndMissingExpiresInGetsDefault() {
		answerAfter(Duration.ofSeconds(20), "{\"access_token\":\"at-2\"}");
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(), List.of(), null, this.clock,
				new TokenLifetimes(Duration.ofMinutes(5), Duration.ofHours(1)));
		AccessToken token = source
			.refresh(TokenKey.of("orders", "alice"), AccessToken.withValue("at-1").refreshToken("rt-1").build())
			.block();
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofMinutes(5)));
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
	}

	@Test
	void refreshTokenWhenExpiresInZeroThenTypedExceptionAndApplicationRefreshTokenKept() {
		answerAfter(Duration.ZERO, "{\"access_token\":\"at-2\",\"expires_in\":0,\"refresh_token\":\"rt-2\"}");
		RefreshTokenTokenSource source = new RefreshTokenTokenSource(client(), List.of(), "rt-1", this.clock);
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> source.obtain(TokenKey.of("orders")).block())
			.withMessageContaining("expires_in of 0");
		source.obtain(TokenKey.of("orders")).onErrorComplete().block();
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void managerWhenExpiresInZeroThenNothingCachedAndOneTokenCallFor50Requests() {
		answerAfter(Duration.ZERO, "{\"access_token\":\"at-1\",\"expires_in\":0}");
		TokenManager manager = new TokenManager(
				List.of(TokenRegistration.of("orders",
						new ClientCredentialsTokenSource(client(), List.of(), Map.of(), this.clock))),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		List<Throwable> failures = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			manager.getToken(TokenKey.of("orders")).doOnError(failures::add).onErrorComplete().block();
		}
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(failures).hasSize(50);
		assertThat(failures.get(0)).isInstanceOf(OAuth2TokenException.class)
			.hasMessageContaining("a token must live at least one second");
		assertThat(manager.getCachedToken(TokenKey.of("orders"))).isNull();
	}

	@Test
	void toAccessTokenWhenPreviousTokenThenScopesAndRefreshTokenKept() {
		AccessToken previous = AccessToken.withValue("old").refreshToken("rt-0").scopes(Set.of("a")).build();
		AccessToken token = this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":60}", "json")
			.toAccessToken("orders", SENT, TokenLifetimes.DEFAULT, previous);
		assertThat(token.getScopes()).containsExactly("a");
		assertThat(token.getRefreshToken()).isEqualTo("rt-0");
	}

	@Test
	@SuppressWarnings("deprecation")
	void toAccessTokenWithClockThenDefaultLifetimes() {
		AccessToken token = this.parser.parse("orders", 200, "{\"access_token\":\"at-1\"}", "json")
			.toAccessToken(Clock.fixed(SENT, java.time.ZoneOffset.UTC), null);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofHours(1)));
	}

}
