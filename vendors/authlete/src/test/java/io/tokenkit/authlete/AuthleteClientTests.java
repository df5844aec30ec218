package io.tokenkit.authlete;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Wire tests of {@link AuthleteClient} against a loopback {@link MockWebServer}.
 */
class AuthleteClientTests {

	private static final String SERVICE_ID = "715948317";

	private static final String SERVICE_TOKEN = "svc-token-Zx81";

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper mapper = JsonMapper.builder().build();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private MockWebServer server;

	private AuthleteClient client;

	@BeforeEach
	void startServer() throws IOException {
		this.server = new MockWebServer();
		this.server.start();
		this.client = new AuthleteClient(WebClient.builder(), this.server.url("/").uri(), SERVICE_ID, SERVICE_TOKEN,
				new TokenRequestObserver(this.registry, null));
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	// reissue ID token

	@Test
	void reissueIdTokenWhenServerAnswers200ThenSendsEveryFieldAndReturnsResponse() throws Exception {
		enqueueJson(200, """
				{"resultCode":"A244001","resultMessage":"[A244001] Reissued.","action":"OK",
				 "responseContent":"{\\"id_token\\":\\"eyJ.new\\"}","idToken":"eyJ.new"}""");
		IdTokenReissueRequest request = new IdTokenReissueRequest("at-1", "rt-1", "pairwise-sub",
				"{\"nickname\":\"al\"}", "{\"kid\":\"k1\"}", "string");

		IdTokenReissueResponse response = this.client.reissueIdToken(request).block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertPost(recorded, "/api/" + SERVICE_ID + "/idtoken/reissue");
		assertThat(jsonBody(recorded)).containsExactly(entry("accessToken", "at-1"), entry("refreshToken", "rt-1"),
				entry("sub", "pairwise-sub"), entry("claims", "{\"nickname\":\"al\"}"),
				entry("idtHeaderParams", "{\"kid\":\"k1\"}"), entry("idTokenAudType", "string"));
		assertThat(response).isEqualTo(new IdTokenReissueResponse("A244001", "[A244001] Reissued.", AuthleteAction.OK,
				"{\"id_token\":\"eyJ.new\"}", "eyJ.new"));
		assertObserved("reissue-id-token", "200");
	}

	@Test
	void reissueIdTokenWhenOnlyRequiredFieldsThenSendsOnlyThem() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A244001\",\"action\":\"OK\"}");

		IdTokenReissueResponse response = this.client.reissueIdToken(IdTokenReissueRequest.of("at-1", "rt-1"))
			.block(TIMEOUT);

