package io.tokenkit.test.sandbox;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SaasusSandbox} on the wire: the SAASUSSIGV1 signature checked as the SaaSus SDKs
 * compute it, temp codes, the refresh flow and the {@code Error} bodies.
 */
class SaasusSandboxTests {

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
		.withZone(ZoneOffset.UTC);

	private final SaasusSandbox sandbox = SaasusSandbox.builder()
		.saasId("saas-demo-789")
		.apiKey("ak-demo-123")
		.secretKey("sk-demo-secret-456")
		.start();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void signatureWhenReferenceTestVectorsThenSameHex() {
		// shared/reference/test-vectors.md, computed outside the project
		assertThat(SaasusSandbox.signature("sk-demo-secret-456", "202611230415", "ak-demo-123", "GET",
				"api.saasus.io/v1/auth/credentials?code=7f9c2a1e-3b4d-4e5f-8a9b-0c1d2e3f4a5b&auth-flow=tempCodeAuth",
				""))
			.isEqualTo("39c84a7da5d310c468fb84819c3d14cd2c366961b94149b52dc986e9aac05d88");
		assertThat(SaasusSandbox.signature("sk-demo-secret-456", "202611230416", "ak-demo-123", "POST",
				"api.saasus.io/v1/auth/credentials",
				"{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\",\"refresh_token\":\"rt-1\"}"))
			.isEqualTo("c12f7fc78568d76c873e8ba37e56f42e1564457473bd73f1cbc3e20fd7d2c4b2");
		assertThat(SaasusSandbox.signature("sk-demo-secret-456", "202611230417", "ak-demo-123", "GET",
				"api.saasus.io/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=rt-1", ""))
			.isEqualTo("cb7308cea15c6cb80aa80dec2484facd96355af660c441fa983205fdffdd29dd");
	}

	@Test
	void getCredentialsWhenSignedThenTempCodeGivesTokensOnce() {
		String code = this.sandbox.signIn("user-1");
		String url = this.sandbox.baseUrl() + "/credentials?code=" + code;
		HttpResponse<String> response = signedGet(url, "sk-demo-secret-456");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(SandboxHttp.json(response)).containsKeys("id_token", "access_token", "refresh_token");
		HttpResponse<String> again = signedGet(url, "sk-demo-secret-456");
		assertThat(again.statusCode()).isEqualTo(404);
		assertThat(SandboxHttp.json(again)).containsEntry("type", "not_found");
	}

	@Test
	void getCredentialsWhenSignatureWrongThenRefusedAndCodeStillUsable() {
		String code = this.sandbox.signIn("user-1");
		String url = this.sandbox.baseUrl() + "/credentials?code=" + code;
		HttpResponse<String> wrongKey = signedGet(url, "another-secret");
		assertThat(wrongKey.statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.json(wrongKey)).containsEntry("type", "permission_denied")
			.containsEntry("message", "The signature does not match the request");
		// signed for another query than the one sent
		String signature = signature("GET", hostAndPath(url + "&auth-flow=tempCodeAuth"), "", "sk-demo-secret-456");
		assertThat(SandboxHttp.get(url, "Authorization", header(signature)).statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.get(url).statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.get(url, "Authorization", "Bearer " + code).statusCode()).isEqualTo(401);
		assertThat(signedGet(url, "sk-demo-secret-456").statusCode()).isEqualTo(200);
	}

	@Test
	void postCredentialsWhenSignedThenCreatedTempCodeGivesTheSameTokens() {
		String url = this.sandbox.baseUrl() + "/credentials";
		String body = "{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\",\"refresh_token\":\"rt-1\"}";
		String signature = signature("POST", hostAndPath(url), body, "sk-demo-secret-456");
		HttpResponse<String> created = SandboxHttp.postJson(url, body, "Authorization", header(signature));
		assertThat(created.statusCode()).isEqualTo(201);
		String code = (String) SandboxHttp.json(created).get("code");
		assertThat(SandboxHttp.json(signedGet(url + "?code=" + code, "sk-demo-secret-456")))
			.isEqualTo(Map.of("id_token", "eyJ.id", "access_token", "eyJ.at", "refresh_token", "rt-1"));
	}

	@Test
	void postCredentialsWhenBodyDiffersFromSignedBodyThenRefused() {
		String url = this.sandbox.baseUrl() + "/credentials";
		String signed = "{\"id_token\":\"eyJ.id\",\"access_token\":\"eyJ.at\"}";
		String signature = signature("POST", hostAndPath(url), signed, "sk-demo-secret-456");
		HttpResponse<String> response = SandboxHttp.postJson(url, signed.replace("eyJ.at", "eyJ.other"),
				"Authorization", header(signature));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.json(response)).containsEntry("type", "permission_denied");
	}

	@Test
	void refreshTokenAuthWhenRefreshTokenKnownThenNewTokensWithoutRefreshToken() {
		String url = this.sandbox.baseUrl() + "/credentials";
		Map<String, Object> first = SandboxHttp
			.json(signedGet(url + "?code=" + this.sandbox.signIn("user-1"), "sk-demo-secret-456"));
		HttpResponse<String> refreshed = signedGet(
				url + "?auth-flow=refreshTokenAuth&refresh-token=" + first.get("refresh_token"), "sk-demo-secret-456");
		assertThat(refreshed.statusCode()).isEqualTo(200);
		Map<String, Object> tokens = SandboxHttp.json(refreshed);
		assertThat(tokens).containsKeys("id_token", "access_token").doesNotContainKey("refresh_token");
		assertThat(tokens.get("access_token")).isNotEqualTo(first.get("access_token"));
		HttpResponse<String> unknown = signedGet(url + "?auth-flow=refreshTokenAuth&refresh-token=unknown",
				"sk-demo-secret-456");
		assertThat(unknown.statusCode()).isEqualTo(404);
	}

	@Test
	void loginUrlWhenPostedThenTempCode() {
		HttpResponse<String> login = SandboxHttp.send(
				HttpRequest.newBuilder(URI.create(this.sandbox.loginUrl())).POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(login.statusCode()).isEqualTo(200);
		String code = (String) SandboxHttp.json(login).get("code");
		assertThat(signedGet(this.sandbox.baseUrl() + "/credentials?code=" + code, "sk-demo-secret-456").statusCode())
			.isEqualTo(200);
	}

	@Test
	void propertiesWhenStartedThenPointTokenKitAtSandbox() {
		assertThat(this.sandbox.properties()).containsEntry("tokenkit.saasus.base-url", this.sandbox.baseUrl())
			.containsEntry("tokenkit.saasus.saas-id", "saas-demo-789")
			.containsEntry("tokenkit.saasus.api-key", "ak-demo-123")
			.containsEntry("tokenkit.saasus.secret-key", "sk-demo-secret-456");
		assertThat(this.sandbox.baseUrl()).startsWith("http://127.0.0.1:").endsWith("/v1/auth");
	}

	private HttpResponse<String> signedGet(String url, String secretKey) {
		return SandboxHttp.get(url, "Authorization", header(signature("GET", hostAndPath(url), "", secretKey)));
	}

	private static String hostAndPath(String url) {
		return url.substring("http://".length());
	}

	private static String signature(String method, String hostAndPathAndQuery, String body, String secretKey) {
		return SaasusSandbox.signature(secretKey, MINUTE.format(Instant.now()), "ak-demo-123", method,
				hostAndPathAndQuery, body);
	}

	private static String header(String signature) {
		return "SAASUSSIGV1 Sig=" + signature + ", SaaSID=saas-demo-789, APIKey=ak-demo-123";
	}

}
