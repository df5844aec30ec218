package io.tokenkit.authlete;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the {@code toString()} of every Authlete request and response record keeps
 * tokens, subjects, session IDs, claims and hidden property values out.
 */
class AuthleteRecordsToStringTests {

	private static final String ACCESS_TOKEN = "fake-secret-access-token";

	private static final String REFRESH_TOKEN = "fake-secret-refresh-token";

	private static final String JWT_ACCESS_TOKEN = "fake-secret-jwt-access-token";

	private static final String ID_TOKEN = "fake-secret-id-token";

	private static final String SUBJECT = "fake-secret-subject";

	private static final String SESSION_ID = "fake-secret-session-id";

	private static final String CLAIMS = "{\"sid\":\"fake-secret-claim\"}";

	private static final String HIDDEN_VALUE = "fake-secret-hidden-value";

	@Test
	void propertyToStringWhenHiddenThenValueRedacted() {
		assertThat(Property.hidden("internal", HIDDEN_VALUE).toString()).contains("internal", "(redacted)", "true")
			.doesNotContain(HIDDEN_VALUE);
	}

	@Test
	void propertyToStringWhenVisibleThenValueShown() {
		assertThat(Property.of("plan", "gold").toString()).contains("plan", "gold");
	}

	@Test
	void tokenCreateRequestToStringThenNoSecret() {
		TokenCreateRequest request = TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE)
			.clientId(42)
			.subject(SUBJECT)
			.accessToken(ACCESS_TOKEN)
			.refreshToken(REFRESH_TOKEN)
			.jwtAtClaims(CLAIMS)
			.sessionId(SESSION_ID)
			.properties(List.of(Property.hidden("internal", HIDDEN_VALUE), Property.of("plan", "gold")))
			.scopes(List.of("profile"))
			.build();
		assertThat(request.toString()).contains("clientId=42", "profile", "gold")
			.doesNotContain(SUBJECT, ACCESS_TOKEN, REFRESH_TOKEN, "fake-secret-claim", SESSION_ID, HIDDEN_VALUE);
	}

	@Test
	void tokenCreateResponseToStringThenNoSecret() {
		TokenCreateResponse response = new TokenCreateResponse("A109001", "[A109001] ok", AuthleteAction.OK,
				ACCESS_TOKEN, REFRESH_TOKEN, "Bearer", 3600L, 1L, GrantType.AUTHORIZATION_CODE, 42L, "client", SUBJECT,
				List.of("profile"), null, List.of(Property.hidden("internal", HIDDEN_VALUE)), JWT_ACCESS_TOKEN, null,
				null, "token-id", SESSION_ID);
		assertThat(response.toString()).contains("A109001", "Bearer", "profile")
			.doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN, JWT_ACCESS_TOKEN, SUBJECT, HIDDEN_VALUE, SESSION_ID);
	}

	@Test
	void idTokenReissueRequestToStringThenNoSecret() {
		IdTokenReissueRequest request = new IdTokenReissueRequest(ACCESS_TOKEN, REFRESH_TOKEN, SUBJECT, CLAIMS,
				"{\"kid\":\"k1\"}", "string");
		assertThat(request.toString()).contains("idTokenAudType=string")
			.doesNotContain(ACCESS_TOKEN, REFRESH_TOKEN, SUBJECT, "fake-secret-claim");
	}

	@Test
	void idTokenReissueResponseToStringThenNoSecret() {
		IdTokenReissueResponse response = new IdTokenReissueResponse("A000000", "ok", AuthleteAction.OK,
				"{\"id_token\":\"" + ID_TOKEN + "\"}", ID_TOKEN);
		assertThat(response.toString()).contains("A000000").doesNotContain(ID_TOKEN);
	}

	@Test
	void tokenUpdateRequestToStringThenNoSecret() {
		TokenUpdateRequest request = TokenUpdateRequest.forAccessToken(ACCESS_TOKEN)
			.properties(List.of(Property.hidden("internal", HIDDEN_VALUE)))
			.build();
		assertThat(request.toString()).contains("internal").doesNotContain(ACCESS_TOKEN, HIDDEN_VALUE);
	}

	@Test
	void tokenUpdateResponseToStringThenNoSecret() {
		TokenUpdateResponse response = new TokenUpdateResponse("A135001", "ok", AuthleteAction.OK, ACCESS_TOKEN,
				"Bearer", 1L, 2L, List.of("profile"), List.of(Property.hidden("internal", HIDDEN_VALUE)), null, null,
				null);
		assertThat(response.toString()).contains("A135001").doesNotContain(ACCESS_TOKEN, HIDDEN_VALUE);
	}

	@Test
	void tokenListRequestAndResponseToStringThenNoSubject() {
		AuthleteAccessToken token = new AuthleteAccessToken("hash", "refresh-hash", 42L, SUBJECT,
				GrantType.AUTHORIZATION_CODE, List.of("profile"), null, 1L, 2L, 3L, 0L,
				List.of(Property.hidden("internal", HIDDEN_VALUE)));
		TokenListResponse response = new TokenListResponse("A000000", "ok", null, 0, 5, 1, null, SUBJECT,
				List.of(token));
		assertThat(response.toString()).contains("hash").doesNotContain(SUBJECT, HIDDEN_VALUE);
		assertThat(TokenListRequest.builder().subject(SUBJECT).build().toString()).doesNotContain(SUBJECT);
	}

	@Test
	void tokenRevokeRequestToStringThenNoSecret() {
		assertThat(TokenRevokeRequest.accessToken(ACCESS_TOKEN).toString()).doesNotContain(ACCESS_TOKEN);
		assertThat(TokenRevokeRequest.refreshToken(REFRESH_TOKEN).toString()).doesNotContain(REFRESH_TOKEN);
		assertThat(TokenRevokeRequest.subject(SUBJECT, "client").toString()).contains("client").doesNotContain(SUBJECT);
	}

}
