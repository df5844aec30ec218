package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TokenManager} when token endpoints and resource servers misbehave:
 * cool-downs, {@code Retry-After}, dead refresh tokens, repeated rejections, slow
 * answers, and a save or remove that races an acquisition.
 */
class TokenManagerFaultTests {

	private static final TokenKey APP = TokenKey.of("orders");

	private static final TokenKey ALICE = TokenKey.of("orders", "alice");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final InMemoryTokenStore store = new InMemoryTokenStore();

	private final TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)),
			this.store, this.clock, TokenEventListener.NONE, Duration.ofSeconds(5), CoolDownPolicy.DEFAULT);

	@Test
	void acquireWhenServerAnswers429WithRetryAfterThenOneTokenCallAndFastTypedFailuresUntilThen() {
		this.source.failNext(new TokenApiException("Token endpoint answered 429", 429, Duration.ofSeconds(60), null));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		// 2,000 requests over two seconds
		for (int i = 0; i < 2000; i++) {
			if (i % 1000 == 999) {
				this.clock.advance(Duration.ofSeconds(1));
			}
			assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.getToken(APP).block())
				.satisfies((ex) -> {
					assertThat(ex.getRegistrationId()).isEqualTo("orders");
					assertThat(ex.getNextAttempt()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z"));
					assertThat(ex.getMessage()).contains("registration 'orders'").contains("2026-11-23T10:01:00Z");
					assertThat(ex.getCause()).isInstanceOf(TokenApiException.class);
				});
		}
		assertThat(this.source.calls()).isEqualTo(1);
		this.clock.set(Instant.parse("2026-11-23T10:01:00Z"));
		assertThat(this.manager.getToken(APP).block().getTokenValue()).isEqualTo("token-1");
		assertThat(this.source.calls()).isEqualTo(2);
	}

	@Test
	void acquireWhenFailuresRepeatThenCoolDownDoublesUpToTheMaximumAndSuccessResetsIt() {
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), this.store,
				this.clock, TokenEventListener.NONE, Duration.ofSeconds(5),
				new CoolDownPolicy(Duration.ofSeconds(1), Duration.ofSeconds(5)));
		long[] expected = { 1, 2, 4, 5, 5 };
		for (long seconds : expected) {
			this.source.failNext(new IllegalStateException("down"));
			Instant failedAt = this.clock.instant();
			assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> manager.getToken(APP).block());
			assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> manager.getToken(APP).block())
				.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(failedAt.plusSeconds(seconds)));
			this.clock.advance(Duration.ofSeconds(seconds));
		}
		assertThat(manager.getToken(APP).block()).isNotNull();
		this.clock.advance(Duration.ofMinutes(10));
		this.source.failNext(new IllegalStateException("down"));
		Instant failedAt = this.clock.instant();
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> manager.getToken(APP).block());
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> manager.getToken(APP).block())
			.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(failedAt.plusSeconds(1)));
	}

	@Test
	void getCachedTokenWhenKeyCoolsDownThenValidTokenKeepsServing() {
		AccessToken first = this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(10).minusSeconds(20));
		this.source.failNext(new TokenApiException("503", 503, Duration.ofSeconds(30), null));
		assertThat(this.manager.getCachedToken(APP)).isSameAs(first);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.source.refreshes() == 1 && this.manager.keyStateCount() == 1);
		this.clock.advance(Duration.ofSeconds(10));
		for (int i = 0; i < 100; i++) {
			assertThat(this.manager.getToken(APP).block()).isSameAs(first);
		}
		assertThat(this.source.refreshes()).isEqualTo(1);
	}

	@Test
	void refreshWhenRefreshTokenIsRefusedAsDeadThenReauthorizationRequiredAndNoFurtherCallUntilSave() {
		this.manager.save(ALICE, expiredWithRefreshToken("rt-dead")).block();
		this.source.failNext(new DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(ALICE).block())
			.satisfies((ex) -> {
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getMessage()).doesNotContain("alice").contains("TokenManager.save");
				assertThat(ex.getCause()).isInstanceOf(DeadGrant.class);
			});
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofMinutes(5));
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> this.manager.getToken(ALICE).block());
		}
		assertThat(this.source.calls()).isEqualTo(1);
		AccessToken fresh = AccessToken.withValue("after-consent")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.build();
		this.manager.save(ALICE, fresh).block();
		assertThat(this.manager.getToken(ALICE).block()).isSameAs(fresh);
	}

	@Test
	void refreshWhenASourceWrapsTheDeadGrantInATokenApiExceptionOfItsOwnThenReauthorizationRequired() {
		this.manager.save(ALICE, expiredWithRefreshToken("rt-dead")).block();
		this.source.failNext(new TokenApiException("My token service failed", 502, new DeadGrant()));
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(ALICE).block());
		for (int i = 0; i < 10; i++) {
			this.clock.advance(Duration.ofMinutes(5));
			assertThatExceptionOfType(ReauthorizationRequiredException.class)
				.isThrownBy(() -> this.manager.getToken(ALICE).block());
		}
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void acquireWhenASourceWrapsTheRetryAfterInATokenApiExceptionOfItsOwnThenTheKeyRestsThatLong() {
		this.source.failNext(new TokenApiException("My token service failed", 502,
				new TokenApiException("Token endpoint answered 429", 429, Duration.ofSeconds(30), null)));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.getToken(APP).block())
			.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(Instant.parse("2026-11-23T10:00:30Z")));
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void reacquireWhenTheReplayWithTheReplacementIsRejectedThenTheRejectionGoesToTheCallerDuringTheCoolDown() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken second = this.manager.reacquire(APP, first).block();
		assertThat(second.getTokenValue()).isEqualTo("token-2");
		// the API rejects every token: the replay with the replacement too
		this.manager.replayed(APP, second, false);
		for (int i = 0; i < 50; i++) {
			assertThat(this.manager.reacquire(APP, second).block()).isSameAs(second);
		}
		assertThat(this.source.calls()).isEqualTo(2);
		this.clock.advance(Duration.ofSeconds(1));
		AccessToken third = this.manager.reacquire(APP, second).block();
		assertThat(third.getTokenValue()).isEqualTo("token-3");
		this.manager.replayed(APP, third, false);
		assertThat(this.manager.reacquire(APP, third).block()).isSameAs(third);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.manager.reacquire(APP, third).block()).as("the second cool-down lasts two seconds")
			.isSameAs(third);
		assertThat(this.source.calls()).isEqualTo(3);
	}

	@Test
	void reacquireWhenAReplacementWhoseReplayWorkedIsRejectedThenItIsReplacedAgainAtOnce() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken second = this.manager.reacquire(APP, first).block();
		this.manager.replayed(APP, second, true);
		this.clock.advance(Duration.ofSeconds(10));
		AccessToken third = this.manager.reacquire(APP, second).block();
		assertThat(third.getTokenValue()).isEqualTo("token-3");
		this.manager.replayed(APP, third, true);
		assertThat(this.manager.reacquire(APP, third).block().getTokenValue()).isEqualTo("token-4");
		assertThat(this.source.calls()).isEqualTo(4);
	}

	@Test
	void replayedWhenManyReplaysWithTheSameReplacementAreRejectedThenOneStrike() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken second = this.manager.reacquire(APP, first).block();
		for (int i = 0; i < 100; i++) {
			this.manager.replayed(APP, second, false);
		}
		// one strike: the cool-down of a first strike, one second
		this.clock.advance(Duration.ofSeconds(1));
		AccessToken third = this.manager.reacquire(APP, second).block();
		assertThat(third.getTokenValue()).isEqualTo("token-3");
		// a late answer of a replay with a token never struck and replaced since is old
		// news: no strike
		this.manager.replayed(APP, first, false);
		// so the strike of the third is the second in a row, with a two-second cool-down
		this.manager.replayed(APP, third, false);
		this.clock.advance(Duration.ofSeconds(2));
		assertThat(this.manager.reacquire(APP, third).block().getTokenValue()).isEqualTo("token-4");
	}

	@Test
	void replayedWhenARejectionComesWhileTheReplacementIsBeingReplacedThenNoStrikeAndTheNextOneIsAnOrdinaryToken()
			throws Exception {
		AtomicInteger calls = new AtomicInteger();
		Sinks.One<AccessToken> slow = Sinks.one();
		TokenSource source = new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return next();
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				return next();
			}

			private Mono<AccessToken> next() {
				int call = calls.incrementAndGet();
				return (call == 3) ? slow.asMono() : Mono.just(valid("token-" + call, Duration.ofMinutes(10)));
			}
		};
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)), this.store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5), CoolDownPolicy.DEFAULT);
		AccessToken first = manager.getToken(APP).block();
		AccessToken second = manager.reacquire(APP, first).block();
		// its replay's report is late: past the acquire timeout the second is no longer
		// an unconfirmed replacement, and its rejection gets a reacquisition
		this.clock.advance(Duration.ofSeconds(6));
		// the second is rejected and being replaced: the store holds an expired copy
		CompletableFuture<AccessToken> replacing = manager.reacquire(APP, second).toFuture();
		// a late rejected replay with the second: the reacquisition answers it already
		manager.replayed(APP, second, false);
		slow.tryEmitValue(valid("token-3", Duration.ofMinutes(10)));
		AccessToken third = replacing.get(5, TimeUnit.SECONDS);
		manager.replayed(APP, third, true);
		// the third is proven good: its own rejection gets a new token at once
		assertThat(manager.reacquire(APP, third).block().getTokenValue()).isEqualTo("token-4");
	}

	@Test
	void replayedWhenASaveComesBetweenTheLookAndTheStrikeThenTheSavedTokenIsNotHeldBack() {
		AtomicReference<Runnable> onGet = new AtomicReference<>();
		TokenStore racing = new TokenStore() {
			@Override
			public AccessToken get(TokenKey key) {
				AccessToken held = TokenManagerFaultTests.this.store.get(key);
				Runnable race = onGet.getAndSet(null);
				if (race != null) {
					race.run();
				}
				return held;
			}

			@Override
			public Mono<Void> save(TokenKey key, AccessToken token) {
				return TokenManagerFaultTests.this.store.save(key, token);
			}

			@Override
			public Mono<Boolean> replace(TokenKey key, AccessToken expected, AccessToken replacement) {
				return TokenManagerFaultTests.this.store.replace(key, expected, replacement);
			}

			@Override
			public Mono<Void> remove(TokenKey key) {
				return TokenManagerFaultTests.this.store.remove(key);
			}
		};
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), racing,
				this.clock, TokenEventListener.NONE, Duration.ofSeconds(5), CoolDownPolicy.DEFAULT);
		AccessToken first = manager.getToken(APP).block();
		AccessToken second = manager.reacquire(APP, first).block();
		AccessToken saved = valid("saved", Duration.ofMinutes(10));
		// the report reads the second, then a save runs before it strikes
		onGet.set(() -> manager.save(APP, saved).block());
		manager.replayed(APP, second, false);
		// the saved token was never replayed: its rejection gets a new token
		assertThat(manager.reacquire(APP, saved).block().getTokenValue()).isEqualTo("token-3");
	}

	@Test
	void replayedWhenAReplacementWorksAfterStrikesThenTheNextStrikeIsAFirstOneAgain() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken second = this.manager.reacquire(APP, first).block();
		this.manager.replayed(APP, second, false);
		this.clock.advance(Duration.ofSeconds(1));
		AccessToken third = this.manager.reacquire(APP, second).block();
		this.manager.replayed(APP, third, true);
		this.clock.advance(Duration.ofSeconds(10));
		AccessToken fourth = this.manager.reacquire(APP, third).block();
		this.manager.replayed(APP, fourth, false);
		assertThat(this.manager.reacquire(APP, fourth).block()).isSameAs(fourth);
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.manager.reacquire(APP, fourth).block().getTokenValue()).as("a one-second cool-down")
			.isEqualTo("token-5");
	}

	@Test
	void acquireWhenCallersTimeOutThenTheAcquisitionStillCompletesAndItsTokenIsStored() {
		Sinks.One<AccessToken> answer = Sinks.one();
		AtomicInteger calls = new AtomicInteger();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("slow", new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new IllegalStateException("not used"));
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				calls.incrementAndGet();
				return answer.asMono();
			}
		})), this.store, this.clock, TokenEventListener.NONE, Duration.ofMillis(100));
		TokenKey bob = TokenKey.of("slow", "bob");
		manager.save(bob, expiredWithRefreshToken("rt-1")).block();
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> manager.getToken(bob).block(Duration.ofSeconds(5)))
			.withMessageContaining("did not answer within PT0.1S")
			.withMessageContaining("goes on");
		// the server has rotated the refresh token: its answer arrives late but is kept
		answer.tryEmitValue(AccessToken.withValue("at-2")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-2")
			.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.store.get(bob).getRefreshToken().equals("rt-2"));
		assertThat(manager.getToken(bob).block().getTokenValue()).isEqualTo("at-2");
		assertThat(calls.get()).isEqualTo(1);
	}

	@Test
	void acquireWhenAnotherCallerComesWhileTheSlowAcquisitionRunsThenItJoinsIt() {
		Sinks.One<AccessToken> answer = Sinks.one();
		AtomicInteger calls = new AtomicInteger();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("slow", (key) -> {
			calls.incrementAndGet();
			return answer.asMono();
		})), this.store, this.clock, TokenEventListener.NONE, Duration.ofMillis(100));
		TokenKey key = TokenKey.of("slow");
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> manager.getToken(key).block(Duration.ofSeconds(5)));
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> manager.getToken(key).block(Duration.ofSeconds(5)));
		assertThat(calls.get()).isEqualTo(1);
	}

	@Test
	void refreshWhenItFinishesAfterSaveThenTheSavedTokenStays() {
		Sinks.One<AccessToken> answer = Sinks.one();
		TokenManager manager = slowRefreshManager(answer);
		manager.save(ALICE, expiredWithRefreshToken("rt-1")).block();
		AtomicReference<AccessToken> waiter = new AtomicReference<>();
		manager.getToken(ALICE).subscribe(waiter::set);
		AccessToken reauthorized = AccessToken.withValue("reauthorized")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-new-consent")
			.build();
		manager.save(ALICE, reauthorized).block();
		answer.tryEmitValue(AccessToken.withValue("late-refresh")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-2")
			.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> waiter.get() != null);
		assertThat(this.store.get(ALICE)).isSameAs(reauthorized);
		assertThat(waiter.get()).isSameAs(reauthorized);
	}

	@Test
	void refreshWhenItFinishesAfterRemoveThenTheTokenDoesNotComeBack() {
		Sinks.One<AccessToken> answer = Sinks.one();
		TokenManager manager = slowRefreshManager(answer);
		manager.save(ALICE, expiredWithRefreshToken("rt-1")).block();
		AtomicReference<AccessToken> waiter = new AtomicReference<>();
		manager.getToken(ALICE).subscribe(waiter::set);
		manager.remove(ALICE).block();
		answer.tryEmitValue(AccessToken.withValue("late-refresh")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> waiter.get() != null);
		assertThat(this.store.get(ALICE)).isNull();
	}

	@Test
	void reacquireWhenTheUserWasRemovedMeanwhileThenTheRemovedRefreshTokenIsNotRedeemed() {
		TokenManager manager = perUserManager(TokenEventListener.NONE);
		AccessToken sent = valid("alice-1", Duration.ofMinutes(10));
		manager.save(ALICE, sent).block();
		// the user disconnects while a request with her token is under way; it comes back
		// with 401
		manager.remove(ALICE).block();
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> manager.reacquire(ALICE, sent).block(Duration.ofSeconds(5)))
			.withMessageContaining("no token for this subject");
		assertThat(this.source.refreshes()).as("token calls with the removed refresh token").isZero();
		assertThat(this.store.get(ALICE)).isNull();
	}

	@Test
	void getCachedTokenWhenTheUserIsRemovedJustAsTheRefreshAheadStartsThenTheRemovedRefreshTokenIsNotRedeemed() {
		AtomicReference<TokenManager> manager = new AtomicReference<>();
		AtomicInteger removals = new AtomicInteger();
		AtomicInteger ended = new AtomicInteger();
		// the remove lands between the look at the cached token and the start of its
		// refresh
		manager.set(perUserManager(new TokenEventListener() {
			@Override
			public void refreshAhead(String registrationId) {
				if (removals.getAndIncrement() == 0) {
					manager.get().remove(ALICE).block();
				}
			}

			@Override
			public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
				ended.incrementAndGet();
			}

			@Override
			public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
				ended.incrementAndGet();
			}
		}));
		manager.get().save(ALICE, valid("alice-1", Duration.ofMinutes(10))).block();
		this.clock.advance(Duration.ofMinutes(9).plusSeconds(45));
		assertThat(manager.get().getCachedToken(ALICE)).isNotNull();
		await().atMost(Duration.ofSeconds(5)).until(() -> ended.get() == 1);
		assertThat(removals).hasValue(1);
		assertThat(this.source.refreshes()).as("token calls with the removed refresh token").isZero();
		assertThat(this.store.get(ALICE)).isNull();
	}

	@Test
	void saveWhenAnAcquisitionStartsWhileTheStoreWritesThenTheSavedTokenStays() {
		Sinks.Empty<Void> written = Sinks.empty();
		Sinks.One<AccessToken> answer = Sinks.one();
		InMemoryTokenStore memory = new InMemoryTokenStore();
		TokenStore slowWrites = new TokenStore() {
			@Override
			public AccessToken get(TokenKey key) {
				return memory.get(key);
			}

			@Override
			public Mono<Void> save(TokenKey key, AccessToken token) {
				return "reauthorized".equals(token.getTokenValue())
						? written.asMono().then(Mono.defer(() -> memory.save(key, token))) : memory.save(key, token);
			}

			@Override
			public Mono<Boolean> replace(TokenKey key, AccessToken expected, AccessToken replacement) {
				return memory.replace(key, expected, replacement);
			}

			@Override
			public Mono<Void> remove(TokenKey key) {
				return memory.remove(key);
			}
		};
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new IllegalStateException("not used"));
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				return answer.asMono();
			}
		})), slowWrites, this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		manager.save(ALICE, expiredWithRefreshToken("rt-old")).block();
		AccessToken reauthorized = AccessToken.withValue("reauthorized")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-new-consent")
			.build();
		AtomicReference<Boolean> saved = new AtomicReference<>();
		manager.save(ALICE, reauthorized).subscribe(null, null, () -> saved.set(true));
		// a request comes while the save is being written, and refreshes from the old
		// token
		manager.getToken(ALICE).subscribe((token) -> {
		}, (error) -> {
		});
		written.tryEmitEmpty();
		await().atMost(Duration.ofSeconds(5)).until(() -> saved.get() != null);
		answer.tryEmitValue(AccessToken.withValue("from-old-grant")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-old-2")
			.build());
		await().atMost(Duration.ofSeconds(5)).until(() -> manager.keyStateCount() == 0);
		assertThat(manager.getToken(ALICE).block(Duration.ofSeconds(5))).isSameAs(reauthorized);
		assertThat(slowWrites.get(ALICE)).isSameAs(reauthorized);
	}

	@Test
	void acquireWhenRetryAfterIsAbsurdlyLongThenTheCoolDownIsCappedAndTheKeyRecovers() {
		this.source.failNext(new TokenApiException("429", 429, Duration.ofSeconds(99_999_999_999_999_999L), null));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.getToken(APP).block())
			.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(Instant.parse("2026-11-23T10:01:00Z")));
		this.clock.advance(Duration.ofMinutes(1));
		assertThat(this.manager.getToken(APP).block(Duration.ofSeconds(5)).getTokenValue()).isEqualTo("token-1");
	}

	@Test
	void acquireWhenRetryAfterIsZeroThenTheKeyStillRestsTheInitialCoolDown() {
		this.source.failNext(new TokenApiException("503", 503, Duration.ZERO, null));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void acquireWhenReauthorizationIsRequiredThenEachCallerGetsItsOwnException() {
		this.manager.save(ALICE, expiredWithRefreshToken("rt-dead")).block();
		this.source.failNext(new DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(ALICE).block());
		Throwable first = this.manager.getToken(ALICE).map(Throwable.class::cast).onErrorResume(Mono::just).block();
		Throwable second = this.manager.getToken(ALICE).map(Throwable.class::cast).onErrorResume(Mono::just).block();
		assertThat(first).isInstanceOf(ReauthorizationRequiredException.class).isNotSameAs(second);
		assertThat(first.getCause()).isInstanceOf(DeadGrant.class);
	}

	@Test
	void removeWhenManyUsersHadFailedThenNoStateIsLeftBehind() {
		for (int i = 0; i < 10_000; i++) {
			TokenKey user = TokenKey.of("orders", "user-" + i);
			this.manager.save(user, expiredWithRefreshToken("rt-" + i)).block();
			this.source.failNext(new IllegalStateException("down"));
			assertThatExceptionOfType(TokenAcquisitionException.class)
				.isThrownBy(() -> this.manager.getToken(user).block());
		}
		assertThat(this.manager.keyStateCount()).isEqualTo(10_000);
		for (int i = 0; i < 10_000; i++) {
			this.manager.remove(TokenKey.of("orders", "user-" + i)).block();
		}
		assertThat(this.manager.keyStateCount()).isZero();
		assertThat(this.store.size()).isZero();
	}

	@Test
	void acquireWhenFailedKeysFallQuietThenTheirStateIsSweptAway() {
		for (int i = 0; i < 1_000; i++) {
			this.source.failNext(new IllegalStateException("down"));
			TokenKey user = TokenKey.of("orders", "user-" + i);
			assertThatExceptionOfType(TokenAcquisitionException.class)
				.isThrownBy(() -> this.manager.getToken(user).block());
		}
		assertThat(this.manager.keyStateCount()).isGreaterThan(900);
		this.clock.advance(Duration.ofMinutes(5));
		this.manager.getToken(APP).block();
		assertThat(this.manager.keyStateCount()).isZero();
	}

	private TokenManager slowRefreshManager(Sinks.One<AccessToken> answer) {
		return new TokenManager(List.of(TokenRegistration.of("orders", new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new IllegalStateException("not used"));
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				return answer.asMono();
			}
		})), this.store, this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
	}

	/**
	 * A manager of per-user tokens as a real source behaves: a user's token is refreshed
	 * from its refresh token, and never obtained without one.
	 */
	private TokenManager perUserManager(TokenEventListener listener) {
		TokenSource perUser = new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new TokenAcquisitionException(key.registrationId(),
						"Registration '" + key.registrationId() + "' has no token for this subject"));
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				return TokenManagerFaultTests.this.source.refresh(key, current);
			}
		};
		return new TokenManager(List.of(new TokenRegistration("orders", perUser, Duration.ofSeconds(30))), this.store,
				this.clock, listener, Duration.ofSeconds(5));
	}

	private AccessToken valid(String value, Duration lifetime) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(lifetime))
			.refreshToken("rt-" + value)
			.build();
	}

	private AccessToken expiredWithRefreshToken(String refreshToken) {
		return AccessToken.withValue("expired")
			.issuedAt(this.clock.instant().minusSeconds(3600))
			.expiresAt(this.clock.instant().minusSeconds(1))
			.refreshToken(refreshToken)
			.build();
	}

	/**
	 * What an OAuth 2.0 server's {@code invalid_grant} on a refresh becomes.
	 */
	static final class DeadGrant extends TokenApiException {

		DeadGrant() {
			super("Token endpoint answered 400 invalid_grant", 400);
		}

		@Override
		public boolean isReauthorizationRequired() {
			return true;
		}

	}

}
