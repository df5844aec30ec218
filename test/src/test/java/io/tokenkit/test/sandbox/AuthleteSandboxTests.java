package io.tokenkit.test.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

import io.tokenkit.test.server.Tokens;

/**
 * {@link AuthleteSandbox} on the wire: the v3 token-management calls, the service access
 * token and the {@code resultCode}/{@code resultMessage} bodies.
 */
class AuthleteSandboxTests {

	private static final String TOKEN = "service-access-token";

	private final AuthleteSandbox sandbox = AuthleteSandbox.builder().serviceId("1234").accessToken(TOKEN).start();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void createWhenCalledThenTokenListedByHashUpdatedAndRevoked() {
		Map<String, Object> created = json(post("/auth/token/create",
				"{\"grantType\":\"AUTHORIZATION_CODE\",\"clientId\":1000,\"subject\":\"user-1\","
						+ "\"scopes\":[\"profile\"],\"accessTokenDuration\":300}"));
		assertThat(created).containsEntry("action", "OK")
			.containsEntry("resultCode", "A109001")
			.containsEntry("tokenType", "Bearer")
			.containsEntry("expiresIn", 300)
			.containsEntry("clientId", 1000)
			.containsEntry("subject", "user-1")
			.containsEntry("scopes", List.of("profile"))
			.containsKeys("accessToken", "refreshToken", "expiresAt", "tokenId");
		String accessToken = (String) created.get("accessToken");
		Map<String, Object> listed = json(get("/auth/token/get/list?subject=user-1&clientIdentifier=1000"));
		assertThat(listed).containsEntry("totalCount", 1).containsEntry("start", 0).containsEntry("end", 5);
		Map<?, ?> item = (Map<?, ?>) ((List<?>) listed.get("accessTokens")).get(0);
		assertThat(item.get("accessTokenHash")).isEqualTo(Tokens.hash(accessToken));
		assertThat(item.toString()).doesNotContain(accessToken);
		Map<String, Object> updated = json(post("/auth/token/update",
				"{\"accessTokenHash\":\"" + Tokens.hash(accessToken) + "\",\"scopes\":[\"profile\",\"email\"]}"));
		assertThat(updated).containsEntry("action", "OK").containsEntry("scopes", List.of("profile", "email"));
		Map<String, Object> revoked = json(
				post("/auth/token/revoke", "{\"accessTokenIdentifier\":\"" + accessToken + "\"}"));
		assertThat(revoked).containsEntry("resultCode", "A312001").containsEntry("count", 1);
		assertThat(json(get("/auth/token/get/list?subject=user-1"))).containsEntry("totalCount", 0);
	}

	@Test
	void createWhenGrantTypeMissingThenBadRequestWithAction() {
		HttpResponse<String> response = post("/auth/token/create", "{\"clientId\":1000,\"subject\":\"user-1\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(json(response)).containsEntry("action", "BAD_REQUEST")
			.containsEntry("resultCode", "A109201")
			.hasEntrySatisfying("resultMessage", (message) -> assertThat((String) message).startsWith("[A109201] "));
	}

	@Test
	void deleteWhenTokenExistsThenNoContentThenNotFound() {
		String accessToken = (String) json(
				post("/auth/token/create", "{\"grantType\":\"CLIENT_CREDENTIALS\",\"clientIdentifier\":\"1000\"}"))
			.get("accessToken");
		assertThat(delete("/auth/token/delete/" + accessToken).statusCode()).isEqualTo(204);
		HttpResponse<String> again = delete("/auth/token/delete/" + accessToken);
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(json(again)).containsEntry("resultCode", "A131301");
	}

	@Test
	void reissueWhenTokensOfServiceThenIdTokenAndResponseContent() {
		Map<String, Object> created = json(post("/auth/token/create",
				"{\"grantType\":\"AUTHORIZATION_CODE\",\"clientId\":1000,\"subject\":\"user-1\"}"));
		Map<String, Object> reissued = json(post("/idtoken/reissue", "{\"accessToken\":\"" + created.get("accessToken")
				+ "\",\"refreshToken\":\"" + created.get("refreshToken") + "\"}"));
		assertThat(reissued).containsEntry("action", "OK").containsKeys("idToken", "responseContent");
		assertThat((String) reissued.get("responseContent")).contains("\"id_token\":\"" + reissued.get("idToken"));
		HttpResponse<String> wrong = post("/idtoken/reissue",
				"{\"accessToken\":\"" + created.get("accessToken") + "\",\"refreshToken\":\"other\"}");
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(json(wrong)).containsEntry("action", "CALLER_ERROR");
	}

	@Test
	void callWhenServiceAccessTokenWrongOrMissingOrServiceOtherThenRefused() {
		String url = this.sandbox.baseUrl() + "/api/1234/auth/token/get/list";
		HttpResponse<String> wrong = SandboxHttp.get(url, "Authorization", "Bearer other");
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(json(wrong)).containsEntry("resultCode", "A001203");
		HttpResponse<String> missing = SandboxHttp.get(url);
		assertThat(missing.statusCode()).isEqualTo(401);
		assertThat(json(missing)).containsEntry("resultCode", "A001202");
		HttpResponse<String> otherService = SandboxHttp.get(this.sandbox.baseUrl() + "/api/999/auth/token/get/list",
				"Authorization", "Bearer " + TOKEN);
		assertThat(otherService.statusCode()).isEqualTo(403);
	}

	@Test
	void propertiesWhenStartedThenPointTokenKitAtSandbox() {
		assertThat(this.sandbox.properties()).containsEntry("tokenkit.authlete.base-url", this.sandbox.baseUrl())
			.containsEntry("tokenkit.authlete.service-id", "1234")
			.containsEntry("tokenkit.authlete.access-token", TOKEN);
	}

	private HttpResponse<String> post(String path, String json) {
		return SandboxHttp.postJson(this.sandbox.baseUrl() + "/api/1234" + path, json, "Authorization",
				"Bearer " + TOKEN);
	}

	private HttpResponse<String> get(String path) {
		return SandboxHttp.get(this.sandbox.baseUrl() + "/api/1234" + path, "Authorization", "Bearer " + TOKEN);
	}

	private HttpResponse<String> delete(String path) {
		return SandboxHttp.send(HttpRequest.newBuilder(URI.create(this.sandbox.baseUrl() + "/api/1234" + path))
			.header("Authorization", "Bearer " + TOKEN)
			.DELETE());
	}

	private static Map<String, Object> json(HttpResponse<String> response) {
		return SandboxHttp.json(response);
	}

}