		assertThat(takeRequest().getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"accessToken\":\"at-1\",\"refreshToken\":\"rt-1\"}");
		assertThat(response.resultMessage()).isNull();
		assertThat(response.responseContent()).isNull();
		assertThat(response.idToken()).isNull();
	}

	@Test
	void reissueIdTokenWhenServerAnswers200WithCallerErrorThenReturnsResponseWithThatAction() {
		enqueueJson(200,
				"""
						{"resultCode":"A245301","resultMessage":"[A245301] accessToken is missing.","action":"CALLER_ERROR"}""");

		IdTokenReissueResponse response = this.client.reissueIdToken(IdTokenReissueRequest.of("at-1", "rt-1"))
			.block(TIMEOUT);

		assertThat(response.action()).isEqualTo(AuthleteAction.CALLER_ERROR);
		assertThat(response.resultCode()).isEqualTo("A245301");
		assertThat(response.resultMessage()).isEqualTo("[A245301] accessToken is missing.");
	}

	// list

	@Test
	void listAccessTokensWhenNoParametersThenSendsNoQueryAndMapsEmptyList() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A085001\",\"resultMessage\":\"[A085001] Listed.\",\"start\":0,\"end\":5,"
				+ "\"totalCount\":0}");

		TokenListResponse response = this.client.listAccessTokens().block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertThat(recorded.getMethod()).isEqualTo("GET");
		assertThat(recorded.getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/get/list");
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + SERVICE_TOKEN);
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("application/json");
		assertThat(recorded.getBodySize()).isZero();
		assertThat(response.resultCode()).isEqualTo("A085001");
		assertThat(response.resultMessage()).isEqualTo("[A085001] Listed.");
		assertThat(response.action()).isNull();
		assertThat(response.start()).isZero();
		assertThat(response.end()).isEqualTo(5);
		assertThat(response.totalCount()).isZero();
		assertThat(response.client()).isNull();
		assertThat(response.subject()).isNull();
		assertThat(response.accessTokens()).isEmpty();
		assertObserved("list", "200");
	}

	@Test
	void listAccessTokensWhenEveryParameterSetThenSendsExactEncodedQuery() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A085001\",\"accessTokens\":[]}");
		TokenListRequest request = TokenListRequest.builder()
			.clientIdentifier("my+alias")
			.subject("alice+bob@example.com & co")
			.range(10, 20)
			.tokenStatus(TokenStatus.VALID)
			.build();

		this.client.listAccessTokens(request).block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertThat(recorded.getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/get/list"
				+ "?clientIdentifier=my%2Balias&subject=alice%2Bbob%40example.com%20%26%20co&start=10&end=20"
				+ "&tokenStatus=VALID");
		assertThat(recorded.getUrl().queryParameter("subject")).isEqualTo("alice+bob@example.com & co");
		assertThat(recorded.getUrl().queryParameter("clientIdentifier")).isEqualTo("my+alias");
	}

	@Test
	void listAccessTokensWhenOnlySubjectSetThenSendsOnlySubject() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A085001\"}");

		this.client.listAccessTokens(TokenListRequest.builder().subject("alice").build()).block(TIMEOUT);

		assertThat(takeRequest().getTarget()).isEqualTo("/api/" + SERVICE_ID + "/auth/token/get/list?subject=alice");
	}

	@Test
	void listAccessTokensWhenServerAnswersTokensThenMapsEveryField() {
		enqueueJson(200, """
				{"resultCode":85001,"resultMessage":"[A085001] Listed.","start":0,"end":2,"totalCount":7,
				 "client":{"clientId":5899463614448063,"clientIdAlias":"my-client","clientIdAliasEnabled":true,
				   "clientName":"My Client","clientType":"CONFIDENTIAL","description":"demo","number":12,
				   "clientNames":[{"tag":"ja","value":"x"}]},
				 "subject":"alice",
				 "accessTokens":[
				  {"accessTokenHash":"ath-1","refreshTokenHash":"rth-1","clientId":5899463614448063,"subject":"alice",
				   "grantType":"AUTHORIZATION_CODE","scopes":["openid","profile"],"refreshTokenScopes":["openid"],
				   "accessTokenExpiresAt":1767225600000,"refreshTokenExpiresAt":1769817600000,
				   "createdAt":1767139200000,"lastRefreshedAt":0,
				   "properties":[{"key":"region","value":"eu","hidden":true}]},
				  {"accessTokenHash":"ath-2","grantType":"SOMETHING_NEW"}]}""");

		TokenListResponse response = this.client.listAccessTokens().block(TIMEOUT);

		assertThat(response.resultCode()).isEqualTo("85001");
		assertThat(response.totalCount()).isEqualTo(7);
		assertThat(response.subject()).isEqualTo("alice");
		assertThat(response.client()).isEqualTo(new TokenListResponse.Client(5899463614448063L, "my-client", true,
				"My Client", "CONFIDENTIAL", "demo", 12));
		assertThat(response.accessTokens()).hasSize(2);
		AuthleteAccessToken first = response.accessTokens().get(0);
		assertThat(first).isEqualTo(new AuthleteAccessToken("ath-1", "rth-1", 5899463614448063L, "alice",
				GrantType.AUTHORIZATION_CODE, List.of("openid", "profile"), List.of("openid"), 1767225600000L,
				1769817600000L, 1767139200000L, 0L, List.of(new Property("region", "eu", true))));
		assertThat(first.accessTokenExpiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(first.refreshTokenExpiresAt()).isEqualTo(Instant.parse("2026-01-31T00:00:00Z"));
		assertThat(first.createdAt()).isEqualTo(Instant.parse("2025-12-31T00:00:00Z"));
		AuthleteAccessToken second = response.accessTokens().get(1);
		assertThat(second.accessTokenHash()).isEqualTo("ath-2");
		assertThat(second.grantType()).as("unknown grant type").isNull();
		assertThat(second.refreshTokenHash()).isNull();
		assertThat(second.scopes()).isNull();
		assertThat(second.accessTokenExpiresAtMillis()).isNull();
		assertThat(second.accessTokenExpiresAt()).isNull();
		assertThat(second.properties()).isNull();
		assertThat(second.toString()).doesNotContain("alice");
	}

	// create

	@Test
	void createAccessTokenWhenEveryFieldSetThenSendsEveryFieldUnderItsWireName() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A109001\",\"action\":\"OK\"}");
		TokenCreateRequest request = TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE)
			.clientId(5899463614448063L)
			.clientIdentifier("my-client")
			.subject("alice")
			.scopes(List.of("openid", "payment"))
			.accessTokenDuration(Duration.ofHours(1))
			.refreshTokenDuration(Duration.ofDays(1))
			.properties(List.of(Property.of("region", "eu"), Property.hidden("tier", "gold")))
			.clientIdAliasUsed(true)
			.clientEntityIdUsed(false)
			.metadataDocumentUsed(false)
			.accessToken("chosen-at")
			.refreshToken("chosen-rt")
			.accessTokenPersistent(false)
			.certificateThumbprint("x5t-1")
			.dpopKeyThumbprint("jkt-1")
			.authorizationDetails(AuthorizationDetails.of(new AuthorizationDetails.Element("payment_initiation",
					List.of("https://bank.example"), List.of("initiate"), null, "pay-1", null, "{\"amount\":\"10\"}")))
			.resources(List.of("https://api.example/"))
			.forExternalAttachment(true)
			.jwtAtClaims("{\"tenant\":\"t1\"}")
			.acr("urn:acr:mfa")
			.authTime(Instant.ofEpochSecond(1767139200L, 999_000_000))
			.sessionId("sess-1")
			.build();

		this.client.createAccessToken(request).block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertPost(recorded, "/api/" + SERVICE_ID + "/auth/token/create");
		Map<String, Object> body = jsonBody(recorded);
		assertThat(body).containsExactly(entry("grantType", "AUTHORIZATION_CODE"), entry("clientId", 5899463614448063L),
				entry("clientIdentifier", "my-client"), entry("subject", "alice"),
				entry("scopes", List.of("openid", "payment")), entry("accessTokenDuration", 3600),
				entry("refreshTokenDuration", 86400),
				entry("properties",
						List.of(Map.of("key", "region", "value", "eu", "hidden", false),
								Map.of("key", "tier", "value", "gold", "hidden", true))),
				entry("clientIdAliasUsed", true), entry("clientEntityIdUsed", false),
				entry("metadataDocumentUsed", false), entry("accessToken", "chosen-at"),
				entry("refreshToken", "chosen-rt"), entry("accessTokenPersistent", false),
				entry("certificateThumbprint", "x5t-1"), entry("dpopKeyThumbprint", "jkt-1"),
				entry("authorizationDetails",
						Map.of("elements",
								List.of(Map.of("type", "payment_initiation", "locations",
										List.of("https://bank.example"), "actions", List.of("initiate"), "identifier",
										"pay-1", "otherFields", "{\"amount\":\"10\"}")))),
				entry("resources", List.of("https://api.example/")), entry("forExternalAttachment", true),
				entry("jwtAtClaims", "{\"tenant\":\"t1\"}"), entry("acr", "urn:acr:mfa"), entry("authTime", 1767139200),
				entry("sessionId", "sess-1"));
		assertObserved("create", "200");
	}

	@Test
	void createAccessTokenWhenOnlyGrantTypeAndClientThenSendsOnlyThem() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A109001\",\"resultMessage\":\"[A109001] Created.\",\"action\":\"OK\"}");

		TokenCreateResponse response = this.client
			.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1234L).build())
			.block(TIMEOUT);

		assertThat(takeRequest().getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"grantType\":\"CLIENT_CREDENTIALS\",\"clientId\":1234}");
		assertThat(response.resultCode()).isEqualTo("A109001");
		assertThat(response.action()).isEqualTo(AuthleteAction.OK);
		assertThat(response.accessToken()).isNull();
		assertThat(response.refreshToken()).isNull();
		assertThat(response.expiresInSeconds()).isNull();
		assertThat(response.expiresAt()).isNull();
		assertThat(response.scopes()).isNull();
		assertThat(response.refreshTokenScopes()).isNull();
		assertThat(response.properties()).isNull();
		assertThat(response.authorizationDetails()).isNull();
		assertThat(response.tokenId()).isNull();
	}

	@Test
	void createAccessTokenWhenServerAnswersEveryFieldThenMapsThem() {
		enqueueJson(200, """
				{"resultCode":"A109001","resultMessage":"[A109001] Created.","action":"OK",
				 "accessToken":"new-at","refreshToken":"new-rt","tokenType":"DPoP","expiresIn":3600,
				 "expiresAt":1767225600000,"grantType":"AUTHORIZATION_CODE","clientId":1234,
				 "clientIdentifier":"my-client","subject":"alice","scopes":["openid"],"refreshTokenScopes":["openid"],
				 "properties":[{"key":"k","value":"v"}],"jwtAccessToken":"eyJ.at",
				 "authorizationDetails":{"elements":[{"type":"t1","privileges":["p"],"dataTypes":["d"]}]},
				 "forExternalAttachment":false,"tokenId":"tid-1","sessionId":"sess-1","someFutureField":{"a":1}}""");

		TokenCreateResponse response = this.client
			.createAccessToken(
					TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE).clientId(1234L).subject("alice").build())
			.block(TIMEOUT);

		assertThat(response).isEqualTo(new TokenCreateResponse("A109001", "[A109001] Created.", AuthleteAction.OK,
				"new-at", "new-rt", "DPoP", 3600L, 1767225600000L, GrantType.AUTHORIZATION_CODE, 1234L, "my-client",
				"alice", List.of("openid"), List.of("openid"), List.of(new Property("k", "v", false)), "eyJ.at",
				new AuthorizationDetails(List
					.of(new AuthorizationDetails.Element("t1", null, null, List.of("d"), null, List.of("p"), null))),
				false, "tid-1", "sess-1"));
		assertThat(response.expiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(response.toString()).contains("tokenType=DPoP")
			.doesNotContain("new-at", "new-rt", "eyJ.at", "alice");
	}

	@Test
	void createAccessTokenWhenServerAnswers200WithForbiddenActionThenReturnsResponseWithThatAction() {
		enqueueJson(200, """
				{"resultCode":"A109305","resultMessage":"[A109305] The client does not belong to the service.",
				 "action":"FORBIDDEN"}""");

		TokenCreateResponse response = this.client
			.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1L).build())
			.block(TIMEOUT);

		assertThat(response.action()).isEqualTo(AuthleteAction.FORBIDDEN);
		assertThat(response.resultCode()).isEqualTo("A109305");
		assertThat(response.accessToken()).isNull();
	}

	@Test
	void createAccessTokenWhenActionUnknownThenReadsUnknown() {
		enqueueJson(200, "{\"resultCode\":\"A1\",\"action\":\"SOMETHING_NEW\"}");

		TokenCreateResponse response = this.client
			.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).clientId(1L).build())
			.block(TIMEOUT);

		assertThat(response.action()).isEqualTo(AuthleteAction.UNKNOWN);
	}

	// update

	@Test
	void updateAccessTokenWhenEveryFieldSetThenSendsEveryFieldUnderItsWireName() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A135001\",\"action\":\"OK\"}");
		TokenUpdateRequest request = TokenUpdateRequest.forAccessToken("at-1")
			.accessTokenExpiresAt(Instant.parse("2026-01-01T00:00:00Z"))
			.refreshTokenExpiresAt(Instant.parse("2026-01-31T00:00:00Z"))
			.scopes(List.of("openid"))
			.properties(List.of(Property.of("k", "v")))
			.accessTokenExpiresAtUpdatedOnScopeUpdate(true)
			.refreshTokenExpiresAtUpdatedOnScopeUpdate(false)
			.accessTokenPersistent(false)
			.accessTokenValueUpdated(true)
			.certificateThumbprint("x5t")
			.dpopKeyThumbprint("jkt")
			.authorizationDetails(AuthorizationDetails.of(AuthorizationDetails.Element.ofType("t1")))
			.forExternalAttachment(false)
			.tokenId("tid")
			.build();

		this.client.updateAccessToken(request).block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertPost(recorded, "/api/" + SERVICE_ID + "/auth/token/update");
		assertThat(jsonBody(recorded)).containsExactly(entry("accessToken", "at-1"),
				entry("accessTokenExpiresAt", 1767225600000L), entry("refreshTokenExpiresAt", 1769817600000L),
				entry("scopes", List.of("openid")),
				entry("properties", List.of(Map.of("key", "k", "value", "v", "hidden", false))),
				entry("accessTokenExpiresAtUpdatedOnScopeUpdate", true),
				entry("refreshTokenExpiresAtUpdatedOnScopeUpdate", false), entry("accessTokenPersistent", false),
				entry("accessTokenValueUpdated", true), entry("certificateThumbprint", "x5t"),
				entry("dpopKeyThumbprint", "jkt"),
				entry("authorizationDetails", Map.of("elements", List.of(Map.of("type", "t1")))),
				entry("forExternalAttachment", false), entry("tokenId", "tid"));
		assertObserved("update", "200");
	}

	@Test
	void updateAccessTokenWhenIdentifiedByHashOnlyThenSendsOnlyHashAndMapsResponse() throws Exception {
		enqueueJson(200, """
				{"resultCode":"A135001","resultMessage":"[A135001] Updated.","action":"OK","accessToken":"at-2",
				 "tokenType":"Bearer","accessTokenExpiresAt":1767225600000,"scopes":["openid"],"tokenId":"tid"}""");

		TokenUpdateResponse response = this.client
			.updateAccessToken(TokenUpdateRequest.forAccessTokenHash("ath-1").build())
			.block(TIMEOUT);

		assertThat(takeRequest().getBody().string(StandardCharsets.UTF_8)).isEqualTo("{\"accessTokenHash\":\"ath-1\"}");
		assertThat(response).isEqualTo(new TokenUpdateResponse("A135001", "[A135001] Updated.", AuthleteAction.OK,
				"at-2", "Bearer", 1767225600000L, null, List.of("openid"), null, null, null, "tid"));
		assertThat(response.accessTokenExpiresAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
		assertThat(response.refreshTokenExpiresAt()).isNull();
		assertThat(response.toString()).doesNotContain("at-2");
	}

	@Test
	void updateAccessTokenWhenServerAnswers200WithNotFoundThenReturnsResponseWithThatAction() {
		enqueueJson(200, "{\"resultCode\":\"A135301\",\"resultMessage\":\"[A135301] Not found.\","
				+ "\"action\":\"NOT_FOUND\"}");

		TokenUpdateResponse response = this.client
			.updateAccessToken(TokenUpdateRequest.forAccessTokenHash("ath-1").build())
			.block(TIMEOUT);

		assertThat(response.action()).isEqualTo(AuthleteAction.NOT_FOUND);
		assertThat(response.resultCode()).isEqualTo("A135301");
	}

	// delete

	@Test
	void deleteAccessTokenWhenServerAnswers204ThenCompletesAndEncodesIdentifierAsOnePathSegment() throws Exception {
		this.server.enqueue(new MockResponse.Builder().code(204).build());

		this.client.deleteAccessToken("a/b+c=d e?f#g%").block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertThat(recorded.getMethod()).isEqualTo("DELETE");
		assertThat(recorded.getTarget())
			.isEqualTo("/api/" + SERVICE_ID + "/auth/token/delete/a%2Fb%2Bc%3Dd%20e%3Ff%23g%25");
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + SERVICE_TOKEN);
		assertThat(recorded.getBodySize()).isZero();
		assertObserved("delete", "204");
	}

	// revoke

	@Test
	void revokeTokensWhenServerAnswers200ThenSendsExactBodyAndReturnsCount() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A312001\",\"resultMessage\":\"Revoked 3 access token(s).\",\"count\":3}");

		TokenRevokeResponse response = this.client.revokeTokens(TokenRevokeRequest.subject("alice", "my-client"))
			.block(TIMEOUT);

		RecordedRequest recorded = takeRequest();
		assertPost(recorded, "/api/" + SERVICE_ID + "/auth/token/revoke");
		assertThat(recorded.getBody().string(StandardCharsets.UTF_8))
			.isEqualTo("{\"clientIdentifier\":\"my-client\",\"subject\":\"alice\"}");
		assertThat(response).isEqualTo(new TokenRevokeResponse("A312001", "Revoked 3 access token(s).", null, 3));
		assertObserved("revoke", "200");
	}

	@Test
	void revokeTokensWhenEveryFieldSetThenSendsEveryField() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A312001\"}");

		TokenRevokeResponse response = this.client.revokeTokens(new TokenRevokeRequest("at-1", "rt-1", "1234", "alice"))
			.block(TIMEOUT);

		assertThat(jsonBody(takeRequest())).containsExactly(entry("accessTokenIdentifier", "at-1"),
				entry("refreshTokenIdentifier", "rt-1"), entry("clientIdentifier", "1234"), entry("subject", "alice"));
		assertThat(response.count()).isNull();
		assertThat(response.resultMessage()).isNull();
	}

	// errors

	static Stream<Arguments> errorStatusesForEveryOperation() {
		return Stream.of(400, 401, 403, 404, 500)
			.flatMap((status) -> operations()
				.map((operation) -> Arguments.of(status, operation.get()[0], operation.get()[1])));
	}

	static Stream<Arguments> operations() {
		Function<AuthleteClient, Mono<?>> reissue = (c) -> c.reissueIdToken(IdTokenReissueRequest.of("at", "rt"));
		Function<AuthleteClient, Mono<?>> list = (c) -> c
			.listAccessTokens(TokenListRequest.builder().subject("alice").build());
		Function<AuthleteClient, Mono<?>> create = (c) -> c.createAccessToken(
				TokenCreateRequest.builder(GrantType.AUTHORIZATION_CODE).clientId(1L).subject("alice").build());
		Function<AuthleteClient, Mono<?>> update = (c) -> c
			.updateAccessToken(TokenUpdateRequest.forAccessToken("at-secret").build());
		Function<AuthleteClient, Mono<?>> delete = (c) -> c.deleteAccessToken("at-secret");
		Function<AuthleteClient, Mono<?>> revoke = (c) -> c.revokeTokens(TokenRevokeRequest.accessToken("at-secret"));
		return Stream.of(Arguments.of("reissue-id-token", reissue), Arguments.of("list", list),
				Arguments.of("create", create), Arguments.of("update", update), Arguments.of("delete", delete),
				Arguments.of("revoke", revoke));
	}

	@Test
	void callWhenResultMessageEchoesTokensThenExceptionCarriesItWithoutThem() {
		String accessToken = "Xw3Rk8pQz1Lm5Nv7Bc9Df2Gh4Jk6Lp0Qr";
		String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
		enqueueJson(400, "{\"resultCode\":\"A135302\",\"resultMessage\":\"[A135302] /auth/token/update, The access "
				+ "token '" + accessToken + "' (issued for " + jwt + ") does not exist in service 1234567890.\"}");

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.updateAccessToken(TokenUpdateRequest.forAccessToken(accessToken).build())
				.block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getResultMessage()).isEqualTo("[A135302] /auth/token/update, The access token "
						+ "'[REDACTED]' (issued for [REDACTED]) does not exist in service 1234567890.");
				assertThat(ex.getMessage()).doesNotContain(accessToken, jwt);
				assertThat(ex.toString()).doesNotContain(accessToken, jwt);
			});
	}

	@Test
	void resultMessageWhenWordsCodesPathsAndShortValuesThenKeptAsTheyAre() {
		String text = "[A001202] /api/1234567890/auth/token/update, Authorization header is missing; "
				+ "authorization_details_types are not_supported_here (retry after 30s).";
		assertThat(AuthleteApiException.scrub(text)).isEqualTo(text);
		assertThat(AuthleteApiException.scrub(null)).isNull();
		assertThat(new AuthleteApiException("m", "create", 400, "A1", "secret abcdefghij0123456789 end", null, null)
			.getResultMessage()).isEqualTo("secret [REDACTED] end");
	}

	@ParameterizedTest(name = "{1} {0}")
	@MethodSource("errorStatusesForEveryOperation")
	void callWhenServerAnswersErrorStatusThenRaisesAuthleteApiExceptionWithResult(int status, String operation,
			Function<AuthleteClient, Mono<?>> call) {
		// a 5xx of an idempotent call is tried twice more
		int attempts = (status >= 500 && (operation.equals("list") || operation.equals("delete"))) ? 3 : 1;
		for (int i = 0; i < attempts; i++) {
			enqueueJson(status, "{\"resultCode\":\"A001" + status + "\",\"resultMessage\":\"[A001" + status
					+ "] Something about the request.\"}");
		}

		assertThatExceptionOfType(AuthleteApiException.class).isThrownBy(() -> call.apply(this.client).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(status);
				assertThat(ex.getOperation()).isEqualTo(operation);
				assertThat(ex.getResultCode()).isEqualTo("A001" + status);
				assertThat(ex.getResultMessage()).isEqualTo("[A001" + status + "] Something about the request.");
				assertThat(ex.getAction()).isNull();
				assertThat(ex.getMessage()).contains("'" + operation + "'", String.valueOf(status), "A001" + status)
					.doesNotContain(SERVICE_TOKEN, "at-secret", "alice");
			});
		assertThat(this.server.getRequestCount()).as("no retry with the same static token").isEqualTo(attempts);
		// The observation stops in doFinally, just after block() has returned: wait for
		// it.
		await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("operation", operation)
			.hasLowCardinalityKeyValue("status", String.valueOf(status))
			.hasError());
	}

	@Test
	void callWhenErrorBodyHasNumericResultCodeAndActionThenReadsThemAsText() {
		enqueueJson(404, "{\"resultCode\":404,\"resultMessage\":\"Not found\",\"action\":\"NOT_FOUND\"}");

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.revokeTokens(TokenRevokeRequest.accessToken("at-1")).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getResultCode()).isEqualTo("404");
				assertThat(ex.getResultMessage()).isEqualTo("Not found");
				assertThat(ex.getAction()).isEqualTo(AuthleteAction.NOT_FOUND);
			});
	}

	@Test
	void callWhenErrorStatusWithHtmlBodyThenRaisesExceptionWithoutResult() {
		// a delete is idempotent: the 502 is tried twice more
		for (int i = 0; i < 3; i++) {
			this.server.enqueue(new MockResponse.Builder().code(502)
				.setHeader("Content-Type", "text/html")
				.body("<html>Bad gateway</html>")
				.build());
		}

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.deleteAccessToken("at-1").block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(502);
				assertThat(ex.getResultCode()).isNull();
				assertThat(ex.getResultMessage()).isNull();
				assertThat(ex.getMessage()).contains("not an Authlete result", "text/html");
			});
	}

	@Test
	void callWhen200WithNonJsonBodyThenRaisesClearException() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.setHeader("Content-Type", "text/html")
			.body("<html>login</html>")
			.build());

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.listAccessTokens().block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isEqualTo(200);
				assertThat(ex.getMessage()).contains("'list'", "not a JSON object", "text/html", "base-url");
			});
	}

	@Test
	void callWhen200WithEmptyBodyThenRaisesClearException() {
		this.server.enqueue(new MockResponse.Builder().code(200).build());

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.revokeTokens(TokenRevokeRequest.client("1")).block(TIMEOUT))
			.withMessageContaining("not a JSON object");
	}

	@Test
	void callWhen200WithJsonArrayThenRaisesClearException() {
		enqueueJson(200, "[1,2]");

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.reissueIdToken(IdTokenReissueRequest.of("at", "rt")).block(TIMEOUT))
			.withMessageContaining("not a JSON object");
	}

	@Test
	void callWhen200WithWrongFieldTypeThenRaisesExceptionNamingTheField() {
		enqueueJson(200, "{\"resultCode\":\"A085001\",\"totalCount\":\"many\"}");

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> this.client.listAccessTokens().block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).contains("TokenListResponse", "totalCount");
				assertThat(ex.getResultCode()).isEqualTo("A085001");
				assertThat(ex.getCause()).isNotNull();
			});
	}

	@Test
	void callWhenServerUnreachableThenRaisesExceptionWithStatusZero() throws IOException {
		URI base = this.server.url("/").uri();
		this.server.close();
		AuthleteClient unreachable = new AuthleteClient(WebClient.builder(), base, SERVICE_ID, SERVICE_TOKEN);

		assertThatExceptionOfType(AuthleteApiException.class)
			.isThrownBy(() -> unreachable.listAccessTokens().block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getStatusCode()).isZero();
				assertThat(ex.getMessage()).contains("no answer").doesNotContain(SERVICE_TOKEN);
			});
	}

	@Test
	void callWhenServerUnreachableThenNoWebClientExceptionInCauseChain() throws IOException {
		URI base = this.server.url("/").uri();
		this.server.close();
		AuthleteClient unreachable = new AuthleteClient(WebClient.builder(), base, SERVICE_ID, SERVICE_TOKEN);

		assertThatExceptionOfType(AuthleteApiException.class).isThrownBy(
				() -> unreachable.listAccessTokens(TokenListRequest.builder().subject("alice").build()).block(TIMEOUT))
			.satisfies((ex) -> {
				assertThat(ex.getMessage()).startsWith("Authlete API call 'list' to ")
					.doesNotContain("alice", SERVICE_TOKEN);
				for (Throwable cause = ex.getCause(); cause != null; cause = cause.getCause()) {
					assertThat(cause).isNotInstanceOf(WebClientException.class);
					assertThat(String.valueOf(cause.getMessage())).doesNotContain("alice", "/api/");
				}
			});
	}

	@Test
	void callWhenEachOperationThenSendsServiceAccessTokenAsBearer() throws Exception {
		enqueueJson(200, "{\"resultCode\":\"A312001\"}");
		this.server.enqueue(new MockResponse.Builder().code(204).build());
		enqueueJson(200, "{\"resultCode\":\"A244001\"}");

		this.client.revokeTokens(TokenRevokeRequest.client("1")).block(TIMEOUT);
		this.client.deleteAccessToken("at-1").block(TIMEOUT);
		this.client.reissueIdToken(IdTokenReissueRequest.of("at-1", "rt-1")).block(TIMEOUT);

		for (int i = 0; i < 3; i++) {
			assertThat(takeRequest().getHeaders().values("Authorization")).containsExactly("Bearer " + SERVICE_TOKEN);
		}
	}

	// construction

	@Test
	void callWhenBaseUrlHasPathAndTrailingSlashThenPathIsPrefixed() throws Exception {
		AuthleteClient proxied = new AuthleteClient(WebClient.builder(), this.server.url("/proxy/").uri(), SERVICE_ID,
				SERVICE_TOKEN);
		enqueueJson(200, "{\"resultCode\":\"A312001\"}");

		proxied.revokeTokens(TokenRevokeRequest.client("1")).block(TIMEOUT);

		assertThat(takeRequest().getTarget()).isEqualTo("/proxy/api/" + SERVICE_ID + "/auth/token/revoke");
		assertThat(proxied.getBaseUrl().toString()).doesNotEndWith("/");
	}

	@Test
	void constructWhenGivenBuilderThenLeavesItWithoutTheBearerFilter() throws Exception {
		WebClient.Builder builder = WebClient.builder();
		new AuthleteClient(builder, this.server.url("/").uri(), SERVICE_ID, SERVICE_TOKEN);
		this.server.enqueue(new MockResponse.Builder().code(200).build());

		builder.build().get().uri(this.server.url("/other").uri()).retrieve().toBodilessEntity().block(TIMEOUT);

		assertThat(takeRequest().getHeaders().get("Authorization")).isNull();
	}

	@Test
	void constructWhenServiceIdNotNumericThenRejects() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(
					() -> new AuthleteClient(WebClient.builder(), URI.create("https://us.authlete.com"), "12a", "t"))
			.withMessageContaining("serviceId");
	}

	@Test
	void toStringWhenCalledThenShowsNoToken() {
		assertThat(this.client.toString()).contains(SERVICE_ID).doesNotContain(SERVICE_TOKEN);
		assertThat(IdTokenReissueRequest.of("at-1", "rt-1").toString()).doesNotContain("at-1", "rt-1");
		assertThat(TokenRevokeRequest.accessToken("at-1").toString()).doesNotContain("at-1");
		assertThat(TokenUpdateRequest.forAccessToken("at-1").build().toString()).doesNotContain("at-1");
		assertThat(TokenListRequest.builder().subject("alice").build().toString()).doesNotContain("alice");
		assertThat(
				TokenCreateRequest.builder(GrantType.PASSWORD).subject("alice").accessToken("at-1").build().toString())
			.contains("grantType=PASSWORD")
			.doesNotContain("alice", "at-1");
	}

	private void enqueueJson(int status, String body) {
		this.server.enqueue(new MockResponse.Builder().code(status)
			.setHeader("Content-Type", "application/json")
			.body(body)
			.build());
	}

	private RecordedRequest takeRequest() throws InterruptedException {
		RecordedRequest request = this.server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(request).as("request received").isNotNull();
		return request;
	}

	private static void assertPost(RecordedRequest recorded, String path) {
		assertThat(recorded.getMethod()).isEqualTo("POST");
		assertThat(recorded.getTarget()).isEqualTo(path);
		assertThat(recorded.getHeaders().get("Authorization")).isEqualTo("Bearer " + SERVICE_TOKEN);
		assertThat(recorded.getHeaders().get("Content-Type")).isEqualTo("application/json");
		assertThat(recorded.getHeaders().get("Accept")).isEqualTo("application/json");
	}

	private static Map<String, Object> jsonBody(RecordedRequest recorded) {
		return mapper.readValue(recorded.getBody().toByteArray(), new TypeReference<Map<String, Object>>() {
		});
	}

	private void assertObserved(String operation, String status) {
		// The observation stops in doFinally, just after block() has returned: wait for
		// it.
		await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(this.registry)
			.hasObservationWithNameEqualTo("tokenkit.token.requests")
			.that()
			.hasBeenStopped()
			.hasLowCardinalityKeyValue("client", "authlete")
			.hasLowCardinalityKeyValue("operation", operation)
			.hasLowCardinalityKeyValue("status", status));
	}

	@Test
	void listAndDeleteWhenObservedThenHttpUrlCarriesNeitherSubjectNorTokenIdentifier() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		List<io.micrometer.observation.Observation.Context> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
		registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {

			@Override
			public void onStop(io.micrometer.observation.Observation.Context context) {
				stopped.add(context);
			}

			@Override
			public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
				return true;
			}

		});
		AuthleteClient observed = new AuthleteClient(WebClient.builder().observationRegistry(registry),
				this.server.url("/").uri(), SERVICE_ID, SERVICE_TOKEN, new TokenRequestObserver(registry, null));
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"accessTokens\":[]}")
			.build());
		observed.listAccessTokens(TokenListRequest.builder().subject("alice-subject").build()).block(TIMEOUT);
		this.server.enqueue(new MockResponse.Builder().code(204).build());
		observed.deleteAccessToken("secret-token-value").block(TIMEOUT);
		await().atMost(TIMEOUT).untilAsserted(() -> assertThat(stopped).hasSize(4));
		String deleteTemplate = this.server.url("/api/").toString()
				+ "{serviceId}/auth/token/delete/{accessTokenIdentifier}";
		assertThat(stopped).filteredOn((context) -> context.getHighCardinalityKeyValue("http.url") != null)
			.extracting((context) -> context.getHighCardinalityKeyValue("http.url").getValue())
			.containsExactlyInAnyOrder(this.server.url("/api/").toString() + "{serviceId}/auth/token/get/list",
					deleteTemplate);
		assertThat(stopped).allSatisfy((context) -> context.getAllKeyValues()
			.forEach((keyValue) -> assertThat(keyValue.getValue()).doesNotContain("alice-subject")
				.doesNotContain("secret-token-value")));
	}

}
