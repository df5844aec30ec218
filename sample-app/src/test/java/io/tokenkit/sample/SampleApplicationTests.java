package io.tokenkit.sample;

import java.util.List;
import java.util.Map;

import io.tokenkit.test.TokenKitAssertions;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drives every demo endpoint of the sample over HTTP against the test kit's sandboxes,
 * and checks what Actuator shows of it: the {@code tokenkit.token.requests} metric per
 * client and the {@code tokenkit} health contributor.
 */
class SampleApplicationTests extends SampleIntegrationTest {

	@Test
	void ordersDemoWhenCalledThenOrdersApiAnswersWithClientCredentialsToken() {
		Map<String, Object> body = getJson("/demo/orders");
		assertThat(body).containsEntry("status", 200);
		assertOrdersApiAnsweredOrdersToken(body);
		Map<String, Object> token = map(body, "token");
		assertThat((String) token.get("masked")).contains("\u2026 (");
		assertThat(((Number) token.get("secondsToExpiry")).longValue()).isBetween(1L, 60L);
		assertNoSecretIn(body.toString());
	}

	@Test
	void ordersHttpServiceDemoWhenCalledThenServiceGroupSendsOrdersRegistrationToken() {
		Map<String, Object> body = getJson("/demo/orders/http-service");
		assertThat(body).containsEntry("group", "orders").containsEntry("status", 200);
		// The orders API answers only to a token its token server issued: the group's
		// WebClient sent the "orders" registration's token.
		assertOrdersApiAnsweredOrdersToken(body);
		Map<String, Object> token = map(body, "token");
		assertThat((String) token.get("masked")).contains("\u2026 (");
		assertThat(((Number) token.get("secondsToExpiry")).longValue()).isBetween(1L, 60L);
		assertNoSecretIn(body.toString());
	}

	@Test
	void saasusDemoWhenRunLocallyThenTempCodeCredentialsRefreshAndPostRoundTripSucceed() {
		Map<String, Object> body = postJson("/demo/saasus");
		List<Map<String, Object>> steps = list(body, "steps");
		assertThat(steps).extracting((step) -> step.get("step"))
			.containsExactly("GET /credentials?code=… (tempCodeAuth)",
					"GET /credentials?auth-flow=refreshTokenAuth (token manager)", "POST /credentials",
					"GET /credentials?code=… (the code from POST)");
		assertThat(map(steps.get(0), "token")).containsEntry("hasRefreshToken", true);
		assertThat(steps.get(1)).containsEntry("newAccessToken", true);
		// The refresh answer has no refresh_token: TokenKit keeps the previous one.
		assertThat(map(steps.get(1), "token")).containsEntry("hasRefreshToken", true);
		assertThat(steps.get(3)).containsEntry("sameAccessToken", true);
		assertNoSecretIn(body.toString());
	}

	@Test
	void authleteDemoWhenRunThenCreatedTokenIsListedThenRevoked() {
		Map<String, Object> body = postJson("/demo/authlete");
		assertThat(map(body, "create")).containsEntry("action", "OK")
			.containsEntry("scopes", List.of("profile", "orders.read"));
		assertThat(((Number) map(body, "listBeforeRevoke").get("totalCount")).intValue()).isGreaterThanOrEqualTo(1);
		assertThat(map(body, "revoke")).containsEntry("resultCode", "A312001").containsEntry("count", 1);
		assertThat(((Number) map(body, "listAfterRevoke").get("totalCount")).intValue())
			.isEqualTo(((Number) map(body, "listBeforeRevoke").get("totalCount")).intValue() - 1);
	}

	@Test
	void gmoAozoraAuthorizationUrlWhenAskedThenCarriesClientRedirectStateAndNonce() {
		Map<String, Object> body = getJson("/demo/gmo-aozora/authorization-url");
		assertThat((String) body.get("oauth2")).contains("/auth/v1/authorization?")
			.contains("client_id=sandbox-bank-client")
			.contains("response_type=code")
			.contains("state=")
			.doesNotContain("nonce=");
		assertThat((String) body.get("openIdConnect")).contains("nonce=").contains("openid");
	}

	@Test
	void gmoAozoraRoundTripWhenApprovedThenCodeExchangedIdTokenVerifiedBankCalledAndTokenRefreshed() {
		Map<String, Object> body = postJson("/demo/gmo-aozora");
		assertThat(map(body, "callback")).containsEntry("hasCode", true).containsEntry("hasState", true);
		assertThat(map(body, "idToken")).containsEntry("verified", true);
		assertThat((List<String>) map(body, "exchange").get("scopes")).contains("private:account", "openid");
		assertThat((List<?>) body.get("accounts")).hasSize(1);
		// The sandbox rotates refresh tokens: both change.
		assertThat(map(body, "refresh")).containsEntry("newAccessToken", true).containsEntry("newRefreshToken", true);
		assertThat(map(map(body, "refresh"), "token")).containsEntry("hasRefreshToken", true);
		assertNoSecretIn(body.toString());
	}

