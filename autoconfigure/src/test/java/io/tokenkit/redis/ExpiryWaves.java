package io.tokenkit.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Waves of requests at a token's real expiry, from several instances sharing one Redis (a
 * server or a cluster): at each expiry, {@code offset} after it, instance {@code i} sends
 * {@code perInstance} concurrent requests, {@code spacing × i} later than instance 0.
 * Counts the token calls of each expiry and checks that every instance holds the new
 * token afterwards. Every wait is bounded.
 */
public final class ExpiryWaves {

	private final List<TokenManager> managers;

	private final Duration offset;

	private final Duration spacing;

	private final int perInstance;

	private final List<String> log = new ArrayList<>();

	public ExpiryWaves(List<TokenManager> managers, Duration offset, Duration spacing, int perInstance) {
		this.managers = managers;
		this.offset = offset;
		this.spacing = spacing;
		this.perInstance = perInstance;
	}

	/**
	 * Run {@code expiries} waves for one key, after instance 0 has acquired its first
	 * token and the others have read it.
	 * @param key the key
	 * @param calls the token calls made so far for the key
	 * @param expiries how many expiries
	 * @return the token calls of each expiry
	 * @throws InterruptedException if interrupted while waiting
	 */
	public List<Integer> run(TokenKey key, IntSupplier calls, int expiries) throws InterruptedException {
		List<Integer> perExpiry = new ArrayList<>();
		for (TokenManager manager : this.managers) {
			manager.getToken(key).block(Duration.ofSeconds(10));
		}
		ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(this.managers.size());
		try {
			for (int expiry = 0; expiry < expiries; expiry++) {
				AccessToken current = this.managers.get(0).getToken(key).block(Duration.ofSeconds(10));
				Instant expiresAt = current.getExpiresAt();
				int before = calls.getAsInt();
				long startIn = Duration.between(Instant.now(), expiresAt.plus(this.offset)).toMillis();
				List<ScheduledFuture<List<AccessToken>>> waves = new ArrayList<>();
				for (int i = 0; i < this.managers.size(); i++) {
					TokenManager manager = this.managers.get(i);
					waves.add(scheduler.schedule(() -> wave(manager, key), startIn + this.spacing.toMillis() * i,
							TimeUnit.MILLISECONDS));
				}
				List<AccessToken> answered = new ArrayList<>();
				for (ScheduledFuture<List<AccessToken>> wave : waves) {
					try {
						answered.addAll(wave.get(30, TimeUnit.SECONDS));
					}
					catch (Exception ex) {
						throw new AssertionError("a wave of expiry " + (expiry + 1) + " failed", ex);
					}
				}
				assertThat(answered).hasSize(this.perInstance * this.managers.size());
				// a token call still on its way is counted with this expiry: real time,
				// as the token endpoint's delay and Redis's key expiry both run on it
				// (twice the endpoint's 200 ms answer time)
				Thread.sleep(400);
				perExpiry.add(calls.getAsInt() - before);
				List<Boolean> holding = this.managers.stream()
					.map((manager) -> manager.getCachedToken(key) != null)
					.toList();
				this.log.add(
						"expiry " + (expiry + 1) + ": " + perExpiry.get(expiry) + " token call(s), holding " + holding);
				if (perExpiry.get(expiry) != 1 || holding.contains(false)) {
					continue;
				}
				// every instance holds the new token (a copy read on its change message
				// counts)
				String newest = this.managers.get(0).getToken(key).block(Duration.ofSeconds(10)).getTokenValue();
				await().atMost(Duration.ofSeconds(2)).until(() -> this.managers.stream().allMatch((manager) -> {
					AccessToken held = manager.getCachedToken(key);
					return held != null && held.getTokenValue().equals(newest);
				}));
			}
		}
		finally {
			scheduler.shutdownNow();
		}
		return perExpiry;
	}

	/**
	 * Return what each expiry gave: its token calls, and which instances held a token
	 * right after it.
	 */
	public List<String> log() {
		return this.log;
	}

	private List<AccessToken> wave(TokenManager manager, TokenKey key) {
		return Flux.range(0, this.perInstance)
			.flatMap((i) -> manager.getToken(key).subscribeOn(Schedulers.parallel()), this.perInstance)
			.collectList()
			.block(Duration.ofSeconds(20));
	}

}
