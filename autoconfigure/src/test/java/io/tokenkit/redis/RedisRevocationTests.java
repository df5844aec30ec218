package io.tokenkit.redis;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

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
 * Revocation on remove with two instances on one real {@code redis-server}: only the
 * instance whose removal took the token out of Redis revokes it, so one removal, or two
 * at once on both instances, sends one revocation; a removal on the instance that never
 * held a local copy revokes the token the other saved.
 */
class RedisRevocationTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final MockWebServer server = new MockWebServer();

	private final List<String> revoked = new CopyOnWriteArrayList<>();

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	@BeforeEach
	void start() throws Exception {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				if ("/oauth2/revoke".equals(request.getUrl().encodedPath())) {
					RedisRevocationTests.this.revoked.add(request.getBody().utf8());
					return new MockResponse.Builder().code(200).build();
				}
				return new MockResponse.Builder().code(404).build();
			}
		});
		this.server.start();
		for (int i = 0; i < 2; i++) {
			this.instances.add(TokenKitInstances.start(redisServer.port(), clock,
					"tokenkit.registrations.users.grant-type=refresh_token",
					"tokenkit.registrations.users.token-uri=" + this.server.url("/oauth2/token"),
					"tokenkit.registrations.users.revocation-uri=" + this.server.url("/oauth2/revoke"),
					"tokenkit.registrations.users.client-id=users-app",
					"tokenkit.registrations.users.client-secret=users-secret",
					"tokenkit.store.subject-key=test-subject-key-0123456789abcdef"));
		}
		this.instances.get(0)
			.getBean(ReactiveStringRedisTemplate.class)
			.execute((connection) -> connection.serverCommands().flushAll())
			.blockLast();
	}

	@AfterEach
	void stop() {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.server.close();
	}

	@Test
	void removeOnOtherInstanceThenThatInstanceRevokesOnce() {
		TokenKey alice = TokenKey.of("users", "alice");
		manager(0).save(alice, token("rt-alice")).block(Duration.ofSeconds(10));
		manager(1).remove(alice).block(Duration.ofSeconds(10));
		// close waits for the revocations in flight
		manager(0).close();
		manager(1).close();
		assertThat(this.revoked).containsExactly("token=rt-alice&token_type_hint=refresh_token");
		assertThat(manager(0).getHeldToken(alice).blockOptional()).isEmpty();
	}

	@Test
	void removeOnBothInstancesAtOnceThenOneRevocationPerToken() {
		int users = 20;
		for (int i = 0; i < users; i++) {
			TokenKey user = TokenKey.of("users", "user-" + i);
			manager(i % 2).save(user, token("rt-" + i)).block(Duration.ofSeconds(10));
			// both instances remove the user's token at once
			Mono.when(manager(0).remove(user).subscribeOn(Schedulers.parallel()),
					manager(1).remove(user).subscribeOn(Schedulers.parallel()))
				.block(Duration.ofSeconds(10));
		}
		manager(0).close();
		manager(1).close();
		assertThat(this.revoked).hasSize(users);
		assertThat(this.revoked.stream().map((body) -> URLDecoder.decode(body, StandardCharsets.UTF_8)).distinct())
			.hasSize(users);
	}

	@Test
	void removeWhenNothingStoredThenNoRevocation() {
		manager(0).remove(TokenKey.of("users", "nobody")).block(Duration.ofSeconds(10));
		manager(1).remove(TokenKey.of("users", "nobody")).block(Duration.ofSeconds(10));
		manager(0).close();
		manager(1).close();
		assertThat(this.revoked).isEmpty();
	}

	private TokenManager manager(int index) {
		return this.instances.get(index).getBean(TokenManager.class);
	}

	private static AccessToken token(String refreshToken) {
		return AccessToken.withValue("at-" + refreshToken)
			.issuedAt(clock.instant())
			.expiresAt(clock.instant().plusSeconds(300))
			.refreshToken(refreshToken)
			.build();
	}

}
