package io.tokenkit.saasus;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.StubAnswers;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import static io.tokenkit.saasus.SaasusTokenConverterTests.jwt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The lifetimes of SaaSus tokens: counted from when the refresh request was sent, the
 * JWT's {@code exp} however far ahead, and never a token that would not live a second.
 */
class SaasusLifetimeTests {

	private static final Instant SENT = Instant.parse("2026-11-23T04:15:00Z");

	private static final TokenKey KEY = TokenKey.of("saasus", "user-1");

	private final MutableClock clock = new MutableClock(SENT);

	private final StubAnswers answers = new StubAnswers();

	private SaasusTokenSource source(TokenLifetimes lifetimes) {
		SaasusClient client = new SaasusClient(this.answers.builder(), URI.create("https://api.saasus.io/v1/auth"),
				new SaasusRequestSigner("saas-1", "ak-1", "sk-1", this.clock), TokenRequestObserver.NOOP);
		return new SaasusTokenSource(client,
				new SaasusTokenConverter(this.clock, lifetimes, SaasusBearerToken.ACCESS_TOKEN));
	}

	private static AccessToken current() {
		return AccessToken.withValue("at-0").refreshToken("rt-1").build();
	}

	private static String credentials(String accessToken) {
		return "{\"id_token\":\"id-1\",\"access_token\":\"" + accessToken + "\"}";
	}

	@Test
	void refreshWhenAnswerIsSlowThenIssuedWhenSentAndExpiresAtExp() {
		String accessToken = jwt("{\"exp\":" + SENT.plusSeconds(600).getEpochSecond() + "}");
		this.answers.answerJson(credentials(accessToken))
			.beforeAnswer(() -> this.clock.advance(Duration.ofSeconds(45)));
		AccessToken token = source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block();
		assertThat(this.clock.instant()).isEqualTo(SENT.plusSeconds(45));
		assertThat(token.getIssuedAt()).isEqualTo(SENT);
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plusSeconds(600));
		assertThat(token.getRefreshToken()).isEqualTo("rt-1");
	}

	@Test
	void refreshWhenExpFarAheadThenExpiresAtExp() {
		String accessToken = jwt("{\"exp\":" + SENT.plus(Duration.ofDays(365)).getEpochSecond() + "}");
		this.answers.answerJson(credentials(accessToken));
		AccessToken token = source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block();
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofDays(365)));
	}

	@Test
	void refreshWhenOpaqueTokenThenDefaultLifetimeFromSending() {
		this.answers.answerJson(credentials("opaque")).beforeAnswer(() -> this.clock.advance(Duration.ofSeconds(10)));
		AccessToken token = source(new TokenLifetimes(Duration.ofMinutes(5), Duration.ofHours(1)))
			.refresh(KEY, current())
			.block();
		assertThat(token.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofMinutes(5)));
	}

	@Test
	void refreshWhenExpNotASecondAfterSendingThenTypedException() {
		this.answers.answerJson(credentials(jwt("{\"exp\":" + SENT.getEpochSecond() + "}")));
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block())
			.withMessageContaining("a token must live at least one second")
			.satisfies((ex) -> assertThat(ex.getOperation()).isEqualTo(SaasusClient.REFRESH));
	}

	@Test
	void refreshWhenHtmlAnswerThenTypedException() {
		this.answers.answer(200, "text/html", "<html>maintenance</html>".getBytes());
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> source(TokenLifetimes.DEFAULT).refresh(KEY, current()).block())
			.withMessageContaining("not Credentials JSON");
	}

	@Test
	void convertWhenExpDaysAheadThenExpiresAtExpAndDefaultLifetimeKept() {
		String accessToken = jwt("{\"exp\":" + SENT.plus(Duration.ofDays(3)).getEpochSecond() + "}");
		assertThat(
				new SaasusTokenConverter(this.clock).convert(new Credentials("id", accessToken, null)).getExpiresAt())
			.isEqualTo(SENT.plus(Duration.ofDays(3)));
		assertThat(new SaasusTokenConverter(this.clock, Duration.ofHours(48), SaasusBearerToken.ACCESS_TOKEN)
			.convert(new Credentials("id", "opaque", null))
			.getExpiresAt()).isEqualTo(SENT.plus(Duration.ofHours(48)));
	}

}
