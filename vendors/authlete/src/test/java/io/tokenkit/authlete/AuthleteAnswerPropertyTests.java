package io.tokenkit.authlete;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.JsonArbitraries;
import io.tokenkit.testsupport.StubAnswers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of reading Authlete's answers into the response records with
 * {@link AuthleteClient}'s JSON settings: whatever Authlete answers, each operation gives
 * its response record (whose accessors and {@code toString()} work) or an
 * {@link AuthleteApiException}; never another exception.
 */
class AuthleteAnswerPropertyTests {

	private static final List<String> KEYS = List.of("resultCode", "resultMessage", "action", "accessToken",
			"refreshToken", "tokenType", "expiresIn", "expiresAt", "accessTokenExpiresAt", "refreshTokenExpiresAt",
			"grantType", "clientId", "subject", "scopes", "properties", "key", "value", "hidden",
			"authorizationDetails", "elements", "type", "locations", "accessTokens", "accessTokenHash", "createdAt",
			"lastRefreshedAt", "start", "end", "totalCount", "client", "count", "idToken", "responseContent");

	private final StubAnswers answers = new StubAnswers();

	private final AuthleteClient client = new AuthleteClient(this.answers.builder(),
			URI.create("https://us.authlete.com"), "1234", "service-token");

	private final List<Function<AuthleteClient, Mono<?>>> operations = List.of(
			(client) -> client.createAccessToken(TokenCreateRequest.builder(GrantType.CLIENT_CREDENTIALS).build()),
			(client) -> client.updateAccessToken(TokenUpdateRequest.forAccessToken("at-1").build()),
			(client) -> client.listAccessTokens(), (client) -> client.revokeTokens(TokenRevokeRequest.client("c-1")),
			(client) -> client.reissueIdToken(IdTokenReissueRequest.of("at-1", "rt-1")),
			(client) -> client.deleteAccessToken("at-1"));

	@Property(tries = 400)
	void randomObjectsGiveARecordOrATypedException(@ForAll("objects") String body, @ForAll("statuses") int status,
			@ForAll("operations") int operation) {
		check(operation, status, body.getBytes(StandardCharsets.UTF_8));
	}

	@Property(tries = 400)
	void mutatedAnswersGiveARecordOrATypedException(@ForAll("mutated") String body,
			@ForAll("operations") int operation) {
		check(operation, 200, body.getBytes(StandardCharsets.UTF_8));
	}

	@Property(tries = 200)
	void randomBytesGiveARecordOrATypedException(@ForAll byte[] body, @ForAll("statuses") int status,
			@ForAll("operations") int operation) {
		check(operation, status, body);
	}

	@Provide
	Arbitrary<String> objects() {
		return JsonArbitraries.object(3, KEYS);
	}

	@Provide
	Arbitrary<String> mutated() {
		Map<String, String> valid = new LinkedHashMap<>();
		valid.put("resultCode", "\"A000000\"");
		valid.put("resultMessage", "\"ok\"");
		valid.put("action", "\"OK\"");
		valid.put("accessToken", "\"at-1\"");
		valid.put("expiresIn", "3600");
		valid.put("expiresAt", "1795000000000");
		valid.put("grantType", "\"CLIENT_CREDENTIALS\"");
		valid.put("scopes", "[\"a\",\"b\"]");
		valid.put("properties", "[{\"key\":\"k\",\"value\":\"v\",\"hidden\":false}]");
		valid.put("authorizationDetails", "{\"elements\":[{\"type\":\"t\",\"locations\":[\"l\"]}]}");
		valid.put("accessTokens", "[{\"accessTokenHash\":\"h\",\"accessTokenExpiresAt\":1795000000000}]");
		valid.put("count", "1");
		return JsonArbitraries.mutated(valid, KEYS);
	}

	@Provide
	Arbitrary<Integer> statuses() {
		return Arbitraries.of(200, 200, 200, 204, 400, 401, 403, 404, 500);
	}

	@Provide
	Arbitrary<Integer> operations() {
		return Arbitraries.integers().between(0, this.operations.size() - 1);
	}

	private void check(int operation, int status, byte[] body) {
		this.answers.answer(status, "application/json", body);
		Object result;
		try {
			result = this.operations.get(operation).apply(this.client).block(Duration.ofSeconds(10));
		}
		catch (AuthleteApiException ex) {
			Statistics.label("answer").collect("typed exception");
			assertThat(ex.getStatusCode()).isEqualTo(status);
			return;
		}
		Statistics.label("answer").collect("record");
		assertThat(status).as("an error answer (%d) gave a result instead of an AuthleteApiException", status)
			.isBetween(200, 299);
		if (result == null) {
			return;
		}
		if (result instanceof TokenCreateResponse created) {
			created.expiresAt();
		}
		else if (result instanceof TokenUpdateResponse updated) {
			updated.accessTokenExpiresAt();
			updated.refreshTokenExpiresAt();
		}
		else if (result instanceof TokenListResponse list) {
			for (AuthleteAccessToken token : list.accessTokens()) {
				token.accessTokenExpiresAt();
				token.refreshTokenExpiresAt();
				token.createdAt();
			}
		}
	}

}
