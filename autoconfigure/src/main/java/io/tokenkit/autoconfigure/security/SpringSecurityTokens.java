package io.tokenkit.autoconfigure.security;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2AccessTokenResponse;
import org.springframework.util.Assert;

/**
 * Builds TokenKit's {@link AccessToken} from Spring Security's token types, for an
 * application that runs its own code exchange with Spring Security's clients and hands
 * the result to {@code TokenManager.save}; {@link AccessToken#from(Map, Instant)} takes
 * the fields of a token response parsed any other way.
 */
public final class SpringSecurityTokens {

	private SpringSecurityTokens() {
	}

	/**
	 * Return the token of a token response: access token, type, lifetime, scopes, refresh
	 * token and, for OpenID Connect, the ID token of its additional parameters.
	 * @param response the token endpoint's response
	 * @return the token
	 */
	public static AccessToken from(OAuth2AccessTokenResponse response) {
		Assert.notNull(response, "response must not be null");
		Object idToken = response.getAdditionalParameters().get("id_token");
		return from(response.getAccessToken(), response.getRefreshToken(),
				(idToken instanceof String text) ? text : null);
	}

	/**
	 * Return the token of an authorized client: access token, type, lifetime, scopes and
	 * refresh token.
	 * @param client the authorized client
	 * @return the token
	 */
	public static AccessToken from(OAuth2AuthorizedClient client) {
		Assert.notNull(client, "client must not be null");
		return from(client.getAccessToken(), client.getRefreshToken(), null);
	}

	/**
	 * Return Spring Security's type of a TokenKit token: {@code DPoP} for a DPoP-bound
	 * token (RFC 9449), so that Spring Security's clients send it with a proof, and
	 * {@code Bearer} for a bearer token. A token of another type keeps its name.
	 * @param token the token
	 * @return the type
	 */
	static OAuth2AccessToken.TokenType tokenType(AccessToken token) {
		Assert.notNull(token, "token must not be null");
		String type = token.getTokenType();
		if (OAuth2AccessToken.TokenType.DPOP.getValue().equalsIgnoreCase(type)) {
			return OAuth2AccessToken.TokenType.DPOP;
		}
		if (OAuth2AccessToken.TokenType.BEARER.getValue().equalsIgnoreCase(type)) {
			return OAuth2AccessToken.TokenType.BEARER;
		}
		return new OAuth2AccessToken.TokenType(type);
	}

	private static AccessToken from(OAuth2AccessToken access, @Nullable OAuth2RefreshToken refresh,
			@Nullable String idToken) {
		Instant issuedAt = (access.getIssuedAt() != null) ? access.getIssuedAt() : Instant.now();
		Instant expiresAt = access.getExpiresAt();
		return AccessToken.withValue(access.getTokenValue())
			.tokenType(access.getTokenType().getValue())
			.issuedAt((expiresAt != null && expiresAt.isBefore(issuedAt)) ? expiresAt : issuedAt)
			.expiresAt(expiresAt)
			.scopes(access.getScopes())
			.refreshToken((refresh != null) ? refresh.getTokenValue() : null)
			.refreshTokenExpiresAt((refresh != null) ? refresh.getExpiresAt() : null)
			.idToken(idToken)
			.build();
	}

}
