package io.tokenkit.test.sandbox;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.core.type.TypeReference;

import static org.assertj.core.api.Assertions.assertThat;

import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.test.server.Tokens;

/**
 * {@link GmoAozoraSandbox} on the wire: consent page → authorization code → tokens with
 * an HS256 ID token, rotated refresh tokens, and the accounts API with
 * {@code x-access-token}.
 */
class GmoAozoraSandboxTests {

	private static final String SECRET = "client-secret-of-at-least-32-bytes!";

	private static final String CALLBACK = "http://localhost:8080/bank/callback";

	private final GmoAozoraSandbox sandbox = GmoAozoraSandbox.builder()
		.clientId("bank-client")
		.clientSecret(SECRET)
		.redirectUri(CALLBACK)
		.issuer("https://issuer.example/")
		.start();

	@AfterEach
	void close() {
		this.sandbox.close();
	}

	@Test
	void authorizationWhenApprovedThenCodeExchangedForTokensAndHs256IdToken() {
		HttpResponse<String> consent = SandboxHttp.get(authorizationUrl("openid offline_access private:account"));
		assertThat(consent.statusCode()).isEqualTo(200);
		assertThat(consent.body()).contains("GMO Aozora Net Bank (sandbox)", "private:account", "id=\"approve\"",
				"id=\"deny\"");
		String code = approve("openid offline_access private:account");
		HttpResponse<String> token = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK), "Authorization",
				basic("bank-client", SECRET));
		assertThat(token.statusCode()).isEqualTo(200);
		Map<String, Object> body = SandboxHttp.json(token);
		assertThat(body).containsEntry("token_type", "Bearer")
			.containsEntry("expires_in", "60")
			.containsEntry("scope", "openid offline_access private:account")
			.containsKeys("access_token", "refresh_token", "id_token");
		String[] idToken = ((String) body.get("id_token")).split("\\.");
		assertThat(decode(idToken[0])).containsEntry("alg", "HS256");
		assertThat(decode(idToken[1])).containsEntry("iss", "https://issuer.example/")
			.containsEntry("aud", "bank-client")
			.containsEntry("azp", "bank-client")
			.containsEntry("nonce", "nonce-1")
			.containsKeys("sub", "iat", "exp");
		assertThat(Base64.getUrlDecoder().decode(idToken[2]))
			.isEqualTo(Tokens.hmacSha256(SECRET, idToken[0] + "." + idToken[1]));
		HttpResponse<String> reused = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK), "Authorization",
				basic("bank-client", SECRET));
		assertThat(reused.statusCode()).isEqualTo(400);
		assertThat(SandboxHttp.json(reused)).containsEntry("error", "invalid_grant");
	}

	@Test
	void authorizationWhenDeniedThenRedirectedWithAccessDeniedAndState() {
		HttpResponse<String> decision = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/authorization/decision",
				Map.of("client_id", "bank-client", "redirect_uri", CALLBACK, "scope", "private:account", "state",
						"state-1", "decision", "deny"));
		assertThat(decision.statusCode()).isEqualTo(302);
		assertThat(decision.headers().firstValue("Location")).hasValue(CALLBACK + "?error=access_denied&state=state-1");
	}

	@Test
	void authorizationWhenRedirectUriNotRegisteredThenErrorPageAndNoRedirect() {
		HttpResponse<String> consent = SandboxHttp.get(this.sandbox.authBaseUrl()
				+ "/authorization?response_type=code&client_id=bank-client&scope=private%3Aaccount&state=s"
				+ "&redirect_uri=" + SandboxHttp.encode("https://attacker.example/callback"));
		assertThat(consent.statusCode()).isEqualTo(400);
		assertThat(consent.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void refreshWhenRefreshTokenUsedThenRotatedAndOldOneRefused() {
		Map<String, Object> first = exchange(approve("offline_access private:account"));
		Map<String, String> refresh = Map.of("grant_type", "refresh_token", "refresh_token",
				(String) first.get("refresh_token"), "client_id", "bank-client", "client_secret", SECRET);
		HttpResponse<String> refreshed = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/token", refresh);
		assertThat(refreshed.statusCode()).isEqualTo(200);
		Map<String, Object> second = SandboxHttp.json(refreshed);
		assertThat(second.get("access_token")).isNotEqualTo(first.get("access_token"));
		assertThat(second.get("refresh_token")).isNotNull().isNotEqualTo(first.get("refresh_token"));
		assertThat(second).doesNotContainKey("id_token");
		HttpResponse<String> replayed = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/token", refresh);
		assertThat(replayed.statusCode()).isEqualTo(400);
		assertThat(SandboxHttp.json(replayed)).containsEntry("error", "invalid_grant");
	}

	@Test
	void tokenWhenClientSecretWrongThenInvalidClient() {
		HttpResponse<String> token = SandboxHttp.postForm(
				this.sandbox.authBaseUrl() + "/token", Map.of("grant_type", "authorization_code", "code",
						approve("private:account"), "redirect_uri", CALLBACK),
				"Authorization", basic("bank-client", "wrong-secret"));
		assertThat(token.statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.json(token)).containsEntry("error", "invalid_client");
	}

	@Test
	void accountsWhenAccessTokenInXAccessTokenThenAccountsOtherwiseErrorBody() {
		String accessToken = (String) exchange(approve("private:account")).get("access_token");
		String accounts = this.sandbox.personalApiBaseUrl() + "/accounts";
		HttpResponse<String> answered = SandboxHttp.get(accounts, "x-access-token", accessToken);
		assertThat(answered.statusCode()).isEqualTo(200);
		assertThat(answered.headers().firstValue("Content-Type")).hasValue("application/json;charset=UTF-8");
		assertThat(SandboxHttp.json(answered)).containsKeys("baseDate", "accounts");
		assertThat((List<?>) SandboxHttp.json(answered).get("accounts")).hasSize(1);
		HttpResponse<String> bearer = SandboxHttp.get(accounts, "Authorization", "Bearer " + accessToken);
		assertThat(bearer.statusCode()).isEqualTo(401);
		assertThat(SandboxHttp.json(bearer)).containsEntry("errorCode", "WG_ERR_401").containsKey("errorMessage");
		String withoutScope = (String) exchange(approve("private:transfer")).get("access_token");
		HttpResponse<String> forbidden = SandboxHttp.get(accounts, "x-access-token", withoutScope);
		assertThat(forbidden.statusCode()).isEqualTo(403);
		assertThat(SandboxHttp.json(forbidden)).containsEntry("errorCode", "WG_ERR_403");
	}

	@Test
	void propertiesWhenStartedThenPointTokenKitAtSandbox() {
		assertThat(this.sandbox.properties()).containsEntry("tokenkit.gmo-aozora.base-url", this.sandbox.authBaseUrl())
			.containsEntry("tokenkit.gmo-aozora.client-id", "bank-client")
			.containsEntry("tokenkit.gmo-aozora.client-secret", SECRET)
			.containsEntry("tokenkit.gmo-aozora.redirect-uri", CALLBACK)
			.containsEntry("tokenkit.gmo-aozora.issuer", "https://issuer.example/");
	}

	@Test
	void pkceWhenRequiredThenRequestWithoutChallengeRefusedAndOnlyTheMatchingVerifierRedeemsTheCode() {
		try (GmoAozoraSandbox bank = GmoAozoraSandbox.builder()
			.clientId("bank-client")
			.clientSecret(SECRET)
			.redirectUri(CALLBACK)
			.requirePkce()
			.start()) {
			HttpResponse<String> without = SandboxHttp
				.get(bank.authBaseUrl() + "/authorization?response_type=code&client_id=bank-client&redirect_uri="
						+ SandboxHttp.encode(CALLBACK) + "&scope=private%3Aaccount&state=state-1");
			assertThat(without.statusCode()).isEqualTo(302);
			assertThat(without.headers().firstValue("Location"))
				.hasValue(CALLBACK + "?error=invalid_request&state=state-1");
			String verifier = Tokens.random(32);
			String challenge = Tokens.hash(verifier);
			HttpResponse<String> consent = SandboxHttp
				.get(bank.authBaseUrl() + "/authorization?response_type=code&client_id=bank-client&redirect_uri="
						+ SandboxHttp.encode(CALLBACK) + "&scope=private%3Aaccount&state=state-1&code_challenge="
						+ challenge + "&code_challenge_method=S256");
			assertThat(consent.statusCode()).isEqualTo(200);
			assertThat(consent.body()).contains("name=\"code_challenge\" value=\"" + challenge + "\"");
			String code = approve(bank, Map.of("code_challenge", challenge));
			Map<String, String> exchange = new LinkedHashMap<>(Map.of("grant_type", "authorization_code", "code", code,
					"redirect_uri", CALLBACK, "code_verifier", Tokens.random(32)));
			HttpResponse<String> wrong = SandboxHttp.postForm(bank.authBaseUrl() + "/token", exchange, "Authorization",
					basic("bank-client", SECRET));
			assertThat(wrong.statusCode()).isEqualTo(400);
			assertThat(SandboxHttp.json(wrong)).containsEntry("error", "invalid_grant");
			String again = approve(bank, Map.of("code_challenge", challenge));
			exchange.put("code", again);
			exchange.put("code_verifier", verifier);
			HttpResponse<String> right = SandboxHttp.postForm(bank.authBaseUrl() + "/token", exchange, "Authorization",
					basic("bank-client", SECRET));
			assertThat(right.statusCode()).isEqualTo(200);
			assertThat(bank.properties()).containsEntry("tokenkit.gmo-aozora.pkce", "true");
		}
	}

	@Test
	void parWhenRequiredThenOnlyAPushedRequestUriOnceAndEveryCallbackCarriesIss() {
		try (GmoAozoraSandbox bank = GmoAozoraSandbox.builder()
			.clientId("bank-client")
			.clientSecret(SECRET)
			.redirectUri(CALLBACK)
			.requirePushedAuthorization()
			.sendIss()
			.selfIssued()
			.start()) {
			HttpResponse<String> unpushed = SandboxHttp
				.get(bank.authBaseUrl() + "/authorization?response_type=code&client_id=bank-client&redirect_uri="
						+ SandboxHttp.encode(CALLBACK) + "&scope=private%3Aaccount&state=state-1");
			assertThat(unpushed.headers().firstValue("Location"))
				.hasValue(CALLBACK + "?error=invalid_request&state=state-1&iss=" + SandboxHttp.encode(bank.issuer()));
			Map<String, String> request = Map.of("response_type", "code", "client_id", "bank-client", "redirect_uri",
					CALLBACK, "scope", "private:account", "state", "state-1");
			HttpResponse<String> unauthenticated = SandboxHttp.postForm(bank.pushedAuthorizationRequestUri(), request);
			assertThat(unauthenticated.statusCode()).isEqualTo(401);
			HttpResponse<String> pushed = SandboxHttp.postForm(bank.pushedAuthorizationRequestUri(), request,
					"Authorization", basic("bank-client", SECRET));
			assertThat(pushed.statusCode()).isEqualTo(201);
			assertThat(SandboxHttp.json(pushed)).containsEntry("expires_in", 60);
			String requestUri = (String) SandboxHttp.json(pushed).get("request_uri");
			assertThat(requestUri).startsWith("urn:ietf:params:oauth:request_uri:");
			String authorization = bank.authBaseUrl() + "/authorization?client_id=bank-client&request_uri="
					+ SandboxHttp.encode(requestUri);
			HttpResponse<String> consent = SandboxHttp.get(authorization);
			assertThat(consent.statusCode()).isEqualTo(200);
			assertThat(consent.body()).contains("name=\"state\" value=\"state-1\"");
			assertThat(SandboxHttp.get(authorization).statusCode()).as("a request_uri is used once").isEqualTo(400);
			HttpResponse<String> decision = SandboxHttp.postForm(bank.authBaseUrl() + "/authorization/decision",
					Map.of("client_id", "bank-client", "redirect_uri", CALLBACK, "scope", "private:account", "state",
							"state-1", "decision", "approve"));
			assertThat(decision.headers().firstValue("Location").orElseThrow())
				.endsWith("&state=state-1&iss=" + SandboxHttp.encode(bank.issuer()));
			Map<String, Object> metadata = SandboxHttp
				.json(SandboxHttp.get(bank.issuer() + ".well-known/openid-configuration"));
			assertThat(metadata).containsEntry("issuer", bank.issuer())
				.containsEntry("pushed_authorization_request_endpoint", bank.pushedAuthorizationRequestUri())
				.containsEntry("require_pushed_authorization_requests", true)
				.containsEntry("authorization_response_iss_parameter_supported", true)
				.containsEntry("code_challenge_methods_supported", List.of("S256"));
			assertThat(bank.properties()).containsEntry("tokenkit.gmo-aozora.par", "true")
				.containsEntry("tokenkit.gmo-aozora.check-iss", "true")
				.doesNotContainKey("tokenkit.gmo-aozora.par-uri");
		}
	}

	/**
	 * Approve at a sandbox's consent page with extra fields, and return the code.
	 */
	private static String approve(GmoAozoraSandbox bank, Map<String, String> extra) {
		Map<String, String> form = new LinkedHashMap<>(Map.of("client_id", "bank-client", "redirect_uri", CALLBACK,
				"scope", "private:account", "state", "state-1", "decision", "approve"));
		form.putAll(extra);
		HttpResponse<String> decision = SandboxHttp.postForm(bank.authBaseUrl() + "/authorization/decision", form);
		assertThat(decision.statusCode()).isEqualTo(302);
		return URI.create(decision.headers().firstValue("Location").orElseThrow())
			.getQuery()
			.replaceFirst("^code=([^&]+)&.*$", "$1");
	}

	private String authorizationUrl(String scope) {
		return this.sandbox.authBaseUrl() + "/authorization?response_type=code&client_id=bank-client&redirect_uri="
				+ SandboxHttp.encode(CALLBACK) + "&scope=" + SandboxHttp.encode(scope) + "&state=state-1&nonce=nonce-1";
	}

	/**
	 * Approve at the consent page as a browser would, and return the code of the redirect
	 * to the callback.
	 */
	private String approve(String scope) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("client_id", "bank-client");
		form.put("redirect_uri", CALLBACK);
		form.put("scope", scope);
		form.put("state", "state-1");
		form.put("nonce", "nonce-1");
		form.put("decision", "approve");
		HttpResponse<String> decision = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/authorization/decision",
				form);
		assertThat(decision.statusCode()).isEqualTo(302);
		URI location = URI.create(decision.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(CALLBACK + "?code=").endsWith("&state=state-1");
		return location.getQuery().replaceFirst("^code=([^&]+)&.*$", "$1");
	}

	private Map<String, Object> exchange(String code) {
		HttpResponse<String> token = SandboxHttp.postForm(this.sandbox.authBaseUrl() + "/token",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK), "Authorization",
				basic("bank-client", SECRET));
		assertThat(token.statusCode()).isEqualTo(200);
		return SandboxHttp.json(token);
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	private static Map<String, Object> decode(String part) {
		return JsonMapper.shared()
			.readValue(Base64.getUrlDecoder().decode(part), new TypeReference<Map<String, Object>>() {
			});
	}

}
