package io.tokenkit.oauth2;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;

/**
 * Tests for {@link OAuth2TokenResponseParser}, without HTTP.
 */
class OAuth2TokenResponseParserTests {

	private final OAuth2TokenResponseParser parser = new OAuth2TokenResponseParser();

	@Test
	void parseWhenEveryMemberThenMapped() {
		OAuth2TokenResponse response = this.parser.parse("orders", 200, """
				{"access_token":"at-1","token_type":"DPoP","expires_in":3600,"refresh_token":"rt-1",
				 "scope":"a b","id_token":"eyJ.id","tenant":"t1","limits":{"max":2}}""", "application/json");
		assertThat(response.accessToken()).isEqualTo("at-1");
		assertThat(response.tokenType()).isEqualTo("DPoP");
		assertThat(response.expiresIn()).isEqualTo(3600L);
		assertThat(response.refreshToken()).isEqualTo("rt-1");
		assertThat(response.scopes()).containsExactly("a", "b");
		assertThat(response.idToken()).isEqualTo("eyJ.id");
		assertThat(response.additionalParameters()).containsOnly(entry("tenant", "t1"),
				entry("limits", java.util.Map.of("max", 2)));
	}

	@Test
	void parseWhenOnlyAccessTokenThenBearerAndNoExpiry() {
		OAuth2TokenResponse response = this.parser.parse("orders", 200, "{\"access_token\":\"at-1\"}",
				"application/json");
		assertThat(response.tokenType()).isEqualTo("Bearer");
		assertThat(response.expiresIn()).isNull();
		assertThat(response.refreshToken()).isNull();
		assertThat(response.additionalParameters()).isEmpty();
	}

	@Test
	void parseWhenExpiresInIsStringThenReadAsSeconds() {
		assertThat(this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":\" 60 \"}", "json")
			.expiresIn()).isEqualTo(60L);
	}

	@Test
	void parseWhenExpiresInNotWholeNumberThenTypedException() {
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 200, "{\"access_token\":\"at-1\",\"expires_in\":\"soon\"}",
					"application/json"))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(200);
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getMessage()).contains("expires_in").doesNotContain("at-1");
			});
	}

	@Test
	void parseWhenNoAccessTokenThenTypedException() {
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 200, "{\"access_token\":\"\"}", "application/json"))
			.withMessage("Token endpoint of 'orders' answered 200 without an access_token");
	}

	@Test
	void parseWhenBodyIsNotJsonObjectThenTypedExceptionNamingContentType() {
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 200, "<html>login</html>", "text/html"))
			.withMessage("Token endpoint of 'orders' answered 200 with a body that is not a JSON object (text/html); "
					+ "check its token-uri")
			.satisfies((ex) -> assertThat(ex.getError()).isNull());
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 200, "[]", "application/json"))
			.withMessageContaining("not a JSON object");
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> this.parser.parse("orders", 204, "", "no content type"))
			.withMessageContaining("answered 204");
	}

}
