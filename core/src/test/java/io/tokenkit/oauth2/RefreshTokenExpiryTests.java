package io.tokenkit.oauth2;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenLifetimes;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the refresh token's expiry read from {@code refresh_expires_in}.
 */
class RefreshTokenExpiryTests {

	private static final Instant SENT = Instant.parse("2026-11-23T10:00:00Z");

	@Test
	void toAccessTokenWhenRefreshExpiresInSentThenTheRefreshTokenExpiresThen() {
		AccessToken token = response(Map.of("refresh_expires_in", 1800)).toAccessToken("users", SENT,
				TokenLifetimes.DEFAULT, null);
		assertThat(token.getRefreshTokenExpiresAt()).isEqualTo(SENT.plusSeconds(1800));
		assertThat(token.mutate().build().getRefreshTokenExpiresAt()).isEqualTo(SENT.plusSeconds(1800));
		assertThat(token.expired().getRefreshTokenExpiresAt()).isEqualTo(SENT.plusSeconds(1800));
	}

	@Test
	void toAccessTokenWhenRefreshExpiresInIsATextNumberThenRead() {
		assertThat(
				response(Map.of("refresh_expires_in", "60")).toAccessToken("users", SENT, TokenLifetimes.DEFAULT, null)
					.getRefreshTokenExpiresAt())
			.isEqualTo(SENT.plusSeconds(60));
	}

	@Test
	void toAccessTokenWhenRefreshExpiresInZeroAbsentOrUnreadableThenUnknown() {
		for (Map<String, Object> members : java.util.List.<Map<String, Object>>of(Map.of(),
				Map.of("refresh_expires_in", 0), Map.of("refresh_expires_in", "soon"), Map.of("refresh_expires_in", -5),
				Map.of("refresh_expires_in", 1.5), Map.of("refresh_expires_in", Long.MAX_VALUE))) {
			assertThat(response(members).toAccessToken("users", SENT, TokenLifetimes.DEFAULT, null)
				.getRefreshTokenExpiresAt()).as("%s", members).isNull();
		}
	}

	private static OAuth2TokenResponse response(Map<String, Object> members) {
		return new OAuth2TokenResponse("at-1", "Bearer", 300L, "rt-1", null, null, members);
	}

}
