package io.tokenkit.aozora;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.StubAnswers;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_ID;
import static io.tokenkit.aozora.AozoraTestSupport.CLIENT_SECRET;
import static io.tokenkit.aozora.AozoraTestSupport.REDIRECT_URI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lifetimes of the bank's tokens: counted from when the request was sent, the bank's
 * own (30 days) however long, and a {@link GmoAozoraTokenException} for an answer that
 * makes no token.
 */
class GmoAozoraLifetimeTests {

	private static final Instant SENT = Instant.parse("2026-11-23T10:00:00Z");

	private static final TokenKey KEY = TokenKey.of("bank", "customer-1");

	private final MutableClock clock = new MutableClock(SENT);

	private final StubAnswers answers = new StubAnswers();

	private final GmoAozoraTokenClient tokenClient = new GmoAozoraTokenClient(this.answers.builder().build(),
			URI.create("https://bank.example.com/auth/v1/token"), CLIENT_ID, CLIENT_SECRET,
			ClientAuthenticationMethod.BASIC, TokenRequestObserver.NOOP);

	private GmoAozoraTokenSource source(TokenLifetimes lifetimes) {
		return new GmoAozoraTokenSource(this.tokenClient.forRegistration("bank"), this.clock, lifetimes);
	}

	private GmoAozoraClient client() {
		return new GmoAozoraClient(URI.create("https://bank.example.com/auth/v1/authorization"), REDIRECT_URI,
				List.of("private:account"), new GmoAozoraState("pepper-salt"), this.tokenClient,
				new InMemoryNonceStore(this.clock), null, this.clock, TokenLifetimes.DEFAULT);
	}

	private static AccessToken current() {
		return AccessToken.withValue("at-1").refreshToken("rt-1").build();
	}

	@Test
	void refreshWhenBankAnswersThirtyDaysThenThirtyDays() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":\"2592000\"}");
		assertThat(source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block().getExpiresAt())
			.isEqualTo(SENT.plus(Duration.ofDays(30)));
	}

	@Test
	void clientWhenBankAnswersThirtyDaysThenThirtyDays() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"expires_in\":2592000,\"refresh_token\":\"rt-2\"}");
		assertThat(client().exchangeCode("code-1").block().getExpiresAt()).isEqualTo(SENT.plus(Duration.ofDays(30)));
		this.answers.answerJson("{\"access_token\":\"at-3\",\"expires_in\":2592000}");
		assertThat(client().refresh("rt-2").block().getExpiresAt()).isEqualTo(SENT.plus(Duration.ofDays(30)));
	}

	@Test
	void refreshWhenLifetimesSetAMaxThenCutToIt() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"expires_in\":2592000}");
		assertThat(source(new TokenLifetimes(Duration.ofHours(1), Duration.ofHours(24))).refresh(KEY, current())
			.block()
			.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofHours(24)));
	}

	@Test
	void refreshWhenAnswerIsSlowThenIssuedWhenSent() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"expires_in\":3600}")
			.beforeAnswer(() -> this.clock.advance(Duration.ofSeconds(50)));
		AccessToken token = source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block();
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(3600));
	}

	@Test
	void refreshWhenExpiresInZeroThenGmoAozoraTokenExceptionNamingRegistration() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"expires_in\":0}");
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block())
			.withMessage("Token endpoint of 'bank' answered 200 with an expires_in of 0; "
					+ "a token must live at least one second");
	}

	@Test
	void refreshWhenJwtAlreadyExpiredAndNoExpiresInThenGmoAozoraTokenException() {
		this.answers.answerJson("{\"access_token\":\"" + jwtExpiring(SENT.minusSeconds(5)) + "\"}");
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block())
			.withMessageContaining("a token must live at least one second");
	}

	@Test
	void refreshWhenJwtExpPassedOnThisClockButExpiresInGivenThenTokenKeptForExpiresIn() {
		// the clocks disagree: the server's expires_in counts from sending on this host
		this.answers.answerJson("{\"access_token\":\"" + jwtExpiring(SENT.minusSeconds(5)) + "\",\"expires_in\":3600}");
		AccessToken token = source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block();
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(3600));
	}

	private static String jwtExpiring(Instant exp) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return "eyJhbGciOiJub25lIn0."
				+ encoder.encodeToString(("{\"exp\":" + exp.getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
				+ ".";
	}

	@Test
	void clientRefreshWhenNoExpiresInThenDefaultLifetimeFromSending() {
		this.answers.answerJson("{\"access_token\":\"at-2\"}")
			.beforeAnswer(() -> this.clock.advance(Duration.ofSeconds(5)));
		AccessToken token = client().refresh("rt-1").block();
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofHours(1)));
	}

	@Test
	void clientExchangeWhenExpiresInNegativeThenGmoAozoraTokenException() {
		this.answers.answerJson("{\"access_token\":\"at-2\",\"expires_in\":-5}");
		assertThatExceptionOfType(GmoAozoraTokenException.class)
			.isThrownBy(() -> client().exchangeCode("code-1").block())
			.withMessageContaining("an expires_in of -5");
	}

}
