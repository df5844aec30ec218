package io.tokenkit.web;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A token call made for a request is traced under that request: the
 * {@code tokenkit.token.requests} observation is a child of the request's
 * {@code http.client.requests} observation, although the acquisition itself runs detached
 * so that it can be shared.
 */
class TokenCallTracingTests {

	private final MockWebServer server = new MockWebServer();

	private final TestObservationRegistry registry = TestObservationRegistry.create();

	private final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.registry.observationConfig().observationHandler(new ObservationHandler<>() {

			@Override
			public void onStop(Observation.Context context) {
				TokenCallTracingTests.this.stopped.add(context);
			}

			@Override
			public boolean supportsContext(Observation.Context context) {
				return true;
			}

		});
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void tokenCallWhenMadeForARequestThenObservedUnderThatRequest() {
		this.server.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json")
			.body("{\"access_token\":\"at-1\",\"expires_in\":300}")
			.build());
		this.server.enqueue(new MockResponse.Builder().body("orders").build());
		OAuth2TokenClient tokenClient = new OAuth2TokenClient(WebClient.create(),
				URI.create(this.server.url("/token").toString()), "app", "secret", ClientAuthenticationMethod.BASIC,
				"orders", "oauth2", new TokenRequestObserver(this.registry, null));
		TokenManager manager = new TokenManager(
				List.of(TokenRegistration.of("orders",
						new ClientCredentialsTokenSource(tokenClient, List.of(), Map.of(),
								java.time.Clock.systemUTC()))),
				new InMemoryTokenStore(), java.time.Clock.systemUTC(), TokenEventListener.NONE, Duration.ofSeconds(5));
		WebClient orders = WebClient.builder()
			.observationRegistry(this.registry)
			.filter(new BearerTokenExchangeFilterFunction(manager, "orders"))
			.build();
		assertThat(orders.get()
			.uri(this.server.url("/orders").uri())
			.retrieve()
			.bodyToMono(String.class)
			.block(Duration.ofSeconds(5))).isEqualTo("orders");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.stopped.size() == 2);
		Observation.Context tokenCall = this.stopped.stream()
			.filter((context) -> "tokenkit.token.requests".equals(context.getName()))
			.findFirst()
			.orElseThrow();
		assertThat(tokenCall.getParentObservation()).isNotNull();
		Observation.ContextView parent = tokenCall.getParentObservation().getContextView();
		assertThat(parent.getName()).isEqualTo("http.client.requests");
		assertThat(parent.getHighCardinalityKeyValue("http.url").getValue()).endsWith("/orders");
	}

}
