package io.tokenkit.authlete;

import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code GET /api/{serviceId}/auth/token/get/list}. {@code toString()}
 * redacts the subject.
 *
 * @param resultCode the result code
 * @param resultMessage the result message
 * @param action the action; the API documents none, so this is {@code null} unless
 * Authlete sends one
 * @param start the start of the range (inclusive)
 * @param end the end of the range (exclusive)
 * @param totalCount how many tokens match the filter in total
 * @param client a summary of the client, when the list was filtered by client
 * @param subject the subject filter, echoed
 * @param accessTokens the tokens of the range; never {@code null}, empty when Authlete
 * sent none
 */
public record TokenListResponse(@Nullable String resultCode, @Nullable String resultMessage,
		@Nullable AuthleteAction action, @Nullable Integer start, @Nullable Integer end, @Nullable Integer totalCount,
		@Nullable Client client, @Nullable String subject, List<AuthleteAccessToken> accessTokens) {

	private static final Set<String> REDACTED = Set.of("subject");

	public TokenListResponse {
		accessTokens = (accessTokens != null) ? List.copyOf(accessTokens) : List.of();
	}

	@Override
	public String toString() {
		return Redaction.toString(this, REDACTED);
	}

	/**
	 * The summary of a client in a {@link TokenListResponse}.
	 *
	 * @param clientId the numeric client ID
	 * @param clientIdAlias the client ID alias
	 * @param clientIdAliasEnabled whether the alias is enabled
	 * @param clientName the client name
	 * @param clientType the client type, for example {@code CONFIDENTIAL} or
	 * {@code PUBLIC}
	 * @param description the description
	 * @param number the client number
	 */
	public record Client(@Nullable Long clientId, @Nullable String clientIdAlias,
			@Nullable Boolean clientIdAliasEnabled, @Nullable String clientName, @Nullable String clientType,
			@Nullable String description, @Nullable Integer number) {
	}

}
