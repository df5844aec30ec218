package io.tokenkit.authlete;

import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/{serviceId}/idtoken/reissue}. Relay
 * {@link #responseContent()} to the client with HTTP 200 when {@link #action()} is
 * {@link AuthleteAction#OK}, and with HTTP 500 when it is
 * {@link AuthleteAction#INTERNAL_SERVER_ERROR}; {@link AuthleteAction#CALLER_ERROR} means
 * the API call was wrong. {@code toString()} redacts the ID token and the response
 * content.
 *
 * @param resultCode the result code, for example {@code A000000}
 * @param resultMessage the result message
 * @param action what to do next
 * @param responseContent the ready-made JSON body of the token response
 * @param idToken the new ID token
 */
public record IdTokenReissueResponse(@Nullable String resultCode, @Nullable String resultMessage,
		@Nullable AuthleteAction action, @Nullable String responseContent, @Nullable String idToken) {

	private static final Set<String> REDACTED = Set.of("responseContent", "idToken");

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

}
