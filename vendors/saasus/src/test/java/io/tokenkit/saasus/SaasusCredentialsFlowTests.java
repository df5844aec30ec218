package io.tokenkit.saasus;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The whole SaaSus flow on loopback servers: save credentials, exchange the temporary
 * code, seed the token manager, call an API through the bearer filter, and refresh
 * through {@link SaasusTokenSource} when the token expires.
 */
class SaasusCredentialsFlowTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final String REGISTRATION = "saasus-users";

	private final MockWebServer saasus = new MockWebServer();

	private final MockWebServer api = new MockWebServer();

	private final MutableClock clock = new MutableClock(SaasusClientTests.NOW);

	private SaasusClient client;

	private SaasusTokenConverter converter;

	private TokenManager manager;

	private WebClient apiClient;

	@BeforeEach
	void start() throws Exception {
		this.saasus.start();
		this.api.start();
		this.client = new SaasusClient(WebClient.builder(), this.saasus.url("/v1/auth").uri(),
				new SaasusRequestSigner(SaasusClientTests.SAAS_ID, SaasusClientTests.API_KEY,
						SaasusClientTests.SECRET_KEY, Clock.fixed(SaasusClientTests.NOW, ZoneOffset.UTC)),
				TokenRequestObserver.NOOP);
		this.converter = new SaasusTokenConverter(this.clock);
		this.manager = new TokenManager(
				List.of(new TokenRegistration(REGISTRATION, new SaasusTokenSource(this.client, this.converter),
						Duration.ZERO)),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofSeconds(10));
		this.apiClient = WebClient.builder()
			.baseUrl(this.api.url("/").toString())
			.filter(new BearerTokenExchangeFilterFunction(this.manager, REGISTRATION))
			.build();
	}

	@AfterEach
	void stop() {
		this.saasus.close();
		this.api.close();
	}

	@Test
	void flowWhenTempCodeExchangedThenBearerFilterSendsTokenAndRefreshesIt() throws Exception {
		String at1 = SaasusTokenConverterTests
			.jwt("{\"exp\":" + SaasusClientTests.NOW.plusSeconds(300).getEpochSecond() + "}");
		String at2 = SaasusTokenConverterTests
			.jwt("{\"exp\":" + SaasusClientTests.NOW.plusSeconds(900).getEpochSecond() + "}");
		this.saasus.enqueue(SaasusClientTests.json(201, "{\"code\":\"c0de\"}"));
		this.saasus.enqueue(SaasusClientTests.json(200,
				"{\"id_token\":\"id-1\",\"access_token\":\"" + at1 + "\",\"refresh_token\":\"rt-1\"}"));
		// the refresh answer omits refresh_token: rt-1 must be kept
		this.saasus.enqueue(SaasusClientTests.json(200, "{\"id_token\":\"id-2\",\"access_token\":\"" + at2 + "\"}"));
		for (int i = 0; i < 3; i++) {
			this.api.enqueue(new MockResponse.Builder().code(200).body("ok").build());
		}

		AuthorizationTempCode code = this.client.saveCredentials(new Credentials("id-1", at1, "rt-1")).block(TIMEOUT);
		Credentials credentials = this.client.getCredentials(code.code()).block(TIMEOUT);
		TokenKey alice = TokenKey.of(REGISTRATION, "alice");
		this.manager.save(alice, this.converter.convert(credentials)).block(TIMEOUT);

		callApiAs("alice");
		assertThat(take(this.api).getHeaders().get("Authorization")).isEqualTo("Bearer " + at1);

		this.clock.set(SaasusClientTests.NOW.plusSeconds(301));
		callApiAs("alice");
		assertThat(take(this.api).getHeaders().get("Authorization")).isEqualTo("Bearer " + at2);
		callApiAs("alice");
		assertThat(take(this.api).getHeaders().get("Authorization")).isEqualTo("Bearer " + at2);

		RecordedRequest save = take(this.saasus);
		assertThat(save.getMethod()).isEqualTo("POST");
		SaasusClientTests.assertSigned(save);
		RecordedRequest get = take(this.saasus);
		assertThat(get.getTarget()).isEqualTo("/v1/auth/credentials?code=c0de&auth-flow=tempCodeAuth");
		SaasusClientTests.assertSigned(get);
		RecordedRequest refresh = take(this.saasus);
		assertThat(refresh.getTarget()).isEqualTo("/v1/auth/credentials?auth-flow=refreshTokenAuth&refresh-token=rt-1");
		SaasusClientTests.assertSigned(refresh);
		assertThat(this.saasus.getRequestCount()).isEqualTo(3);

		AccessToken cached = this.manager.getCachedToken(alice);
		assertThat(cached.getTokenValue()).isEqualTo(at2);
		assertThat(cached.getRefreshToken()).isEqualTo("rt-1");
		assertThat(cached.getIdToken()).isEqualTo("id-2");
	}

	@Test
	void obtainWhenNoSavedTokenThenTokenAcquisitionException() {
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of(REGISTRATION, "bob")).block(TIMEOUT))
			.withMessageContaining("has no SaaSus token for this subject")
			.withMessageNotContaining("bob");
		assertThat(this.saasus.getRequestCount()).isZero();
	}

	@Test
	void obtainWhenNoSubjectThenTokenAcquisitionException() {
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> new SaasusTokenSource(this.client, this.converter).obtain(TokenKey.of(REGISTRATION))
				.block(TIMEOUT))
			.withMessageContaining("per-user");
	}

	@Test
	void refreshWhenSaasusAnswers404ThenSaasusApiException() {
		this.saasus.enqueue(SaasusClientTests.json(404, "{\"type\":\"not_found\",\"message\":\"expired\"}"));
		AccessToken current = AccessToken.withValue("at")
			.refreshToken("rt-gone")
			.issuedAt(SaasusClientTests.NOW.minusSeconds(3600))
			.expiresAt(SaasusClientTests.NOW)
			.build();
		assertThatExceptionOfType(SaasusApiException.class)
			.isThrownBy(() -> new SaasusTokenSource(this.client, this.converter)
				.refresh(TokenKey.of(REGISTRATION, "alice"), current)
				.block(TIMEOUT))
			.satisfies((ex) -> assertThat(ex.getStatusCode()).isEqualTo(404));
	}

	@Test
	void refreshWhenTokenHasNoRefreshTokenThenTokenAcquisitionException() {
		AccessToken current = AccessToken.withValue("at")
			.issuedAt(SaasusClientTests.NOW.minusSeconds(3600))
			.expiresAt(SaasusClientTests.NOW)
			.build();
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> new SaasusTokenSource(this.client, this.converter)
				.refresh(TokenKey.of(REGISTRATION, "alice"), current)
				.block(TIMEOUT))
			.withMessageContaining("sign in again");
		assertThat(this.saasus.getRequestCount()).isZero();
	}

	private void callApiAs(String subject) {
		this.apiClient.get()
			.uri("/orders")
			.attributes(BearerTokenExchangeFilterFunction.subject(subject))
			.retrieve()
			.bodyToMono(String.class)
			.block(TIMEOUT);
	}

	private static RecordedRequest take(MockWebServer server) throws InterruptedException {
		RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request;
	}

	static final class MutableClock extends Clock {

		private volatile Instant instant;

		MutableClock(Instant instant) {
			this.instant = instant;
		}

		void set(Instant instant) {
			this.instant = instant;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.instant;
		}

	}

}
