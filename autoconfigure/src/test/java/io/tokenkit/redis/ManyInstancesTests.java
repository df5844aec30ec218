package io.tokenkit.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.test.MockTokenServer;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.testsupport.TokenKitInstances;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Three instances of one application, each an application context configured by
 * properties, on one real {@code redis-server}, against a token endpoint that enforces
 * single-use refresh tokens and ends the user's session on reuse, as Keycloak does.
 */
class ManyInstancesTests {

	/**
	 * The mock token server's registration whose endpoint serves both TokenKit
	 * registrations.
	 */
	private static final String TOKEN_ENDPOINT = "oauth2";

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey APP = TokenKey.of("orders");

	private static final TokenKey ALICE = TokenKey.of("users", "alice");

	/** One clock for every instance, so that tokens expire everywhere at once. */
	static final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final List<ConfigurableApplicationContext> instances = new ArrayList<>();

	private MockTokenServer tokenServer;

	@BeforeEach
	void start() throws Exception {
		this.tokenServer = MockTokenServer.start();
		clock.set(Instant.parse("2026-11-23T10:00:00Z"));
		for (int i = 0; i < 3; i++) {
			this.instances.add(instance());
		}
		template(this.instances.get(0)).execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		// every instance listens to the change channel before the test begins
		await().atMost(Duration.ofSeconds(5)).until(() -> subscribers() >= 3);
	}

	@AfterEach
	void stop() throws Exception {
		this.instances.forEach(ConfigurableApplicationContext::close);
		this.instances.clear();
		this.tokenServer.close();
	}