	@Test
	void metricsWhenEveryDemoRanThenTokenRequestsRecordedForEachClient() {
		getJson("/demo/orders");
		postJson("/demo/saasus");
		postJson("/demo/authlete");
		postJson("/demo/gmo-aozora");
		for (String client : List.of("oauth2", "saasus", "gmo-aozora", "authlete")) {
			Map<String, Object> metric = getJson(
					"/actuator/metrics/tokenkit.token.requests?tag=client:" + client + "&tag=outcome:SUCCESS");
			Map<String, Object> count = list(metric, "measurements").get(0);
			assertThat(count).containsEntry("statistic", "COUNT");
			assertThat(((Number) count.get("value")).doubleValue()).as(client).isGreaterThanOrEqualTo(1);
		}
		String prometheus = http().get()
			.uri("/actuator/prometheus")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(prometheus).contains("tokenkit_token_requests_seconds_count{")
			.contains("client=\"saasus\"")
			.contains("tokenkit_token_cache_total{");
	}

	@Test
	void healthWhenTokensAcquiredThenListsEachRegistrationWithoutAnyTokenValue() {
		getJson("/demo/orders");
		postJson("/demo/saasus");
		postJson("/demo/gmo-aozora");
		String json = http().get()
			.uri("/actuator/health")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		Map<String, Object> health = getJson("/actuator/health/tokenkit");
		assertThat(health).containsEntry("status", "UP");
		Map<String, Object> components = map(health, "components");
		assertThat(components).containsOnlyKeys("orders", "saasus-users", "bank");
		for (String registration : List.of("orders", "saasus-users", "bank")) {
			Map<String, Object> component = map(components, registration);
			assertThat(component).containsEntry("status", "UP");
			assertThat(map(component, "details")).containsEntry("lastAcquisition", "success")
				.containsKey("lastAcquisitionAt");
		}
		// the application token: its expiry; per-user tokens: counts only
		assertThat(((Number) map(map(components, "orders"), "details").get("secondsToExpiry")).longValue())
			.isBetween(1L, 60L);
		for (String perUser : List.of("saasus-users", "bank")) {
			Map<String, Object> details = map(map(components, perUser), "details");
			assertThat(details).doesNotContainKey("secondsToExpiry");
			Map<String, Object> users = map(details, "users");
			assertThat(users).containsOnlyKeys("connected", "expired", "needsReauthorization")
				.containsEntry("needsReauthorization", 0);
			assertThat(((Number) users.get("connected")).intValue()).isGreaterThanOrEqualTo(1);
		}
		assertThat(json).contains("\"tokenkit\"");
		assertThat(this.tokenStore.secrets()).isNotEmpty();
		assertNoSecretIn(json);
		// the demos' users, never shown
		assertThat(json).doesNotContain("demo-user", "demo-customer");
	}

	@Test
	void pagesWhenRenderedThenUseTheSampleStylesheetWhichIsServed() {
		String page = http().get()
			.uri("/bank")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.returnResult()
			.getResponseBody();
		assertThat(page).contains("<link rel=\"stylesheet\" href=\"/css/sample.css\">")
			.doesNotContain("https://", "http://");
		http().get()
			.uri("/css/sample.css")
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentTypeCompatibleWith("text/css");
	}

	private void assertNoSecretIn(String text) {
		assertThat(this.tokenStore.secrets()).allSatisfy((secret) -> assertThat(text).doesNotContain(secret));
	}

	private Map<String, Object> getJson(String uri) {
		return getJson(http(), uri);
	}

	private Map<String, Object> postJson(String uri) {
		return http().post()
			.uri(uri)
			.accept(MediaType.APPLICATION_JSON)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(MAP)
			.returnResult()
			.getResponseBody();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> map(Map<String, Object> map, String key) {
		return (Map<String, Object>) map.get(key);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Map<String, Object> map, String key) {
		return (List<Map<String, Object>>) map.get(key);
	}

	private static final org.springframework.core.ParameterizedTypeReference<Map<String, Object>> MAP = new org.springframework.core.ParameterizedTypeReference<>() {
	};

	/**
	 * The orders API (the kit's resource-server stand-in) accepted the token of the
	 * {@code orders} registration, which the sample asked the mock token server for as
	 * its client, with scope {@code orders.read}.
	 */
	private static void assertOrdersApiAnsweredOrdersToken(Map<String, Object> body) {
		assertThat(map(body, "response")).containsEntry("path", "/api/orders").containsEntry("registration", "orders");
		TokenKitAssertions.assertThat(sandboxes().tokenServer())
			.answeredEveryTokenCall("orders")
			.lastRequest("orders")
			.hasGrantType("client_credentials")
			.hasClientId(Sandboxes.ORDERS_CLIENT_ID)
			.hasScope("orders.read");
		TokenKitAssertions.assertThat(sandboxes().ordersApi()).lastToken().isNotEmpty();
	}

}
