package io.tokenkit.docs;

// tag::from-response[]
import java.time.Instant;
import java.util.Set;

import io.tokenkit.oauth2.OAuth2TokenResponse;
import io.tokenkit.oauth2.OAuth2TokenResponseParser;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenLifetimes;

/**
 * Turns the body of a token endpoint's answer, from an exchange of your own, into a token
 * that {@code TokenManager.save} takes.
 */
class TokenResponseExample {

	private final OAuth2TokenResponseParser parser = new OAuth2TokenResponseParser();

	/**
	 * Return the token of an answer.
	 * @param body the answer's JSON body
	 * @param sentAt when the token request was sent: {@code expires_in} counts from it
	 * @return the token, with its refresh token
	 */
	AccessToken toAccessToken(String body, Instant sentAt) {
		OAuth2TokenResponse response = this.parser.parse("bank", 200, body, "application/json");
		return response.toAccessToken("bank", sentAt, TokenLifetimes.DEFAULT, null, Set.of());
	}

}
// end::from-response[]
