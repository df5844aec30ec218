package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.common.KeyValue;
import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenKitObservationDocumentation.LowCardinalityKeyNames;
import io.tokenkit.observation.TokenRequestObservationContext;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every tag of the {@code tokenkit.token.requests} observations of each grant, checked
 * against a {@link TestObservationRegistry}: the {@code grant.type} the call sent
 * ({@code none} for a revocation), and never a token, a subject token, an assertion, a
 * client secret, or a scope, audience or resource value.
 */
class TokenRequestObservationTagsTests {

	private static final String TOKEN_JSON = """
			{"access_token":"at-1","token_type":"Bearer","expires_in":3600}""";

	private static final String SUBJECT_TOKEN = "subject-eyJhbGciOi-incoming";

	private static final String ACTOR_TOKEN = "actor-eyJhbGciOi-actor";

	private static final String ASSERTION = "assertion-eyJhbGciOi-signed";

	private static final String REFRESH_TOKEN = "rt-7c0d9e-refresh";

	private static final List<String> SECRETS = List.of(SUBJECT_TOKEN, ACTOR_TOKEN, ASSERTION, REFRESH_TOKEN, "at-1",
			"s3cret", "orders.read", "orders.write", "https://orders.example.com", "https://ledger.example.com",
			"alice");

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private final List<TokenRequestObservationContext> stopped = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.observations.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				TokenRequestObservationTagsTests.this.stopped.add((TokenRequestObservationContext) context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return context instanceof TokenRequestObservationContext;
			}

		});
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void clientCredentialsWhenScopesAndAudienceThenGrantTypeAndNoParameterValue() {
		this.server.enqueue(json(200, TOKEN_JSON));
		new ClientCredentialsTokenSource(client(), List.of("orders.read", "orders.write"),
				Map.of("audience", "https://orders.example.com", "resource", "https://ledger.example.com"), this.clock)
			.obtain(TokenKey.of("orders"))
			.block();
		assertOnlyTags("acquire", "client_credentials", "SUCCESS", "200", "none");
	}

	@Test
	void refreshTokenWhenPerUserThenGrantTypeAndNoRefreshTokenOrSubject() {
		this.server.enqueue(json(200, TOKEN_JSON));
		new RefreshTokenTokenSource(client(), List.of("orders.read"), null, this.clock)
			.refresh(TokenKey.of("orders", "alice"),
					AccessToken.withValue("at-0")
						.issuedAt(Instant.parse("2026-11-23T09:00:00Z"))
						.expiresAt(Instant.parse("2026-11-23T10:00:00Z"))
						.refreshToken(REFRESH_TOKEN)
						.build())
			.block();
		assertOnlyTags("refresh", "refresh_token", "SUCCESS", "200", "none");
	}

	@Test
	void tokenExchangeWhenSubjectAndActorTokensThenGrantTypeAndNoToken() {
		this.server.enqueue(json(200, TOKEN_JSON));
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.set("subject_token", SUBJECT_TOKEN);
		form.set("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
		form.set("actor_token", ACTOR_TOKEN);
		form.set("actor_token_type", "urn:ietf:params:oauth:token-type:jwt");
		form.set("audience", "https://orders.example.com");
		form.set("resource", "https://ledger.example.com");
		form.set("scope", "orders.read orders.write");
		client().request("exchange", form).block();
		assertOnlyTags("exchange", "urn:ietf:params:oauth:grant-type:token-exchange", "SUCCESS", "200", "none");
	}

	@Test
	void jwtBearerWhenRefusedThenGrantTypeExceptionAndNoAssertion() {
		this.server.enqueue(json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"bad " + ASSERTION + "\"}"));
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
		form.set("assertion", ASSERTION);
		form.set("scope", "orders.read");
		assertThatExceptionOfType(OAuth2TokenException.class)
			.isThrownBy(() -> client().request("acquire", form).block());
		assertOnlyTags("acquire", "urn:ietf:params:oauth:grant-type:jwt-bearer", "CLIENT_ERROR", "400",
				"OAuth2TokenException");
	}

	@Test
	void revocationThenOperationRevokeAndGrantTypeNone() {
		this.server.enqueue(new MockResponse.Builder().code(200).build());
		OAuth2TokenClient client = client();
		client
			.revoker(TokenEndpointResolver.fixed(URI.create(this.server.url("/revoke").toString())), false, this.clock)
			.revoke(AccessToken.withValue("at-1")
				.issuedAt(this.clock.instant())
				.expiresAt(this.clock.instant().plus(Duration.ofHours(1)))
				.refreshToken(REFRESH_TOKEN)
				.build())
			.block();
		assertOnlyTags("revoke", "none", "SUCCESS", "200", "none");
	}

	private void assertOnlyTags(String operation, String grantType, String outcome, String status, String exception) {
		assertThat(this.stopped).hasSize(1);
		TokenRequestObservationContext context = this.stopped.get(0);
		List<KeyValue> low = new ArrayList<>();
		context.getLowCardinalityKeyValues().forEach(low::add);
		assertThat(low).containsExactlyInAnyOrder(KeyValue.of("client", "oauth2"),
				KeyValue.of("registration", "orders"), KeyValue.of("operation", operation),
				KeyValue.of("grant.type", grantType), KeyValue.of("outcome", outcome), KeyValue.of("status", status),
				KeyValue.of("exception", exception));
		assertThat(low.stream().map(KeyValue::getKey)).containsExactlyInAnyOrderElementsOf(
				Arrays.stream(LowCardinalityKeyNames.values()).map(KeyName::asString).toList());
		assertThat(context.getHighCardinalityKeyValues()).isEmpty();
		for (KeyValue keyValue : low) {
			for (String secret : SECRETS) {
				assertThat(keyValue.getValue()).doesNotContain(secret);
			}
		}
		for (String secret : SECRETS) {
			assertThat(String.valueOf(context.getContextualName())).doesNotContain(secret);
			assertThat(String.valueOf(context.getName())).doesNotContain(secret);
		}
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/oauth2/token").toString()),
				"orders-app", "s3cret", ClientAuthenticationMethod.BASIC, "orders", "oauth2",
				new TokenRequestObserver(this.observations, null));
	}

	private static MockResponse json(int status, String body) {
		return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body).build();
	}

}
