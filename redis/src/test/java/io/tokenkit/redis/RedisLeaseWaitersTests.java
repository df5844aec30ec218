package io.tokenkit.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisMonitor;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Instances waiting for a key's lease while another one acquires, against a real
 * {@code redis-server}: the waiters' lease calls are counted with {@code MONITOR}, and
 * their poll is set to a minute, so that only a change message can wake them in time.
 */
class RedisLeaseWaitersTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey KEY = TokenKey.of("orders");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private LocalRedisTemplate local;

	private ReactiveStringRedisTemplate redis;

	private RedisMonitor monitor;

	@BeforeEach
	void connect() throws Exception {
		this.local = LocalRedisTemplate.flushed(redisServer);
		this.redis = this.local.template();
		// loaded once, so that every lease call shows as EVALSHA with the script's digest
		this.redis.execute(StoreScripts.LEASE, List.of("warm-up"), List.of("nobody", "1")).blockLast();
		this.monitor = new RedisMonitor(redisServer.port());
	}

	@AfterEach
	void disconnect() throws Exception {
		this.monitor.close();
		this.local.close();
	}

	@Test
	void acquireWhileAnotherInstanceHoldsTheLeaseThenTheChangeMessageWakesTheWaiterWithoutWaitingItsPoll() {
		RedisTokenStore holder = store();
		RedisTokenStore waiter = store();
		waiter.pollInterval(Duration.ofMinutes(1));
		awaitSubscribers(2);
		Sinks.One<AccessToken> tokenCall = Sinks.one();
		AtomicReference<AccessToken> held = new AtomicReference<>();
		holder.acquire(KEY, (newest) -> tokenCall.asMono()).subscribe(held::set);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 1);
		List<@Nullable AccessToken> offered = new CopyOnWriteArrayList<>();
		AtomicReference<AccessToken> waited = new AtomicReference<>();
		waiter.acquire(KEY, true, (newest) -> {
			offered.add(newest);
			return Mono.justOrEmpty(newest);
		}).subscribe(waited::set);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 2);
		AccessToken acquired = token("at-1");
		tokenCall.tryEmitValue(acquired);
		// well within the waiter's one-minute poll
		await().atMost(Duration.ofSeconds(5)).until(() -> waited.get() != null);
		assertThat(held.get()).isEqualTo(acquired);
		assertThat(waited.get()).isEqualTo(acquired);
		assertThat(leaseCalls()).as("the holder's, the waiter's refused one, the one its wake-up sent").isEqualTo(3);
		assertThat(waiter.get(KEY)).isEqualTo(acquired);
	}

	@Test
	void acquireWhenTheLeaseAnswerCarriesAUsableNewerTokenThenTheWaiterUsesItWithoutTheLease() {
		RedisTokenStore holder = store();
		RedisTokenStore waiter = store();
		RedisTokenStore saver = store();
		waiter.pollInterval(Duration.ofMinutes(1));
		awaitSubscribers(3);
		Sinks.One<AccessToken> tokenCall = Sinks.one();
		holder.acquire(KEY, (newest) -> tokenCall.asMono()).subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 1);
		List<@Nullable AccessToken> offered = new CopyOnWriteArrayList<>();
		AtomicReference<AccessToken> waited = new AtomicReference<>();
		waiter.acquire(KEY, true, (newest) -> {
			offered.add(newest);
			return Mono.justOrEmpty(newest);
		}).subscribe(waited::set);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 2);
		// a save while the holder still holds the lease: its message wakes the waiter,
		// whose lease call is refused but answers the saved token
		AccessToken saved = token("at-saved");
		saver.save(KEY, saved).block(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5)).until(() -> waited.get() != null);
		assertThat(waited.get()).isEqualTo(saved);
		assertThat(offered).as("no acquisition ran: the newer token sufficed").isEmpty();
		assertThat(leaseCalls()).isEqualTo(3);
		tokenCall.tryEmitValue(token("at-late"));
	}

	@Test
	void acquireForcedWhenTheLeaseAnswerCarriesANewerTokenThenTheWaiterStillWaitsForTheLease() {
		RedisTokenStore holder = store();
		RedisTokenStore waiter = store();
		RedisTokenStore saver = store();
		waiter.pollInterval(Duration.ofMinutes(1));
		awaitSubscribers(3);
		Sinks.One<AccessToken> tokenCall = Sinks.one();
		holder.acquire(KEY, (newest) -> tokenCall.asMono()).subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 1);
		List<@Nullable AccessToken> offered = new CopyOnWriteArrayList<>();
		AtomicReference<AccessToken> waited = new AtomicReference<>();
		AccessToken refreshed = token("at-refreshed");
		waiter.acquire(KEY, false, (newest) -> {
			offered.add(newest);
			return Mono.just(refreshed);
		}).subscribe(waited::set);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 2);
		saver.save(KEY, token("at-saved")).block(Duration.ofSeconds(5));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.monitor.lines())
				.filteredOn((line) -> line.contains(StoreScripts.LEASE.getSha1()))
				.hasSize(3));
		assertThat(waited.get()).as("a forced acquisition waits for its turn").isNull();
		tokenCall.tryEmitValue(token("at-holder"));
		await().atMost(Duration.ofSeconds(5)).until(() -> waited.get() != null);
		assertThat(waited.get()).isEqualTo(refreshed);
		assertThat(offered).singleElement()
			.satisfies((newest) -> assertThat(newest.getTokenValue()).isIn("at-holder", "at-saved"));
	}

	@Test
	void reacquireWhenRedisHoldsTheRejectedTokenAndAnotherInstanceHoldsTheLeaseThenWaitsForThatInstancesToken() {
		RedisTokenStore holder = store();
		RedisTokenStore waiter = store();
		RedisTokenStore saver = store();
		waiter.pollInterval(Duration.ofMinutes(1));
		awaitSubscribers(3);
		// the waiter holds no copy of the rejected token (as after an eviction): the
		// rejection changes nothing in Redis
		AccessToken rejected = token("at-rejected");
		saver.save(KEY, rejected).block(Duration.ofSeconds(5));
		Sinks.One<AccessToken> tokenCall = Sinks.one();
		holder.acquire(KEY, (newest) -> tokenCall.asMono()).subscribe();
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 1);
		CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)), waiter, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		AtomicReference<AccessToken> reacquired = new AtomicReference<>();
		manager.reacquire(KEY, rejected).subscribe(reacquired::set);
		await().atMost(Duration.ofSeconds(5)).until(() -> leaseCalls() == 2);
		AccessToken replaced = token("at-holder");
		tokenCall.tryEmitValue(replaced);
		await().atMost(Duration.ofSeconds(5)).until(() -> reacquired.get() != null);
		assertThat(reacquired.get()).as("never the rejected token back").isEqualTo(replaced);
		assertThat(source.calls()).isZero();
	}

	/**
	 * Wait until the stores of a test listen to the change channel, so that no change
	 * message goes by before them.
	 */
	private void awaitSubscribers(long stores) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redisServer.port()));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> connection.sync().pubsubNumsub("test:changes").get("test:changes") == stores);
		}
		finally {
			client.shutdown();
		}
	}

	private long leaseCalls() {
		String sha = StoreScripts.LEASE.getSha1();
		return this.monitor.lines().stream().filter((line) -> line.contains(sha)).count();
	}

	private RedisTokenStore store() {
		return new RedisTokenStore(this.redis, "test:", this.clock);
	}

	private AccessToken token(String value) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofMinutes(5)))
			.build();
	}

}
