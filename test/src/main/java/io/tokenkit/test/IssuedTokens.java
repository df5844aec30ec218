package io.tokenkit.test;

import java.time.Instant;
import java.util.List;

/**
 * Tokens a {@link MockTokenServer} issued outside a token call, as an authorization-code
 * exchange would have: what an application saves as a user's first token.
 * {@link #toString()} shows neither token.
 *
 * @param accessToken the access token
 * @param refreshToken the refresh token
 * @param issuedAt when they were issued
 * @param expiresAt when the access token expires
 * @param scopes the scopes granted
 */
public record IssuedTokens(String accessToken, String refreshToken, Instant issuedAt, Instant expiresAt,
		List<String> scopes) {

	@Override
	public String toString() {
		return "IssuedTokens[accessToken=[hidden], refreshToken=[hidden], issuedAt=" + this.issuedAt + ", expiresAt="
				+ this.expiresAt + ", scopes=" + this.scopes + "]";
	}

}