	@Test
	void threeInstancesWith300ConcurrentRequestsEachAtExpiryThenOneTokenCallPerExpiry() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(600));
		AtomicReference<String> agreed = new AtomicReference<>();
		for (int round = 1; round <= 10; round++) {
			boolean refreshWindow = round > 1 && round % 2 == 1;
			if (round > 1) {
				// the current token was issued at the clock's present time
				clock.advance(refreshWindow ? Duration.ofSeconds(600 - 20) : Duration.ofSeconds(601));
			}
			List<AccessToken> tokens = requestsFromAllInstances(APP, 300);
			assertThat(tokens).hasSize(900);
			int expected = round;
			if (refreshWindow) {
				// every instance still serves its token, and one refreshes it in the
				// background
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials") == expected
							&& newTokenEverywhere(APP, agreed));
			}
			else {
				assertThat(tokens.stream().map(AccessToken::getTokenValue).distinct()).as("round %d", round).hasSize(1);
				agreed.set(tokens.get(0).getTokenValue());
			}
			assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials"))
				.as("token calls after round %d", round)
				.isEqualTo(round);
		}
	}

	@Test
	void oneUsersTokenRotated100TimesWhileThreeInstancesSendRequestsThenNoRefreshTokenIsRedeemedTwice() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(300));
		manager(0).save(ALICE, firstToken(grant())).block();
		AtomicInteger failures = new AtomicInteger();
		AtomicReference<String> agreed = new AtomicReference<>("at-first");
		for (int rotation = 1; rotation <= 100; rotation++) {
			clock.advance((rotation % 2 == 0) ? Duration.ofSeconds(301) : Duration.ofSeconds(290));
			List<AccessToken> tokens = Flux.range(0, 30)
				.flatMap(
						(i) -> manager(i % 3).getToken(ALICE).subscribeOn(Schedulers.parallel()).onErrorResume((ex) -> {
							failures.incrementAndGet();
							return Mono.empty();
						}))
				.collectList()
				.block(Duration.ofSeconds(20));
			assertThat(tokens).isNotEmpty();
			int expected = rotation;
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token") == expected);
			await().atMost(Duration.ofSeconds(10)).until(() -> newTokenEverywhere(ALICE, agreed));
		}
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(100);
		assertThat(this.tokenServer.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isZero();
		assertThat(failures.get()).isZero();
	}

	@Test
	void idleUserForThreeLifetimesThenOneRequestOnAnotherInstanceRefreshesOnce() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(60));
		manager(0).save(ALICE, firstToken(grant())).block();
		String redisKey = ((RedisTokenStore) this.instances.get(0).getBean(io.tokenkit.token.TokenStore.class))
			.redisKey(ALICE);
		Duration ttl = template(this.instances.get(0)).getExpire(redisKey).block();
		assertThat(ttl).as("kept as long as the refresh token lives").isGreaterThan(Duration.ofDays(29));
		// no request for three times the access token's lifetime
		clock.advance(Duration.ofSeconds(3 * 300));
		AccessToken token = manager(2).getToken(ALICE).block(Duration.ofSeconds(10));
		assertThat(this.tokenServer.subjectOf(token.getTokenValue())).as("refreshed in alice's grant")
			.isEqualTo("alice");
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(1);
		assertThat(this.tokenServer.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isZero();
	}

	@Test
	void refreshWhenTheLeaseHoldersContextClosesMidRefreshThenItsTokenIsStoredAndNoOneRedeemsTheSameRefreshToken() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(300));
		manager(0).save(ALICE, firstToken(grant())).block();
		clock.advance(Duration.ofSeconds(301));
		this.tokenServer.registration(TOKEN_ENDPOINT).delay(Duration.ofMillis(800));
		manager(0).getToken(ALICE).subscribe((token) -> {
		}, (error) -> {
		});
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token") == 1);
		this.instances.remove(0).close();
		this.tokenServer.registration(TOKEN_ENDPOINT).delay(Duration.ZERO);
		AccessToken token = manager(0).getToken(ALICE).block(Duration.ofSeconds(10));
		assertThat(this.tokenServer.subjectOf(token.getTokenValue())).as("refreshed in alice's grant")
			.isEqualTo("alice");
		assertThat(manager(1).getToken(ALICE).block(Duration.ofSeconds(10))).isEqualTo(token);
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(1);
		assertThat(this.tokenServer.registration(TOKEN_ENDPOINT).errors("invalid_grant")).isZero();
	}

	@Test
	void refreshWhenTheLeaseHolderStopsRenewingThenAnotherInstanceTakesOverOnceTheLeaseLapses() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(300));
		manager(0).save(ALICE, firstToken(grant())).block();
		clock.advance(Duration.ofSeconds(301));
		RedisTokenStore store = (RedisTokenStore) this.instances.get(0).getBean(io.tokenkit.token.TokenStore.class);
		// a crashed instance's lease: held, never renewed, never released
		template(this.instances.get(0)).opsForHash()
			.put(store.redisKey(ALICE), "o", "crashed-instance")
			.then(template(this.instances.get(0)).opsForHash()
				.put(store.redisKey(ALICE), "u", Long.toString(System.currentTimeMillis() + 1500)))
			.block();
		long started = System.nanoTime();
		AccessToken token = manager(1).getToken(ALICE).block(Duration.ofSeconds(10));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofMillis(1000));
		assertThat(this.tokenServer.subjectOf(token.getTokenValue())).as("refreshed in alice's grant")
			.isEqualTo("alice");
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(1);
	}

	@Test
	void rejectionOnOneInstanceAndRemoveOnAnotherAreSeenByTheOthers() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(600));
		AccessToken first = manager(0).getToken(APP).block();
		assertThat(manager(1).getToken(APP).block()).isEqualTo(first);
		assertThat(manager(2).getToken(APP).block()).isEqualTo(first);
		AccessToken replacement = manager(0).reacquire(APP, first).block();
		assertThat(replacement).isNotEqualTo(first);
		await().atMost(Duration.ofSeconds(1))
			.until(() -> manager(1).getCachedToken(APP) == null && manager(2).getCachedToken(APP) == null);
		assertThat(manager(1).getToken(APP).block()).isEqualTo(replacement);
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "client_credentials")).isEqualTo(2);
		manager(2).save(ALICE, firstToken(grant())).block();
		assertThat(manager(0).getToken(ALICE).block()).isNotNull();
		manager(1).remove(ALICE).block();
		await().atMost(Duration.ofSeconds(1)).until(() -> manager(0).getCachedToken(ALICE) == null);
	}

	@Test
	void refreshWhenTheRefreshTokenIsRefusedThenOneTokenCallAndFastTypedFailuresOnEveryInstance() {
		this.tokenServer.registration(TOKEN_ENDPOINT).expiresIn(Duration.ofSeconds(300));
		manager(0).save(ALICE, firstToken("rt-unknown-to-the-server")).block();
		clock.advance(Duration.ofSeconds(301));
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> manager(0).getToken(ALICE).block(Duration.ofSeconds(10)))
			.withMessageNotContaining("alice");
		for (int i = 0; i < 30; i++) {
			TokenManager manager = manager(i % 3);
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> manager.getToken(ALICE).block(Duration.ofSeconds(10)));
		}
		assertThat(this.tokenServer.tokenCalls(TOKEN_ENDPOINT, "refresh_token")).isEqualTo(1);
		manager(1).save(ALICE, firstToken(grant())).block();
		// the other instances hear of the save within a second
		await().atMost(Duration.ofSeconds(1))
			.ignoreExceptions()
			.until(() -> manager(2).getToken(ALICE).block(Duration.ofSeconds(1)) != null);
	}

	private List<AccessToken> requestsFromAllInstances(TokenKey key, int perInstance) {
		return Flux.range(0, perInstance * 3)
			.flatMap((i) -> manager(i % 3).getToken(key).subscribeOn(Schedulers.parallel()), 1000)
			.collectList()
			.block(Duration.ofSeconds(30));
	}

	/**
	 * Whether every instance serves one token, and not the one they agreed on before: the
	 * server counts a token call as it receives it, so until its answer arrives every
	 * instance still agrees on the old token, and a test that moved the clock on at that
	 * moment would find the answer expired on arrival.
	 * @param key the token's key
	 * @param agreed the token the instances agreed on before, replaced by the new one
	 * once they agree on it
	 */
	private boolean newTokenEverywhere(TokenKey key, AtomicReference<String> agreed) {
		List<String> values = managers().stream()
			.map((manager) -> manager.getToken(key).block(Duration.ofSeconds(5)).getTokenValue())
			.distinct()
			.toList();
		if (values.size() != 1 || values.get(0).equals(agreed.get())) {
			return false;
		}
		agreed.set(values.get(0));
		return true;
	}

	private AccessToken firstToken(String refreshToken) {
		return AccessToken.withValue("at-first")
			.issuedAt(clock.instant())
			.expiresAt(clock.instant().plusSeconds(300))
			.refreshToken(refreshToken)
			.build();
	}

	private TokenManager manager(int index) {
		return this.instances.get(index).getBean(TokenManager.class);
	}

	private List<TokenManager> managers() {
		return this.instances.stream().map((context) -> context.getBean(TokenManager.class)).toList();
	}

	/**
	 * How many instances listen to the change channel: a message no one acts on reaches
	 * them all.
	 */
	private long subscribers() {
		return template(this.instances.get(0)).convertAndSend("tokenkit:changes", "X 0 nothing").block();
	}

	private static ReactiveStringRedisTemplate template(ConfigurableApplicationContext context) {
		return context.getBean(ReactiveStringRedisTemplate.class);
	}

	private ConfigurableApplicationContext instance() {
		return TokenKitInstances.start(redisServer.port(), this.tokenServer.tokenUri(TOKEN_ENDPOINT), clock,
				"tokenkit.store.subject-key=test-subject-key-0123456789abcdef", "tokenkit.store.redis.lease-time=2s",
				"tokenkit.allow-insecure-http=true");
	}

	/**
	 * Start a grant for alice, as an authorization-code exchange would, and return its
	 * refresh token.
	 */
	private String grant() {
		return this.tokenServer.registration(TOKEN_ENDPOINT).issueRefreshToken("alice").refreshToken();
	}

}
