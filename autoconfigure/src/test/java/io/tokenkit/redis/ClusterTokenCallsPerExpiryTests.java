package io.tokenkit.redis;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.test.MockTokenServer;
import io.tokenkit.testsupport.RedisCluster;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link TokenCallsPerExpiryTests} on a three-master Redis Cluster: three
 * {@code client_credentials} registrations whose keys sit on three different masters,
 * each with its own loopback token endpoint answering after 200 ms, 2 s tokens whose keys
 * really expire, three instances: one token call per expiry and registration. The change
 * channel's messages are published on the master of each key and broadcast by the cluster
 * to the node each instance listens on.
 */
class ClusterTokenCallsPerExpiryTests {

	/**
	 * The mock token server's registration whose endpoint serves both TokenKit
	 * registrations.
	 */
	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisCluster cluster = new RedisCluster();

	private static final String PREFIX = "cluster-expiry:";

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private final Map<String, MockTokenServer> tokenServers = new LinkedHashMap<>();

	@AfterEach
	void stop() throws Exception {
		this.instances.forEach(ConfigurableApplicationContext::close);
		for (MockTokenServer server : this.tokenServers.values()) {
			server.close();
		}
	}

	@Test
	void threeRegistrationsOnThreeMastersThenOneTokenCallPerExpiryEach() throws Exception {
		List<String> registrations = onThreeMasters();
		List<String> properties = new ArrayList<>(List.of("spring.data.redis.cluster.nodes=" + cluster.nodes(),
				"tokenkit.store.redis.key-prefix=" + PREFIX, "tokenkit.allow-insecure-http=true"));
		for (String id : registrations) {
			MockTokenServer server = MockTokenServer.start();
			server.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(2));
			server.registration(TOKEN_ENDPOINT).delay(Duration.ofMillis(200));
			this.tokenServers.put(id, server);
			properties.addAll(List.of("tokenkit.registrations." + id + ".grant-type=client_credentials",
					"tokenkit.registrations." + id + ".token-uri=" + server.tokenUri(TOKEN_ENDPOINT),
					"tokenkit.registrations." + id + ".client-id=" + id + "-app",
					"tokenkit.registrations." + id + ".client-secret=" + id + "-secret"));
		}
		String anyTokenUri = this.tokenServers.values().iterator().next().tokenUri(TOKEN_ENDPOINT);
		for (int i = 0; i < 3; i++) {
			this.instances.add(TokenKitInstances.start(cluster.ports().get(0), anyTokenUri, Clock.systemUTC(),
					properties.toArray(String[]::new)));
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> subscribers() >= 3);
		List<TokenManager> managers = this.instances.stream()
			.map((context) -> context.getBean(TokenManager.class))
			.toList();
		Map<String, List<Integer>> calls = new ConcurrentHashMap<>();
		Map<String, List<String>> logs = new ConcurrentHashMap<>();
		ExecutorService registrationsAtOnce = Executors.newFixedThreadPool(registrations.size());
		try {
			List<Future<?>> runs = new ArrayList<>();
			for (String id : registrations) {
				runs.add(registrationsAtOnce.submit(() -> {
					ExpiryWaves waves = new ExpiryWaves(managers, Duration.ofMillis(300), Duration.ofMillis(50), 100);
					calls.put(id, waves.run(TokenKey.of(id),
							() -> this.tokenServers.get(id).tokenCalls(TOKEN_ENDPOINT, "client_credentials"), 3));
					logs.put(id, waves.log());
					return null;
				}));
			}
			for (Future<?> run : runs) {
				run.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			registrationsAtOnce.shutdownNow();
		}
		for (String id : registrations) {
			assertThat(calls.get(id)).as("token calls per expiry of %s: %s", id, logs.get(id)).containsExactly(1, 1, 1);
		}
		// a save on one instance reaches the others through the cluster's pub/sub
		TokenKey first = TokenKey.of(registrations.get(0));
		AccessToken saved = AccessToken.withValue("saved-on-instance-0")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(60))
			.build();
		managers.get(0).save(first, saved).block(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(2)).until(() -> managers.stream().skip(1).allMatch((manager) -> {
			AccessToken held = manager.getCachedToken(first);
			return held == null || held.equals(saved);
		}));
	}

	/** Registration ids whose Redis keys sit on three different masters. */
	private static List<String> onThreeMasters() throws Exception {
		Map<Integer, String> byMaster = new LinkedHashMap<>();
		for (int i = 0; byMaster.size() < 3 && i < 100; i++) {
			String id = "reg" + i;
			byMaster.putIfAbsent(
					cluster.masterOf(new StoreKeys(PREFIX, new SubjectHasher(null)).redisKey(TokenKey.of(id))), id);
		}
		Set<Integer> masters = new LinkedHashSet<>(byMaster.keySet());
		assertThat(masters).hasSize(3);
		return List.copyOf(byMaster.values());
	}

	/** Listeners of the change channel over every node of the cluster. */
	private static long subscribers() throws Exception {
		long total = 0;
		for (int port : cluster.ports()) {
			String[] lines = cluster.cli(port, "pubsub", "numsub", PREFIX + "changes").trim().split("\n");
			total += Long.parseLong(lines[lines.length - 1].trim());
		}
		return total;
	}

}
