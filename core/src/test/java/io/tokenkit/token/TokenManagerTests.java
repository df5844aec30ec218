package io.tokenkit.token;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

class TokenManagerTests {

	private static final TokenKey APP = TokenKey.of("orders");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final InMemoryTokenStore store = new InMemoryTokenStore();

	private final RecordingListener listener = new RecordingListener();

	private final TokenManager manager = new TokenManager(
			List.of(new TokenRegistration("orders", this.source, Duration.ofSeconds(30))), this.store, this.clock,
			this.listener, Duration.ofSeconds(5));

	@Test
	void getTokenWhenNothingCachedThenObtainsOnceAndCaches() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken second = this.manager.getToken(APP).block();
		assertThat(first.getTokenValue()).isEqualTo("token-1");
		assertThat(second).isSameAs(first);
		assertThat(this.source.obtains()).isEqualTo(1);
		assertThat(this.listener.misses.get()).isEqualTo(1);
		assertThat(this.listener.hits.get()).isEqualTo(1);
	}

	@Test
	void getCachedTokenWhenValidThenReturnsSameInstanceWithoutCallingSource() {
		this.manager.getToken(APP).block();
		AccessToken cached = this.manager.getCachedToken(APP);
		assertThat(cached).isSameAs(this.store.get(APP));
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void getCachedTokenWhenExpiredThenReturnsNull() {
		this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(10));
		assertThat(this.manager.getCachedToken(APP)).isNull();
	}

	@Test
	void getCachedTokenWhenInsideSkewThenReturnsCurrentAndRefreshesOnceInBackground() {
		AccessToken first = this.manager.getToken(APP).block();
		this.source.delay(Duration.ofMillis(200));
		this.clock.advance(Duration.ofMinutes(10).minusSeconds(20));
		for (int i = 0; i < 50; i++) {
			assertThat(this.manager.getCachedToken(APP)).isSameAs(first);
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.source.refreshes() == 1
					&& !this.store.get(APP).getTokenValue().equals(first.getTokenValue()));
		assertThat(this.source.refreshes()).isEqualTo(1);
		assertThat(this.listener.refreshAheads.get()).isEqualTo(50);
		assertThat(this.manager.getCachedToken(APP).getTokenValue()).isEqualTo("token-2");
	}

	@Test
	void getCachedTokenWhenTokenLivesShorterThanSkewThenNotRefreshedOnEveryRequest() {
		CountingTokenSource shortLived = new CountingTokenSource(this.clock, Duration.ofSeconds(20));
		TokenManager manager = new TokenManager(
				List.of(new TokenRegistration("short", shortLived, Duration.ofSeconds(30))), new InMemoryTokenStore(),
				this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		TokenKey key = TokenKey.of("short");
		AccessToken token = manager.getToken(key).block();
		this.clock.advance(Duration.ofSeconds(14));
		for (int i = 0; i < 10; i++) {
			assertThat(manager.getCachedToken(key)).isSameAs(token);
		}
		assertThat(shortLived.calls()).isEqualTo(1);
		// past three quarters of its 20 s lifetime the refresh starts
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(manager.getCachedToken(key)).isSameAs(token);
		await().atMost(Duration.ofSeconds(5)).until(() -> shortLived.refreshes() == 1);
	}

	@Test
	void acquireWhenManyCallersWaitThenOneAcquisitionIsShared() {
		this.source.delay(Duration.ofMillis(100));
		List<AccessToken> tokens = Flux.range(0, 1000)
			.flatMap((i) -> this.manager.getToken(APP).subscribeOn(Schedulers.parallel()), 1000)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(tokens).hasSize(1000).allSatisfy((token) -> assertThat(token.getTokenValue()).isEqualTo("token-1"));
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void acquireWhenSourceFailsThenErrorIsNotCachedAndNextCallAfterTheCoolDownTriesAgain() {
		this.source.failNext(new IllegalStateException("token endpoint down"));
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> this.manager.getToken(APP).block())
			.withMessageContaining("registration 'orders'")
			.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("orders"));
		assertThat(this.store.get(APP)).isNull();
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		assertThat(this.source.calls()).isEqualTo(1);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.manager.getToken(APP).block().getTokenValue()).isEqualTo("token-1");
		assertThat(this.source.calls()).isEqualTo(2);
		assertThat(this.listener.failures.get()).isEqualTo(1);
	}

	@Test
	void acquireWhenSourceTooSlowThenTimesOutWithClearError() {
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("slow", (key) -> Mono.never())),
				new InMemoryTokenStore(), this.clock, TokenEventListener.NONE, Duration.ofMillis(100));
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> manager.getToken(TokenKey.of("slow")).block(Duration.ofSeconds(5)))
			.withMessageContaining("did not answer within PT0.1S");
	}

	@Test
	void acquireWhenExpiredTokenHasRefreshTokenThenRefreshesFromIt() {
		this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(11));
		AccessToken refreshed = this.manager.getToken(APP).block();
		assertThat(refreshed.getTokenValue()).isEqualTo("token-2");
		assertThat(this.source.refreshes()).isEqualTo(1);
	}

	@Test
	void invalidateWhenTokenWasRefreshedMeanwhileThenKeepsNewToken() {
		AccessToken old = this.manager.getToken(APP).block();
		AccessToken fresh = AccessToken.withValue("fresh")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.build();
		this.manager.save(APP, fresh).block();
		assertThat(this.manager.invalidate(APP, old).block()).isFalse();
		assertThat(this.manager.getCachedToken(APP)).isSameAs(fresh);
	}

	@Test
	void invalidateWhenTokenIsCurrentThenStopsServingItButKeepsItsRefreshToken() {
		AccessToken current = this.manager.getToken(APP).block();
		assertThat(this.manager.invalidate(APP, current).block()).isTrue();
		assertThat(this.manager.getCachedToken(APP)).isNull();
		assertThat(this.store.get(APP).getRefreshToken()).isEqualTo(current.getRefreshToken());
	}

	@Test
	void reacquireWhenManyCallersRejectedWithSameTokenThenOneRefresh() {
		AccessToken rejected = this.manager.getToken(APP).block();
		this.source.delay(Duration.ofMillis(50));
		List<AccessToken> tokens = Flux.range(0, 200)
			.flatMap((i) -> this.manager.reacquire(APP, rejected).subscribeOn(Schedulers.parallel()), 200)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(tokens).hasSize(200).allSatisfy((token) -> assertThat(token.getTokenValue()).isEqualTo("token-2"));
		assertThat(this.source.refreshes()).isEqualTo(1);
		// a late caller rejected with the old token gets the new one without another
		// refresh
		assertThat(this.manager.reacquire(APP, rejected).block().getTokenValue()).isEqualTo("token-2");
		assertThat(this.source.refreshes()).isEqualTo(1);
	}

	@Test
	void reacquireWhenJoiningAnAcquisitionThatFoundTheRejectedTokenThenRefreshesAfterIt() {
		AccessToken shared = AccessToken.withValue("shared")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-shared")
			.build();
		// A shared store whose local copy is empty and whose backing copy answers late
		// with the shared token.
		InMemoryTokenStore local = new InMemoryTokenStore();
		TokenStore store = new TokenStore() {

			@Override
			public AccessToken get(TokenKey key) {
				return local.get(key);
			}

			@Override
			public Mono<AccessToken> load(TokenKey key) {
				AccessToken held = local.get(key);
				return (held != null) ? Mono.just(held)
						: Mono.just(shared)
							.delayElement(Duration.ofMillis(200))
							.doOnNext((token) -> local.save(key, token).subscribe());
			}

			@Override
			public Mono<Void> save(TokenKey key, AccessToken token) {
				return local.save(key, token);
			}

			@Override
			public Mono<Boolean> replace(TokenKey key, AccessToken expected, AccessToken replacement) {
				return local.replace(key, expected, replacement);
			}

			@Override
			public Mono<Void> remove(TokenKey key) {
				return local.remove(key);
			}

		};
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		java.util.concurrent.CompletableFuture<AccessToken> miss = manager.acquire(APP).toFuture();
		AccessToken replacement = manager.reacquire(APP, shared).block(Duration.ofSeconds(5));
		assertThat(miss.join()).isEqualTo(shared);
		assertThat(replacement.getTokenValue()).isEqualTo("token-1");
		assertThat(this.source.refreshes()).isEqualTo(1);
	}

	@Test
	void getTokenWhenUnknownRegistrationThenSaysWhichAreKnown() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of("payments")))
			.withMessageContaining("'payments'")
			.withMessageContaining("[orders]");
	}

	@Test
	void getTokenWhenPerUserKeysThenEachSubjectHasItsOwnToken() {
		AccessToken alice = this.manager.getToken(TokenKey.of("orders", "alice")).block();
		AccessToken bob = this.manager.getToken(TokenKey.of("orders", "bob")).block();
		assertThat(alice.getTokenValue()).isNotEqualTo(bob.getTokenValue());
		assertThat(this.manager.getCachedToken(TokenKey.of("orders", "alice"))).isSameAs(alice);
	}

	@Test
	void refreshAheadWhenRefreshFailsThenCoolsDownInsteadOfRetryingOnEveryRequest() {
		AccessToken first = this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(10).minusSeconds(20));
		this.source.failNext(new IllegalStateException("down"));
		assertThat(this.manager.getCachedToken(APP)).isSameAs(first);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.listener.failures.get() == 1);
		for (int i = 0; i < 20; i++) {
			assertThat(this.manager.getCachedToken(APP)).isSameAs(first);
		}
		assertThat(this.source.refreshes()).isEqualTo(1);
		this.clock.advance(CoolDownPolicy.DEFAULT.initial());
		assertThat(this.manager.getCachedToken(APP)).isSameAs(first);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.source.refreshes() == 2);
	}

	@Test
	void saveWhenUserTokenThenServedAndListenerToldWithoutCallingSource() {
		TokenKey alice = TokenKey.of("orders", "alice");
		AccessToken token = AccessToken.withValue("alice-token")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.build();
		this.manager.save(alice, token).block();
		assertThat(this.listener.saved.get()).isEqualTo(1);
		assertThat(this.manager.getCachedToken(alice)).isSameAs(token);
		assertThat(this.source.calls()).isZero();
	}

	@Test
	void tokenKeyToStringDoesNotShowSubject() {
		assertThat(TokenKey.of("orders", "alice@example.com").toString()).doesNotContain("alice");
	}

	@Test
	void accessTokenToStringDoesNotShowSecrets() {
		AccessToken token = AccessToken.withValue("secret-access")
			.refreshToken("secret-refresh")
			.idToken("secret-id")
			.build();
		assertThat(token.toString()).doesNotContain("secret-");
	}

	static final class RecordingListener implements TokenEventListener {

		final AtomicInteger hits = new AtomicInteger();

		final AtomicInteger misses = new AtomicInteger();

		final AtomicInteger refreshAheads = new AtomicInteger();

		final AtomicInteger failures = new AtomicInteger();

		final AtomicInteger saved = new AtomicInteger();

		final List<AccessToken> acquired = new ArrayList<>();

		@Override
		public void cacheHit(String registrationId) {
			this.hits.incrementAndGet();
		}

		@Override
		public void cacheMiss(String registrationId) {
			this.misses.incrementAndGet();
		}

		@Override
		public void refreshAhead(String registrationId) {
			this.refreshAheads.incrementAndGet();
		}

		@Override
		public synchronized void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
			this.acquired.add(token);
		}

		@Override
		public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
			this.failures.incrementAndGet();
		}

		@Override
		public void tokenSaved(TokenKey key, AccessToken token) {
			this.saved.incrementAndGet();
		}

	}

}
