package io.tokenkit.authlete;

import java.util.Set;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The body of {@code POST /api/{serviceId}/auth/token/revoke}: which tokens to revoke. At
 * least one field must be set. {@code toString()} redacts the token identifiers and the
 * subject.
 *
 * @param accessTokenIdentifier the value or hash of the access token to revoke, or
 * {@code null}
 * @param refreshTokenIdentifier the value or hash of the refresh token to revoke, or
 * {@code null}
 * @param clientIdentifier the numeric client ID or client ID alias whose tokens to
 * revoke, or {@code null}
 * @param subject the resource owner whose tokens to revoke, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenRevokeRequest(@Nullable String accessTokenIdentifier, @Nullable String refreshTokenIdentifier,
		@Nullable String clientIdentifier, @Nullable String subject) {

	private static final Set<String> REDACTED = Set.of("accessTokenIdentifier", "refreshTokenIdentifier", "subject");

	public TokenRevokeRequest {
		Assert.isTrue(
				accessTokenIdentifier != null || refreshTokenIdentifier != null || clientIdentifier != null
						|| subject != null,
				"At least one of accessTokenIdentifier, refreshTokenIdentifier, clientIdentifier "
						+ "and subject must be set");
	}

	/**
	 * Revoke one access token.
	 * @param accessTokenIdentifier the access token value or hash
	 * @return the request
	 */
	public static TokenRevokeRequest accessToken(String accessTokenIdentifier) {
		Assert.hasText(accessTokenIdentifier, "accessTokenIdentifier must not be empty");
		return new TokenRevokeRequest(accessTokenIdentifier, null, null, null);
	}

	/**
	 * Revoke the tokens of one refresh token.
	 * @param refreshTokenIdentifier the refresh token value or hash
	 * @return the request
	 */
	public static TokenRevokeRequest refreshToken(String refreshTokenIdentifier) {
		Assert.hasText(refreshTokenIdentifier, "refreshTokenIdentifier must not be empty");
		return new TokenRevokeRequest(null, refreshTokenIdentifier, null, null);
	}

	/**
	 * Revoke the tokens of one user, for one client when {@code clientIdentifier} is
	 * given.
	 * @param subject the user
	 * @param clientIdentifier the client ID or alias, or {@code null} for every client
	 * @return the request
	 */
	public static TokenRevokeRequest subject(String subject, @Nullable String clientIdentifier) {
		Assert.hasText(subject, "subject must not be empty");
		return new TokenRevokeRequest(null, null, clientIdentifier, subject);
	}

	/**
	 * Revoke the tokens of one client.
	 * @param clientIdentifier the client ID or alias
	 * @return the request
	 */
	public static TokenRevokeRequest client(String clientIdentifier) {
		Assert.hasText(clientIdentifier, "clientIdentifier must not be empty");
		return new TokenRevokeRequest(null, null, clientIdentifier, null);
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
