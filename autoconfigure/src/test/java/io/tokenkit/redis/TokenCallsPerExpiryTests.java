package io.tokenkit.redis;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.test.MockTokenServer;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three instances (application contexts) on one real {@code redis-server}, on the system
 * clock, with 2 s {@code client_credentials} tokens whose Redis keys really expire,
 * against a loopback token endpoint answering after 200 ms: one token call per expiry.
 * Before generations were unique across a key's lives, this gave {@code [2, 1, 2]}: Redis
 * dropped the expired key with its generation, the next write started again at 1, and an
 * instance whose expired copy was also at 1 took it for the newest and refreshed it.
 */
class TokenCallsPerExpiryTests {

	/**
	 * The mock token server's registration whose endpoint serves both TokenKit
	 * registrations.
	 */
	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey APP = TokenKey.of("orders");

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private MockTokenServer tokenServer;

	@AfterEach
	void stop() throws Exception {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
		if (this.tokenServer != null) {
			this.tokenServer.close();
		}
	}

	@Test
	void threeInstancesWith100ConcurrentRequestsEachJustAfterRealExpiryThenOneTokenCallPerExpiry() throws Exception {
		this.tokenServer = MockTokenServer.start();
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(2));
		this.tokenServer.registration(TOKEN_ENDPOINT).delay(Duration.ofMillis(200));
		for (int i = 0; i < 3; i++) {
			this.instances.add(TokenKitInstances.start(redisServer.port(), this.tokenServer.tokenUri(TOKEN_ENDPOINT),
					Clock.systemUTC(), "tokenkit.store.redis.key-prefix=expiry:", "tokenkit.allow-insecure-http=true"));
		}
		ReactiveStringRedisTemplate redis = this.instances.get(0).getBean(ReactiveStringRedisTemplate.class);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> redis.convertAndSend("expiry:changes", "X 0 nothing").block() >= 3);
		List<TokenManager> managers = this.instances.stream()
			.map((context) -> context.getBean(TokenManager.class))
			.toList();
		ExpiryWaves waves = new ExpiryWaves(managers, Duration.ofMillis(300), Duration.ofMillis(50), 100);
		List<Integer> calls = waves.run(APP, () -> this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials"),
				3);
		assertThat(calls).as("token calls per expiry: %s", waves.log()).containsExactly(1, 1, 1);
	}

}
