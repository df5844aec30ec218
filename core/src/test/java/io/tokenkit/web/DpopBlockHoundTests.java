package io.tokenkit.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DPoP under BlockHound, with Reactor Netty on loopback: a proof is made on a Reactor
 * thread for each token call and for each request of the bearer filter (in the request's
 * before-commit action), and making one never blocks (no read of {@code /dev/urandom}).
 * Runs in the {@code blockhound} Surefire execution.
 */
class DpopBlockHoundTests {

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private final DpopProofs proofs = DpopProofs.withGeneratedKey(this.clock);

	private final AtomicInteger tokenCalls = new AtomicInteger();

	private final AtomicInteger apiCalls = new AtomicInteger();

	private OAuth2TokenClient client;

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				boolean proved = request.getHeaders().get("DPoP") != null;
				if ("/token".equals(request.getUrl().encodedPath())) {
					int n = DpopBlockHoundTests.this.tokenCalls.incrementAndGet();
					return new MockResponse.Builder().addHeader("Content-Type", "application/json")
						.body("{\"access_token\":\"at-" + n + "\",\"token_type\":\"DPoP\",\"expires_in\":300}")
						.build();
				}
				// the first request meets a nonce challenge: its retry makes a proof too
				if (DpopBlockHoundTests.this.apiCalls.getAndIncrement() == 0) {
					return new MockResponse.Builder().code(401)
						.addHeader("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\"")
						.addHeader("DPoP-Nonce", "n-1")
						.build();
				}
				return new MockResponse.Builder().code(proved ? 200 : 400).build();
			}
		});
		this.server.start();
		this.client = new OAuth2TokenClient(WebClient.create(), URI.create(this.server.url("/token").toString()), "app",
				"secret", ClientAuthenticationMethod.BASIC, "api", "oauth2", TokenRequestObserver.NOOP)
			.withDpop(this.proofs);
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void tokenCallWhenSubscribedOnParallelThenProofMadeWithoutBlocking() {
		ClientCredentialsTokenSource source = new ClientCredentialsTokenSource(this.client, List.of(), Map.of(),
				this.clock);
		AccessToken token = source.obtain(TokenKey.of("api"))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(10));
		assertThat(token.getTokenType()).isEqualTo("DPoP");
		assertThat(token.getKeyThumbprint()).isEqualTo(this.proofs.getThumbprint());
	}

	@Test
	void filterWhenDpopRequestsOverReactorNettyThenProofsMadeWithoutBlocking() {
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("api",
						new ClientCredentialsTokenSource(this.client, List.of(), Map.of(), this.clock),
						TokenRegistration.DEFAULT_REFRESH_SKEW, null, this.proofs.authorizer())),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(10));
		WebClient webClient = WebClient.builder().filter(new BearerTokenExchangeFilterFunction(manager, "api")).build();
		String url = this.server.url("/accounts").toString();
		List<ResponseEntity<Void>> responses = Flux.range(0, 20)
			.concatMap((i) -> webClient.get().uri(url).retrieve().toBodilessEntity().subscribeOn(Schedulers.parallel()))
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(responses).hasSize(20).allSatisfy((r) -> assertThat(r.getStatusCode()).isEqualTo(HttpStatus.OK));
		assertThat(this.tokenCalls).hasValue(1);
		assertThat(this.apiCalls).hasValue(21);
	}

}
