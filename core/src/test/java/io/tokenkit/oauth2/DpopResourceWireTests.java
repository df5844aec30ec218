package io.tokenkit.oauth2;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import io.tokenkit.restclient.BearerTokenClientHttpRequestInterceptor;
import io.tokenkit.testsupport.DpopProofCheck;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;

import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP on resource requests (RFC 9449 §7, §9) through the {@code WebClient} filter and
 * the {@code RestClient} interceptor, against a recording resource server on loopback:
 * {@code Authorization: DPoP <token>} with a new proof on every send, checked claim by
 * claim ({@code ath} included); a {@code 401} {@code use_dpop_nonce} challenge costs
 * exactly one more send with the nonce, is no reacquisition and no strike, and a second
 * one goes to the caller; a plain {@code 401} is replayed once with a new token; a token
 * bound to another key is replaced before it is sent; a Bearer token gets no proof.
 */
class DpopResourceWireTests {

	private static final String CHALLENGE = "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"";

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private final DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);

	private final AtomicInteger obtains = new AtomicInteger();

	private final AtomicInteger retries = new AtomicInteger();

	private String tokenType = "DPoP";

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenDpopTokenThenEverySendHasNewProofBoundToToken(Client client) throws Exception {
		TokenManager manager = manager();
		enqueue(200);
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts?page=2"))).isEqualTo(200);
		assertThat(client.get(this, manager, url("/accounts?page=3"))).isEqualTo(200);
		Set<String> jtis = new HashSet<>();
		for (int i = 0; i < 2; i++) {
			RecordedRequest request = this.server.takeRequest();
			assertThat(request.getHeaders().values("Authorization")).containsExactly("DPoP at-1");
			assertThat(request.getHeaders().values("DPoP")).hasSize(1);
			jtis.add(DpopProofCheck.check(request.getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(), "GET",
					url("/accounts"), this.clock.instant(), "at-1", null));
		}
		assertThat(jtis).hasSize(2);
		assertThat(this.obtains).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenNonceChallengeThenExactlyOneMoreSendWithNonceAndNoReacquisition(Client client) throws Exception {
		TokenManager manager = manager();
		enqueueChallenge("n-1");
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(),
				"GET", url("/accounts"), this.clock.instant(), "at-1", null);
		RecordedRequest retried = this.server.takeRequest();
		assertThat(retried.getHeaders().get("Authorization")).isEqualTo("DPoP at-1");
		DpopProofCheck.check(retried.getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(), "GET",
				url("/accounts"), this.clock.instant(), "at-1", "n-1");
		assertThat(this.obtains).hasValue(1);
		assertThat(this.retries).hasValue(0);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenSecondNonceChallengeThenCallerGetsItAndTokenIsNotStruck(Client client) throws Exception {
		TokenManager manager = manager();
		enqueueChallenge("n-1");
		enqueueChallenge("n-2");
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(401);
		assertThat(this.server.getRequestCount()).isEqualTo(2);
		assertThat(this.obtains).hasValue(1);
		// the next request uses the same token with the latest nonce
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		this.server.takeRequest();
		this.server.takeRequest();
		DpopProofCheck.check(this.server.takeRequest().getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(),
				"GET", url("/accounts"), this.clock.instant(), "at-1", "n-2");
		assertThat(this.obtains).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenRejectedThenReplayedOnceWithNewTokenAndNewProof(Client client) throws Exception {
		TokenManager manager = manager();
		enqueueRejection();
		enqueueChallenge("n-1");
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(this.obtains).hasValue(2);
		assertThat(this.retries).hasValue(1);
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("DPoP at-1");
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("DPoP at-2");
		RecordedRequest last = this.server.takeRequest();
		DpopProofCheck.check(last.getHeaders().get("DPoP"), "ES256", this.proofs.getThumbprint(), "GET",
				url("/accounts"), this.clock.instant(), "at-2", "n-1");
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenReplayEndedInChallengeThenLaterRejectionIsStillReacquired(Client client) throws Exception {
		TokenManager manager = manager();
		enqueueRejection();
		enqueueChallenge("n-1");
		enqueueChallenge("n-2");
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(401);
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(this.obtains).hasValue(2);
		// the challenge said nothing of at-2: its rejection is a first one, not a strike
		enqueueRejection();
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		assertThat(this.obtains).hasValue(3);
		assertThat(this.retries).hasValue(2);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenStoredTokenBoundToAnotherKeyThenReplacedBeforeItIsSent(Client client) throws Exception {
		TokenManager manager = manager();
		AccessToken other = AccessToken.withValue("at-other")
			.tokenType("DPoP")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.keyThumbprint(DpopProofs.withGeneratedKey(this.clock).getThumbprint())
			.build();
		manager.save(TokenKey.of("api"), other).block(Duration.ofSeconds(5));
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		assertThat(this.server.takeRequest().getHeaders().get("Authorization")).isEqualTo("DPoP at-1");
		assertThat(this.obtains).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenStoredTokenWasAcquiredWithoutDpopThenReplacedBeforeItIsSent(Client client) throws Exception {
		TokenManager manager = manager();
		AccessToken before = AccessToken.withValue("at-before")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.build();
		manager.save(TokenKey.of("api"), before).block(Duration.ofSeconds(5));
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("DPoP at-1");
		assertThat(request.getHeaders().get("DPoP")).isNotNull();
		assertThat(this.obtains).hasValue(1);
	}

	@ParameterizedTest
	@EnumSource(Client.class)
	void requestWhenBearerTokenThenNoProof(Client client) throws Exception {
		this.tokenType = "Bearer";
		TokenManager manager = manager();
		enqueue(200);
		assertThat(client.get(this, manager, url("/accounts"))).isEqualTo(200);
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer at-1");
		assertThat(request.getHeaders().get("DPoP")).isNull();
	}

	@Test
	void webClientWhenOuterFilterRetriesThenEachSubscriptionMeetsItsOwnChallenge() {
		TokenManager manager = manager();
		enqueueChallenge("n-1");
		enqueue(503);
		enqueueChallenge("n-2");
		enqueue(200);
		ExchangeFilterFunction retryOn503 = (request, next) -> next.exchange(request)
			.flatMap((response) -> (response.statusCode().value() != 503) ? Mono.just(response)
					: response.releaseBody().then(Mono.<ClientResponse>error(new IllegalStateException("503"))))
			.retry(1);
		int status = WebClient.builder()
			.filter(retryOn503)
			.filter(new BearerTokenExchangeFilterFunction(manager, "api"))
			.build()
			.get()
			.uri(url("/accounts"))
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(Duration.ofSeconds(10));
		assertThat(status).isEqualTo(200);
		assertThat(this.server.getRequestCount()).isEqualTo(4);
		assertThat(this.obtains).hasValue(1);
	}

	private TokenManager manager() {
		TokenSource source = (key) -> Mono.fromSupplier(() -> {
			int n = this.obtains.incrementAndGet();
			return this.proofs.bind(AccessToken.withValue("at-" + n)
				.tokenType(this.tokenType)
				.issuedAt(this.clock.instant())
				.expiresAt(this.clock.instant().plusSeconds(600))
				.build());
		});
		return new TokenManager(
				List.of(new TokenRegistration("api", source, TokenRegistration.DEFAULT_REFRESH_SKEW, null,
						this.proofs.authorizer())),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
	}

	private TokenEventListener retryCounter() {
		return new TokenEventListener() {

			@Override
			public void retried(String registrationId) {
				DpopResourceWireTests.this.retries.incrementAndGet();
			}

		};
	}

	private void enqueue(int status) {
		this.server.enqueue(new MockResponse.Builder().code(status).body("{}").build());
	}

	private void enqueueRejection() {
		this.server.enqueue(new MockResponse.Builder().code(401)
			.addHeader("WWW-Authenticate", "DPoP error=\"invalid_token\"")
			.build());
	}

	private void enqueueChallenge(String nonce) {
		this.server.enqueue(new MockResponse.Builder().code(401)
			.addHeader("WWW-Authenticate", CHALLENGE)
			.addHeader("DPoP-Nonce", nonce)
			.build());
	}

	private String url(String path) {
		return this.server.url(path).toString();
	}

	enum Client {

		WEB_CLIENT {
			@Override
			int get(DpopResourceWireTests test, TokenManager manager, String url) {
				return WebClient.builder()
					.filter(new BearerTokenExchangeFilterFunction(manager, "api", test.retryCounter()))
					.build()
					.get()
					.uri(url)
					.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
					.block(Duration.ofSeconds(10));
			}
		},

		REST_CLIENT {
			@Override
			int get(DpopResourceWireTests test, TokenManager manager, String url) {
				return RestClient.builder()
					.requestInterceptor(
							new BearerTokenClientHttpRequestInterceptor(manager, "api", test.retryCounter()))
					.build()
					.get()
					.uri(url)
					.exchange((request, response) -> response.getStatusCode().value(), true);
			}
		};

		abstract int get(DpopResourceWireTests test, TokenManager manager, String url);

	}

}
