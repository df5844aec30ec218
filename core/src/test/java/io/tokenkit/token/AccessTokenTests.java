package io.tokenkit.token;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link AccessToken}.
 */
class AccessTokenTests {

	private static final Instant ISSUED = Instant.parse("2031-05-01T10:00:00Z");

	@Test
	void buildWhenIssueTimeSetThenTimesAreTheGivenOnes() {
		AccessToken token = AccessToken.withValue("v").issuedAt(ISSUED).expiresAt(ISSUED.plusSeconds(60)).build();
		assertThat(token.getIssuedAt()).isEqualTo(ISSUED);
		assertThat(token.getExpiresAt()).isEqualTo(ISSUED.plusSeconds(60));
	}

	@Test
	void buildWhenTokenExpiresWithoutIssueTimeThenFailsInsteadOfReadingTheSystemClock() {
		// a date far from now: reading the system clock would give an issue time after
		// the expiry
		assertThatIllegalStateException()
			.isThrownBy(() -> AccessToken.withValue("v").expiresAt(Instant.parse("1999-01-01T00:00:00Z")).build())
			.withMessageContaining("issuedAt(clock.instant())");
	}

	@Test
	void buildWhenTokenDoesNotExpireWithoutIssueTimeThenIssuedAtTheEpoch() {
		AccessToken token = AccessToken.withValue("v").build();
		assertThat(token.getExpiresAt()).isNull();
		assertThat(token.getIssuedAt()).isEqualTo(Instant.EPOCH);
	}

	@Test
	void fromWhenStandardTokenResponseThenEveryFieldIsRead() {
		Instant sentAt = Instant.parse("2026-01-01T00:00:00Z");
		AccessToken token = AccessToken.from(
				Map.of("access_token", "access", "token_type", "bearer", "expires_in", 600, "scope", "read  write",
						"refresh_token", "refresh", "id_token", "id", "refresh_expires_in", "1800", "other", "ignored"),
				sentAt);
		assertThat(token.getTokenValue()).isEqualTo("access");
		assertThat(token.getTokenType()).isEqualTo(AccessToken.BEARER);
		assertThat(token.getIssuedAt()).isEqualTo(sentAt);
		assertThat(token.getExpiresAt()).isEqualTo(sentAt.plusSeconds(600));
		assertThat(token.getScopes()).containsExactly("read", "write");
		assertThat(token.getRefreshToken()).isEqualTo("refresh");
		assertThat(token.getIdToken()).isEqualTo("id");
		assertThat(token.getRefreshTokenExpiresAt()).isEqualTo(sentAt.plusSeconds(1800));
	}

	@Test
	void fromWhenOnlyAccessTokenThenBearerOfTheDefaultLifetimeSoThatItIsRefreshed() {
		AccessToken token = AccessToken.from(Map.of("access_token", "access"), Instant.EPOCH);
		assertThat(token.getTokenType()).isEqualTo(AccessToken.BEARER);
		assertThat(token.getExpiresAt()).isEqualTo(Instant.EPOCH.plus(TokenLifetimes.DEFAULT.defaultLifetime()));
		assertThat(token.getScopes()).isEmpty();
		assertThat(token.getRefreshToken()).isNull();
	}

	@Test
	void fromWhenJwtWithoutExpiresInThenItsExp() {
		Instant sentAt = Instant.parse("2026-01-01T00:00:00Z");
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String jwt = base64.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ base64.encodeToString(
						("{\"exp\":" + sentAt.plusSeconds(300).getEpochSecond() + "}").getBytes(StandardCharsets.UTF_8))
				+ ".c2ln";
		assertThat(AccessToken.from(Map.of("access_token", jwt), sentAt).getExpiresAt())
			.isEqualTo(sentAt.plusSeconds(300));
	}

	@Test
	void fromWhenNoAccessTokenOrBadLifetimeThenMessageNamesFieldNotValue() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> AccessToken.from(Map.of("error", "invalid_grant"), Instant.EPOCH))
			.withMessageContaining("access_token");
		assertThatIllegalArgumentException()
			.isThrownBy(
					() -> AccessToken.from(Map.of("access_token", "secret-value", "expires_in", "soon"), Instant.EPOCH))
			.withMessageContaining("expires_in")
			.withMessageNotContaining("secret-value")
			.withMessageNotContaining("soon");
	}

}
