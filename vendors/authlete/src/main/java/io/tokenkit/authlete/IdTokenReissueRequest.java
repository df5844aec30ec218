package io.tokenkit.authlete;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The body of {@code POST /api/{serviceId}/idtoken/reissue}. {@code toString()} redacts
 * the tokens, the subject and the extra claims (which may hold a session ID or other user
 * data).
 *
 * @param accessToken the access token: the {@code jwtAccessToken} of the
 * {@code /auth/token} response when present, else its {@code accessToken}
 * @param refreshToken the refresh token of the {@code /auth/token} response
 * @param sub a value that overrides the {@code sub} claim of the ID token, or
 * {@code null}
 * @param claims the JSON object text of extra payload claims, or {@code null}
 * @param idtHeaderParams the JSON object text of extra JWS header parameters, or
 * {@code null}
 * @param idTokenAudType the type of the {@code aud} claim, {@code array} (Authlete's
 * default) or {@code string}, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdTokenReissueRequest(String accessToken, String refreshToken, @Nullable String sub,
		@Nullable String claims, @Nullable String idtHeaderParams, @Nullable String idTokenAudType) {

	private static final Set<String> REDACTED = Set.of("accessToken", "refreshToken", "sub", "claims");

	public IdTokenReissueRequest {
		Assert.hasText(accessToken, "accessToken must not be empty");
		Assert.hasText(refreshToken, "refreshToken must not be empty");
	}

	/**
	 * Create a request with only the required fields.
	 * @param accessToken the access token
	 * @param refreshToken the refresh token
	 * @return the request
	 */
	public static IdTokenReissueRequest of(String accessToken, String refreshToken) {
		return new IdTokenReissueRequest(accessToken, refreshToken, null, null, null, null);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
