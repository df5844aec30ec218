package io.tokenkit.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import mockwebserver3.MockResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockHound;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.testsupport.MetadataServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * First token calls of registrations whose token endpoint comes from their issuer's
 * metadata, made from Reactor threads under BlockHound: the metadata fetch, its single
 * flight and its failures block no Reactor thread. Runs in its own JVM (see the
 * {@code blockhound} Surefire execution) because BlockHound instruments the JDK.
 */
class DiscoveryBlockHoundTests {

	private static final String OPENID_CONFIGURATION = "/.well-known/openid-configuration";

	private final MetadataServer server = new MetadataServer();

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private TokenManager manager;

	@BeforeAll
	static void installBlockHound() {
		BlockHound.install();
	}

	@BeforeEach
	void start() throws Exception {
		this.server.start();
		this.server.json("/oauth2/token", "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
		ServerMetadataRegistry registry = ServerMetadataRegistry.withClient(
				() -> new ServerMetadataClient(WebClient.create(), TokenCallPolicy.DEFAULT, false),
				Duration.ofSeconds(30), this.clock);
		this.manager = manager(registry);
	}

	@AfterEach
	void stop() {
		this.server.stop();
	}

	/**
	 * Make first token calls from Reactor threads. A call that fails because the metadata
	 * could not be had is dropped; any other failure, and one whose cause chain holds
	 * BlockHound's {@link BlockingOperationError} (which {@link IssuerMetadata} wraps in
	 * a {@link ServerMetadataException}), fails the flux.
	 */
	private Flux<AccessToken> firstCalls(TokenManager manager, int count) {
		List<String> ids = List.of("orders", "billing", "stock");
		return Flux.range(0, count)
			.flatMap((i) -> manager.getToken(TokenKey.of(ids.get(i % ids.size())))
				.onErrorResume((ex) -> causes(ex).anyMatch(ServerMetadataException.class::isInstance)
						&& causes(ex).noneMatch(BlockingOperationError.class::isInstance), (ex) -> Mono.empty())
				.subscribeOn(Schedulers.parallel()), count);
	}

	private static Stream<Throwable> causes(Throwable error) {
		return Stream.iterate(error, Objects::nonNull, Throwable::getCause).limit(20);
	}

	private TokenManager manager(ServerMetadataRegistry registry) {
		List<TokenRegistration> registrations = List.of("orders", "billing", "stock")
			.stream()
			.map((id) -> TokenRegistration.of(id,
					new ClientCredentialsTokenSource(new OAuth2TokenClient(WebClient.create(),
							new DiscoveredEndpoint(id, registry.forIssuer(this.server.url("")), false,
									ServerMetadata::tokenEndpoint),
							ClientAuthentication.clientSecretBasic(id + "-app", "s3cret"), id, "oauth2",
							TokenRequestObserver.NOOP), List.of(), Map.of(), this.clock)))
			.toList();
		return new TokenManager(registrations, new InMemoryTokenStore(), this.clock, TokenEventListener.NONE,
				Duration.ofSeconds(10));
	}

	@Test
	void firstCallsWhenOnReactorThreadsThenOneMetadataFetchAndNoBlockingCall() {
		this.server.answer(OPENID_CONFIGURATION,
				new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"issuer\":\"" + this.server.url("") + "\",\"token_endpoint\":\""
							+ this.server.url("/oauth2/token") + "\"}")
					.headersDelay(100, TimeUnit.MILLISECONDS)
					.build());
		List<AccessToken> tokens = firstCalls(this.manager, 300).collectList().block(Duration.ofSeconds(30));
		assertThat(tokens).hasSize(300);
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
		assertThat(this.server.count("/oauth2/token")).isEqualTo(3);
	}

	@Test
	void firstCallsWhenMetadataFailsOnReactorThreadsThenOneFetchAndNoBlockingCall() {
		this.server.answer(OPENID_CONFIGURATION, MetadataServer.json(503, "{}"));
		assertThat(firstCalls(this.manager, 300).collectList().block(Duration.ofSeconds(30))).isEmpty();
		assertThat(this.server.count(OPENID_CONFIGURATION)).isEqualTo(1);
		assertThat(this.server.count("/oauth2/token")).isZero();
	}

	@Test
	void firstCallsWhenMetadataFetchBlocksThenTheBlockingCallFailsTheseTests() {
		ServerMetadataRegistry blocking = new ServerMetadataRegistry(
				(issuer) -> Mono.delay(Duration.ofMillis(1)).flatMap((tick) -> {
					try {
						// the blocking call itself, on a Reactor thread: BlockHound must
						// catch it
						Thread.sleep(1);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return Mono.error(new IllegalStateException("not reached"));
				}), Duration.ofSeconds(5), Duration.ofSeconds(30), this.clock);
		assertThatExceptionOfType(Throwable.class)
			.isThrownBy(() -> firstCalls(manager(blocking), 30).collectList().block(Duration.ofSeconds(30)))
			.satisfies((ex) -> assertThat(causes(ex)).hasAtLeastOneElementOfType(BlockingOperationError.class));
	}

}
