package io.tokenkit.oauth2;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokenkit.support.ResponseBodies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link OAuth2TokenErrorMapper}, without HTTP.
 */
class OAuth2TokenErrorMapperTests {

	private final OAuth2TokenErrorMapper mapper = new OAuth2TokenErrorMapper();

	@Test
	void mapWhenErrorBodyThenFieldsMessageAndHint() {
		OAuth2TokenException ex = this.mapper.map("orders", 401, """
				{"error":"invalid_client","error_description":"Client authentication failed",
				 "error_uri":"https://docs.example.com/e","state":"st-1","retry":false,"detail":{"a":1}}""",
				"application/json", List.of("s3cret"));
		assertThat(ex.getStatusCode()).isEqualTo(401);
		assertThat(ex.getRegistrationId()).isEqualTo("orders");
		assertThat(ex.getError()).isEqualTo("invalid_client");
		assertThat(ex.getErrorDescription()).isEqualTo("Client authentication failed");
		assertThat(ex.getErrorUri()).isEqualTo("https://docs.example.com/e");
		assertThat(ex.getAdditionalParameters()).containsOnly(entry("state", "st-1"), entry("retry", "false"));
		assertThat(ex.getMessage()).isEqualTo("Token endpoint of 'orders' answered 401 invalid_client "
				+ "(Client authentication failed): check the client id, client secret and client authentication "
				+ "method (basic or post)");
	}

	@Test
	void mapWhenEachKnownErrorCodeThenItsHint() {
		assertThat(map("unauthorized_client").getMessage()).endsWith("client authentication method (basic or post)");
		assertThat(map("invalid_grant").getMessage()).endsWith("invalid, expired or revoked; authorize again");
		assertThat(map("invalid_scope").getMessage()).endsWith(": check the scopes requested");
		assertThat(map("unsupported_grant_type").getMessage())
			.endsWith("does not allow this grant type for the client");
		assertThat(map("server_error").getMessage()).isEqualTo("Token endpoint of 'orders' answered 400 server_error");
	}

	@Test
	void mapWhenInvalidGrantThenHintSaysWhatTheGrantSent() {
		assertThat(invalidGrant("authorization_code").getMessage()).endsWith(": the authorization code is invalid, "
				+ "expired, already used or was issued for another redirect URI; start the login again");
		assertThat(invalidGrant("refresh_token").getMessage())
			.endsWith(": the refresh token is invalid, expired or revoked; authorize again");
		assertThat(invalidGrant(TokenExchangeTokenSource.GRANT_TYPE).getMessage())
			.endsWith(": the subject token (or actor token) was refused: it is invalid, expired, or not meant for this "
					+ "client; check the incoming token's audience and expiry, and the subject-token-type")
			.doesNotContain("refresh token", "code");
		assertThat(invalidGrant(JwtBearerTokenSource.GRANT_TYPE).getMessage())
			.endsWith(
					": the assertion was refused: its signature, issuer, subject or audience is not accepted for this "
							+ "client, or it has expired; check the key it is signed with and its claims")
			.doesNotContain("refresh token", "code");
		assertThat(invalidGrant("client_credentials").getMessage())
			.endsWith(": the server refused the grant (client_credentials) for this client; check what the grant "
					+ "sends and that the client may use it");
		assertThat(invalidGrant(null).getMessage())
			.endsWith(": the code or refresh token is invalid, expired or revoked; authorize again");
		assertThat(this.mapper
			.map("orders", TokenExchangeTokenSource.GRANT_TYPE, 400,
					ResponseBodies.parse("{\"error\":\"invalid_scope\"}"), "application/json", List.of(), null)
			.getMessage()).endsWith(": check the scopes requested");
	}

	@Test
	void mapWhenServerEchoesSecretsThenRedactedAsSentAndFormEncoded() {
		OAuth2TokenException ex = this.mapper.map("orders", 400, """
				{"error":"invalid_grant","error_description":"refresh token rt+1/2 (rt%2B1%2F2) or s3 cr3t",
				 "error_uri":"https://as.example.com/e?token=rt%2B1%2F2","state":"s3+cr3t"}""", "application/json",
				List.of("rt+1/2", "s3 cr3t"));
		assertThat(ex.getErrorDescription()).isEqualTo("refresh token [REDACTED] ([REDACTED]) or [REDACTED]");
		assertThat(ex.getErrorUri()).isEqualTo("https://as.example.com/e?token=[REDACTED]");
		assertThat(ex.getAdditionalParameters()).containsEntry("state", "[REDACTED]");
		assertThat(ex.getMessage()).doesNotContain("rt+1", "rt%2B1", "s3 cr3t", "s3+cr3t");
	}

	@Test
	void mapWhenDescriptionLongThenMessageTruncatedButFieldWhole() {
		String description = "d".repeat(300);
		OAuth2TokenException ex = this.mapper.map("orders", 400,
				"{\"error\":\"invalid_request\",\"error_description\":\"" + description + "\"}", "application/json",
				List.of());
		assertThat(ex.getErrorDescription()).isEqualTo(description);
		assertThat(ex.getMessage()).contains("(" + "d".repeat(200) + "…)").doesNotContain("d".repeat(201));
	}

	@Test
	void mapWhenBodyIsNotAnOAuth2ErrorThenTypedExceptionNamingContentType() {
		OAuth2TokenException ex = this.mapper.map("orders", 502, "<html>Bad gateway</html>", "text/html", List.of());
		assertThat(ex.getError()).isNull();
		assertThat(ex.getStatusCode()).isEqualTo(502);
		assertThat(ex.getMessage()).isEqualTo(
				"Token endpoint of 'orders' answered 502 with a body that is not an OAuth 2.0 error (text/html)");
		assertThat(this.mapper.map("orders", 400, "{\"message\":\"no\"}", "application/json", List.of()).getError())
			.isNull();
		assertThat(this.mapper.map("orders", 500, "", "no content type", List.of()).getMessage())
			.contains("(no content type)");
	}

	private OAuth2TokenException invalidGrant(String grantType) {
		return this.mapper.map("orders", grantType, 400, ResponseBodies.parse("{\"error\":\"invalid_grant\"}"),
				"application/json", List.of(), null);
	}

	private OAuth2TokenException map(String error) {
		return this.mapper.map("orders", 400, "{\"error\":\"" + error + "\"}", "application/json", List.of());
	}

}
