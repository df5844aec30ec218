package io.tokenkit.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instance 0 refreshes (rotating rt-1 into rt-2) while instance 1 removes the token: both
 * rt-1 and the rotated rt-2 are revoked at the server, none left alive.
 */
class RedisRemoveDuringRefreshTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final MockWebServer server = new MockWebServer();

	private final List<String> revoked = new CopyOnWriteArrayList<>();

	private final CountDownLatch refreshing = new CountDownLatch(1);

	private final CountDownLatch thaw = new CountDownLatch(1);

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
				String body = URLDecoder.decode(request.getBody().utf8(), StandardCharsets.UTF_8);
				if ("/oauth2/revoke".equals(request.getUrl().encodedPath())) {
					RedisRemoveDuringRefreshTests.this.revoked.add(body);
					return new MockResponse.Builder().code(200).build();
				}
				RedisRemoveDuringRefreshTests.this.refreshing.countDown();
				RedisRemoveDuringRefreshTests.this.thaw.await(20, TimeUnit.SECONDS);
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":300,"
							+ "\"refresh_token\":\"rt-2\"}")
					.build();
			}
		});
		this.server.start();
		for (int i = 0; i < 2; i++) {
			this.instances.add(TokenKitInstances.start(redisServer.port(), clock,
					"tokenkit.registrations.users.grant-type=refresh_token",
					"tokenkit.registrations.users.token-uri=" + this.server.url("/oauth2/token"),
					"tokenkit.registrations.users.revocation-uri=" + this.server.url("/oauth2/revoke"),
					"tokenkit.registrations.users.client-id=users-app",
					"tokenkit.registrations.users.client-secret=users-secret", "tokenkit.token-calls.max-retries=0",
					"tokenkit.store.subject-key=test-subject-key-0123456789abcdef"));
		}
		this.instances.get(0)
			.getBean(ReactiveStringRedisTemplate.class)
			.execute((connection) -> connection.serverCommands().flushAll())
			.blockLast();
	}

	@AfterEach
	void stop() {
		this.thaw.countDown();
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.server.close();
	}

	@Test
	void removeOnOtherInstanceWhileRefreshInFlightThenNoLiveRefreshTokenLeft() throws Exception {
		TokenKey alice = TokenKey.of("users", "alice");
		manager(0)
			.save(alice,
					AccessToken.withValue("at-1")
						.issuedAt(clock.instant())
						.expiresAt(clock.instant().plusSeconds(300))
						.refreshToken("rt-1")
						.build())
			.block(Duration.ofSeconds(10));
		CompletableFuture<AccessToken> refreshed = manager(0).refresh(alice).toFuture();
		assertThat(this.refreshing.await(10, TimeUnit.SECONDS)).isTrue();
		manager(1).remove(alice).block(Duration.ofSeconds(10));
		this.thaw.countDown();
		try {
			refreshed.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			// whatever the waiter gets
		}
		manager(0).close();
		manager(1).close();
		assertThat(manager(1).getHeldToken(alice).blockOptional()).isEmpty();
		assertThat(this.revoked).as("revocations sent").anyMatch((body) -> body.contains("token=rt-1"));
		assertThat(this.revoked).as("revocations sent").anyMatch((body) -> body.contains("token=rt-2"));
	}

	private TokenManager manager(int index) {
		return this.instances.get(index).getBean(TokenManager.class);
	}

}
