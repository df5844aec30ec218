package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code invalid_grant} a token endpoint answers to a token exchange or a JWT bearer
 * grant, as the caller reads it: the hint names the subject token or the assertion, not a
 * code or refresh token, and never their value.
 */
class InvalidGrantHintWireTests {

	private static final String SUBJECT_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln";

	private final MockWebServer server = new MockWebServer();

	private final SubjectTokens subjectTokens = new SubjectTokens(Clock.systemUTC());

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.server.enqueue(new MockResponse.Builder().code(400)
			.addHeader("Content-Type", "application/json")
			.body("{\"error\":\"invalid_grant\"}")
			.build());
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	private OAuth2TokenClient client() {
		return new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/token").toString()), "gateway",
				"gateway-secret", ClientAuthenticationMethod.BASIC, "orders", "oauth2",
				new TokenRequestObserver(ObservationRegistry.NOOP, null));
	}

	private TokenKey key() {
		return SubjectTokenKeyResolver.perCall(this.subjectTokens)
			.resolve(Map.of(SubjectTokenKeyResolver.SUBJECT_TOKEN, SUBJECT_TOKEN), TokenKey.of("orders"));
	}

	@Test
	void tokenExchangeWhenInvalidGrantThenHintNamesSubjectToken() {
		TokenExchangeTokenSource source = new TokenExchangeTokenSource(client(), this.subjectTokens,
				TokenExchangeTokenSource.Settings.accessTokens(), List.of(), List.of(), List.of(), Map.of(),
				Clock.systemUTC(), TokenLifetimes.DEFAULT);
		// the manager's wrapper says the caller's token was refused; its cause says why
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> source.obtain(key()).block())
			.havingCause()
			.isInstanceOf(OAuth2TokenException.class)
			.withMessageContaining("invalid_grant: the subject token (or actor token) was refused")
			.withMessageNotContaining("refresh token")
			.withMessageNotContaining(SUBJECT_TOKEN);
	}

	@Test
	void jwtBearerWhenInvalidGrantThenHintNamesAssertion() {
		JwtBearerTokenSource source = new JwtBearerTokenSource(client(), this.subjectTokens, null, List.of(), List.of(),
				List.of(), Map.of(), Clock.systemUTC(), TokenLifetimes.DEFAULT);
		// the manager's wrapper says the caller's token was refused; its cause says why
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> source.obtain(key()).block())
			.havingCause()
			.isInstanceOf(OAuth2TokenException.class)
			.withMessageContaining("invalid_grant: the assertion was refused")
			.withMessageNotContaining("refresh token")
			.withMessageNotContaining(SUBJECT_TOKEN);
	}

}
