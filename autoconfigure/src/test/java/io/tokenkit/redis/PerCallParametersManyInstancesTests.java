package io.tokenkit.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.test.MockTokenServer;
import io.tokenkit.test.TokenRequest;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenParameters;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Per-call {@link TokenParameters} across three instances of one application on one real
 * {@code redis-server}: one token call per parameter set however many requests on however
 * many instances, each token served only for the parameters it was asked for.
 */
class PerCallParametersManyInstancesTests {

	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey ORDERS = TokenKey.of("orders");

	static final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private MockTokenServer tokenServer;

	@BeforeEach
	void start() {
		this.tokenServer = MockTokenServer.start();
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(600)).delay(Duration.ofMillis(200));
		clock.set(Instant.parse("2026-12-07T10:00:00Z"));
		for (int i = 0; i < 3; i++) {
			this.instances.add(TokenKitInstances.start(redisServer.port(), this.tokenServer.tokenUri(TOKEN_ENDPOINT),
					clock, "tokenkit.store.redis.lease-time=2s", "tokenkit.allow-insecure-http=true"));
		}
		template().execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		await().atMost(Duration.ofSeconds(5))
			.until(() -> template().convertAndSend("tokenkit:changes", "X 0 nothing").block() >= 3);
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
		this.tokenServer.close();
	}

	@Test
	void fiveHundredConcurrentCallsOnThreeInstancesWithTheSameParametersMakeOneTokenCall() {
		TokenParameters parameters = TokenParameters.scopes("orders.read", "orders.write");
		Map<TokenParameters, String> served = concurrently(500, List.of(parameters));
		assertThat(served).containsOnlyKeys(parameters).doesNotContainValue("two tokens");
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials")).isOne();
		assertThat(this.tokenServer.requests(TOKEN_ENDPOINT)).singleElement()
			.extracting(TokenRequest::scopes)
			.isEqualTo(List.of("orders.read", "orders.write"));
	}

	@Test
	void fiveHundredConcurrentCallsOnThreeInstancesWithThreeParameterSetsMakeThreeTokenCalls() {
		List<TokenParameters> sets = List.of(TokenParameters.scopes("orders.read"),
				TokenParameters.scopes("orders.write"), TokenParameters.scopes("orders.write", "orders.read"));
		Map<TokenParameters, String> served = concurrently(500, sets);
		assertThat(served).containsOnlyKeys(sets).doesNotContainValue("two tokens");
		assertThat(served.values()).doesNotHaveDuplicates();
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials")).isEqualTo(3);
		assertThat(this.tokenServer.requests(TOKEN_ENDPOINT)).extracting((request) -> request.parameter("scope"))
			.containsExactlyInAnyOrder("orders.read", "orders.write", "orders.read orders.write");
	}

	@Test
	void removeAllOnOneInstanceRemovesEveryParameterSetEverywhere() {
		List<TokenParameters> sets = List.of(TokenParameters.NONE, TokenParameters.scopes("orders.read"),
				TokenParameters.scopes("orders.write"));
		concurrently(30, sets);
		manager(0).removeAll("orders", null).block();
		for (TokenParameters parameters : sets) {
			await().atMost(Duration.ofSeconds(2))
				.until(() -> manager(1).getCachedToken(ORDERS.withParameters(parameters)) == null
						&& manager(2).getCachedToken(ORDERS.withParameters(parameters)) == null);
		}
		concurrently(30, sets);
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials")).isEqualTo(6);
	}

	/**
	 * Make {@code calls} requests at once, spread over the instances and parameter sets,
	 * checking that each token's granted scopes are its key's; answer the token value
	 * served per parameter set ("two tokens" if there were several).
	 */
	private Map<TokenParameters, String> concurrently(int calls, List<TokenParameters> sets) {
		Map<TokenParameters, String> served = new ConcurrentHashMap<>();
		List<AccessToken> tokens = Flux.range(0, calls).flatMap((i) -> {
			TokenParameters parameters = sets.get(i % sets.size());
			return manager(i % 3).getToken(ORDERS.withParameters(parameters))
				.subscribeOn(Schedulers.parallel())
				.doOnNext((token) -> {
					if (!parameters.isEmpty()) {
						assertThat(token.getScopes()).isEqualTo(parameters.getScopes());
					}
					served.merge(parameters, token.getTokenValue(), (a, b) -> a.equals(b) ? a : "two tokens");
				});
		}, calls).collectList().block(Duration.ofSeconds(30));
		assertThat(tokens).hasSize(calls);
		return served;
	}

	private TokenManager manager(int index) {
		return this.instances.get(index).getBean(TokenManager.class);
	}

	private ReactiveStringRedisTemplate template() {
		return this.instances.get(0).getBean(ReactiveStringRedisTemplate.class);
	}

}
