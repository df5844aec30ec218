package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.TokenRegistrationStatus.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The read methods of {@link TokenManager} that a health check or a UI uses: the token
 * held ({@link TokenManager#getHeldToken}), refresh now ({@link TokenManager#refresh})
 * and the registration's status ({@link TokenManager#getRegistrationStatus}).
 */
class TokenManagerStatusTests {

	private static final TokenKey APP = TokenKey.of("orders");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final InMemoryTokenStore store = new InMemoryTokenStore(this.clock);

	private final TokenManager manager = new TokenManager(
			List.of(new TokenRegistration("orders", this.source, Duration.ofSeconds(30))), this.store, this.clock,
			TokenEventListener.NONE, Duration.ofSeconds(5));

	@Test
	void getHeldTokenWhenExpiredThenReturnsItWithoutTokenCall() {
		AccessToken acquired = this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(11));
		assertThat(this.manager.getCachedToken(APP)).isNull();
		assertThat(this.manager.getHeldToken(APP).block()).isSameAs(acquired);
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void getHeldTokenWhenNoneThenEmptyWithoutTokenCall() {
		assertThat(this.manager.getHeldToken(APP).blockOptional()).isEmpty();
		assertThat(this.manager.getHeldToken(TokenKey.of("orders", "alice")).blockOptional()).isEmpty();
		assertThat(this.source.calls()).isZero();
	}

	@Test
	void getHeldTokenWhenOnlyInBackingStoreThenLoadsIt() {
		AccessToken stored = token("elsewhere", Duration.ofMinutes(5));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)),
				new BackingOnlyStore(stored), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThat(manager.getHeldToken(APP).block()).isSameAs(stored);
		assertThat(this.source.calls()).isZero();
	}

	@Test
	void getHeldTokenWhenUnknownRegistrationThenSaysWhichAreKnown() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.manager.getHeldToken(TokenKey.of("billing")))
			.withMessageContaining("known: [orders]");
	}

	@Test
	void getRegistrationWhenUnknownThenCarriesTheIdAndTheKnownIds() {
		assertThatExceptionOfType(NoSuchRegistrationException.class)
			.isThrownBy(() -> this.manager.getRegistration("billing"))
			.satisfies((ex) -> {
				assertThat(ex.getRegistrationId()).isEqualTo("billing");
				assertThat(ex.getKnownIds()).containsExactly("orders");
			})
			.withMessageContaining("known: [orders]");
	}

	@Test
	void refreshWhenTokenStillValidThenOneRefreshFromItsRefreshTokenReplacesIt() {
		AccessToken first = this.manager.getToken(APP).block();
		AccessToken refreshed = this.manager.refresh(APP).block();
		assertThat(refreshed.getTokenValue()).isEqualTo("token-2");
		assertThat(this.source.refreshes()).isEqualTo(1);
		assertThat(this.manager.getCachedToken(APP)).isSameAs(refreshed).isNotSameAs(first);
	}

	@Test
	void refreshWhenNothingHeldThenObtainsAToken() {
		assertThat(this.manager.refresh(APP).block().getTokenValue()).isEqualTo("token-1");
		assertThat(this.source.obtains()).isEqualTo(1);
		assertThat(this.source.refreshes()).isZero();
	}

	@Test
	void refreshWhenFiftyCallersAskAtOnceThenOneTokenCall() {
		this.manager.getToken(APP).block();
		this.source.delay(Duration.ofMillis(300));
		List<AccessToken> tokens = Flux.range(0, 50)
			.flatMap((i) -> this.manager.refresh(APP).subscribeOn(Schedulers.parallel()), 50)
			.collectList()
			.block(Duration.ofSeconds(10));
		assertThat(tokens).hasSize(50).allSatisfy((token) -> assertThat(token.getTokenValue()).isEqualTo("token-2"));
		assertThat(this.source.refreshes()).isEqualTo(1);
		assertThat(this.source.calls()).isEqualTo(2);
	}

	@Test
	void refreshWhenAcquisitionInFlightThenJoinsIt() {
		this.source.delay(Duration.ofMillis(300));
		Mono<AccessToken> request = this.manager.getToken(APP).cache();
		request.subscribe();
		AccessToken refreshed = this.manager.refresh(APP).block(Duration.ofSeconds(5));
		assertThat(refreshed).isSameAs(request.block(Duration.ofSeconds(5)));
		assertThat(this.source.calls()).isEqualTo(1);
	}

	@Test
	void refreshWhenCoolingDownThenFailsFastWithoutTokenCall() {
		this.manager.getToken(APP).block();
		this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.refresh(APP).block());
		assertThatExceptionOfType(TokenCoolDownException.class).isThrownBy(() -> this.manager.refresh(APP).block())
			.satisfies((ex) -> assertThat(ex.getNextAttempt()).isEqualTo(this.clock.instant().plusSeconds(1)));
		assertThat(this.source.refreshes()).isEqualTo(1);
		// the valid token still serves while the key rests
		assertThat(this.manager.getCachedToken(APP).getTokenValue()).isEqualTo("token-1");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.manager.refresh(APP).block().getTokenValue()).isEqualTo("token-2");
		assertThat(this.source.refreshes()).isEqualTo(2);
	}

	@Test
	void refreshWhenRefreshTokenRefusedThenNeedsReauthorizationAndMakesNoMoreTokenCalls() {
		TokenKey alice = TokenKey.of("orders", "alice");
		this.manager.save(alice, token("alice-1", Duration.ofMinutes(5))).block();
		this.source.failNext(new TokenManagerFaultTests.DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.refresh(alice).block());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.refresh(alice).block());
		assertThat(this.source.refreshes()).isEqualTo(1);
	}

	@Test
	void refreshWhenRemovedWhileBackingStoreAnswersThenNoTokenCallAndNothingStored() {
		TokenKey alice = TokenKey.of("orders", "alice");
		GatedBackingStore store = new GatedBackingStore();
		store.backing.put(alice, token("alice-1", Duration.ofMinutes(5)));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		// an operator presses "refresh now"; the backing store's answer (alice-1) is on
		// its way
		Sinks.Empty<Void> answer = Sinks.empty();
		store.nextLoads.add(new GatedLoad(answer.asMono(), false));
		Mono<AccessToken> refreshing = manager.refresh(alice).cache();
		refreshing.subscribe(null, (ex) -> {
		});
		// meanwhile the user disconnects
		manager.remove(alice).block(Duration.ofSeconds(5));
		assertThat(store.backing.get(alice)).isNull();
		answer.tryEmitEmpty();
		assertThatExceptionOfType(TokenAcquisitionException.class)
			.isThrownBy(() -> refreshing.block(Duration.ofSeconds(5)))
			.withMessageContaining("was removed while it was being acquired");
		assertThat(this.source.calls()).as("token calls with the removed refresh token").isZero();
		assertThat(store.backing.get(alice)).as("token held after the user was removed").isNull();
	}

	@Test
	void refreshWhenCalledAgainWhileBackingStoreAnswersThenOneTokenCall() {
		TokenKey alice = TokenKey.of("orders", "alice");
		GatedBackingStore store = new GatedBackingStore();
		store.backing.put(alice, token("alice-1", Duration.ofMinutes(5)));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", this.source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		// the first refresh's read of the backing store answers first; the second's only
		// after the first refresh has stored its token
		Sinks.Empty<Void> first = Sinks.empty();
		Sinks.Empty<Void> second = Sinks.empty();
		store.nextLoads.add(new GatedLoad(first.asMono(), false));
		store.nextLoads.add(new GatedLoad(second.asMono(), true));
		Mono<AccessToken> one = manager.refresh(alice).cache();
		Mono<AccessToken> two = manager.refresh(alice).cache();
		one.subscribe(null, (ex) -> {
		});
		two.subscribe(null, (ex) -> {
		});
		first.tryEmitEmpty();
		AccessToken refreshed = one.block(Duration.ofSeconds(5));
		second.tryEmitEmpty();
		assertThat(two.block(Duration.ofSeconds(5))).isSameAs(refreshed);
		assertThat(refreshed.getTokenValue()).isEqualTo("token-1");
		assertThat(this.source.calls()).isEqualTo(1);
		assertThat(store.backing.get(alice)).isSameAs(refreshed);
	}

	@Test
	void getRegistrationStatusWhenNothingAcquiredThenNoLastAcquisition() {
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.registrationId()).isEqualTo("orders");
		assertThat(status.at()).isEqualTo(this.clock.instant());
		assertThat(status.lastAcquisition()).isNull();
		assertThat(status.coolingDownUntil()).isNull();
		assertThat(status.applicationToken()).isNull();
		assertThat(status.userTokens()).isEqualTo(TokenRegistrationStatus.UserTokens.NONE);
	}

	@Test
	void getRegistrationStatusWhenAcquiredThenSuccessAndExpiryOfTheApplicationToken() {
		Instant acquiredAt = this.clock.instant();
		this.manager.getToken(APP).block();
		this.clock.advance(Duration.ofMinutes(4));
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(status.lastAcquisition().at()).isEqualTo(acquiredAt);
		assertThat(status.lastAcquisition().perUser()).isFalse();
		assertThat(status.lastAcquisition().errorType()).isNull();
		assertThat(status.applicationToken().expiresAt()).isEqualTo(acquiredAt.plus(Duration.ofMinutes(10)));
		assertThat(status.applicationToken().expiresIn(status.at())).isEqualTo(Duration.ofMinutes(6));
	}

	@Test
	void getRegistrationStatusWhenAcquisitionFailedThenFailureWithItsTypeStatusAndCoolDown() {
		this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
		Instant failedAt = this.clock.instant();
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.FAILURE);
		assertThat(status.lastAcquisition().at()).isEqualTo(failedAt);
		assertThat(status.lastAcquisition().errorType()).isEqualTo("TokenApiException");
		assertThat(status.lastAcquisition().httpStatus()).isEqualTo(503);
		assertThat(status.coolingDownUntil()).isEqualTo(failedAt.plusSeconds(1));
		this.clock.advance(Duration.ofSeconds(1));
		status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.FAILURE);
		assertThat(status.coolingDownUntil()).isNull();
		this.manager.getToken(APP).block();
		assertThat(this.manager.getRegistrationStatus("orders").lastAcquisition().outcome()).isEqualTo(Outcome.SUCCESS);
	}

	@Test
	void getRegistrationStatusWhenTokenSavedAfterFailureThenSavedAndNoCoolDown() {
		this.source.failNext(new IllegalStateException("connection refused"));
		assertThatExceptionOfType(TokenAcquisitionException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		TokenRegistrationStatus failed = this.manager.getRegistrationStatus("orders");
		assertThat(failed.lastAcquisition().errorType()).isEqualTo("IllegalStateException");
		assertThat(failed.lastAcquisition().httpStatus()).isZero();
		this.manager.save(APP, token("saved", Duration.ofMinutes(5))).block();
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.SAVED);
		assertThat(status.coolingDownUntil()).isNull();
	}

	@Test
	void getRegistrationStatusWhenAnEarlierEndingIsToldAfterALaterOneThenTheLaterOneStays() {
		// two keys' acquisitions end at once on two threads: the one that read the clock
		// first can be the last to tell; told in that order here by setting the clock
		// back
		Instant later = this.clock.instant();
		this.manager.save(TokenKey.of("orders", "alice"), token("alice-1", Duration.ofMinutes(5))).block();
		this.clock.set(later.minusMillis(5));
		this.source.failNext(new TokenApiException("Token endpoint answered 503", 503));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(APP).block());
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.SAVED);
		assertThat(status.lastAcquisition().at()).isEqualTo(later);
		// an ending at the same time or later is told
		this.clock.set(later);
		this.manager.save(APP, token("app-1", Duration.ofMinutes(5))).block();
		assertThat(this.manager.getRegistrationStatus("orders").lastAcquisition().perUser()).isFalse();
	}

	@Test
	void getRegistrationStatusWhenUsersHeldThenCountsEachUserOnceWithoutSubjects() {
		this.manager.save(TokenKey.of("orders", "alice"), token("alice-1", Duration.ofMinutes(5))).block();
		this.manager.save(TokenKey.of("orders", "bob"), token("bob-1", Duration.ofMinutes(1))).block();
		this.manager.save(TokenKey.of("orders", "carol"), token("carol-1", Duration.ofMinutes(1))).block();
		this.clock.advance(Duration.ofMinutes(2));
		TokenKey carol = TokenKey.of("orders", "carol");
		this.source.failNext(new TokenManagerFaultTests.DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(carol).block());
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		// alice valid, bob expired, carol's refresh token refused: counted once, as such
		assertThat(status.userTokens()).isEqualTo(new TokenRegistrationStatus.UserTokens(1, 1, 1));
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.REAUTHORIZATION_REQUIRED);
		assertThat(status.lastAcquisition().perUser()).isTrue();
		assertThat(status.coolingDownUntil()).isNull();
		assertThat(status.applicationToken()).isNull();
		assertThat(status.toString()).doesNotContain("alice", "bob", "carol");
		// a new authorization ends the mark
		this.manager.save(carol, token("carol-2", Duration.ofMinutes(5))).block();
		assertThat(this.manager.getRegistrationStatus("orders").userTokens())
			.isEqualTo(new TokenRegistrationStatus.UserTokens(2, 1, 0));
	}

	@Test
	void getRegistrationStatusWhenUserHasNoTokenToAcquireFromThenNotTheRegistrationsFailure() {
		AtomicInteger asked = new AtomicInteger();
		TokenSource perUser = (key) -> Mono.defer(() -> {
			asked.incrementAndGet();
			return Mono.error(new TokenAcquisitionException(key.registrationId(),
					"Registration '" + key.registrationId() + "' has no token for this subject"));
		});
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", perUser)),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		TokenKey dave = TokenKey.of("bank", "dave");
		for (int i = 0; i < 3; i++) {
			// the same type again while the source is not asked again
			assertThatExceptionOfType(NoTokenForSubjectException.class).isThrownBy(() -> manager.getToken(dave).block())
				.satisfies((ex) -> assertThat(ex.getRegistrationId()).isEqualTo("bank"))
				.withMessageContaining("has no token for this subject")
				.withMessageNotContaining("dave");
		}
		assertThat(asked).hasValue(1);
		assertThat(manager.getRegistrationStatus("bank").lastAcquisition()).isNull();
		// without a subject, the same answer is a missing subject: a programming slip,
		// not
		// the registration's failure either
		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(SubjectRequiredException.class)
				.isThrownBy(() -> manager.getToken(TokenKey.of("bank")).block())
				.satisfies((ex) -> {
					assertThat(ex.getRegistrationId()).isEqualTo("bank");
					assertThat(ex.getAttributeName()).isEqualTo(TokenRequestAttributes.SUBJECT);
				})
				.withMessageContaining("Registration 'bank'")
				.withMessageContaining(TokenRequestAttributes.SUBJECT);
		}
		assertThat(asked).hasValue(2);
		TokenRegistrationStatus status = manager.getRegistrationStatus("bank");
		assertThat(status.lastAcquisition()).isNull();
		assertThat(status.coolingDownUntil()).isNull();
		// the user connects: her token serves at once, with no token call
		AccessToken connected = token("dave-1", Duration.ofMinutes(5));
		manager.save(dave, connected).block();
		assertThat(manager.getToken(dave).block()).isSameAs(connected);
		assertThat(asked).hasValue(2);
	}

	@Test
	void getTokenWhenSourceSaysUserMustAuthorizeAgainThenNoMoreTokenCallsAndCountedAsSuch() {
		AtomicInteger calls = new AtomicInteger();
		TokenSource perUser = (key) -> Mono.defer(() -> {
			calls.incrementAndGet();
			return Mono.error(new ReauthorizationRequiredException(key.registrationId(),
					"Registration '" + key.registrationId() + "' needs a new authorization for this subject",
					new IllegalStateException("grant revoked")));
		});
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", perUser)),
				new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		TokenKey dave = TokenKey.of("bank", "dave");
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> manager.getToken(dave).block());
		// not a cool-down that ends: no token call until a new token is saved
		this.clock.advance(Duration.ofHours(2));
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> manager.getToken(dave).block());
		assertThat(calls).hasValue(1);
		TokenRegistrationStatus status = manager.getRegistrationStatus("bank");
		assertThat(status.userTokens()).isEqualTo(new TokenRegistrationStatus.UserTokens(0, 0, 1));
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.REAUTHORIZATION_REQUIRED);
		assertThat(status.lastAcquisition().perUser()).isTrue();
	}

	@Test
	void getRegistrationStatusIsReadWhileCallersWaitForAnAcquisition() throws InterruptedException {
		CountDownLatch answered = new CountDownLatch(1);
		this.source.delay(Duration.ofMillis(300));
		this.manager.getToken(APP).subscribe((token) -> answered.countDown());
		assertThat(this.manager.getRegistrationStatus("orders").lastAcquisition()).isNull();
		assertThat(answered.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.manager.getRegistrationStatus("orders").lastAcquisition().outcome()).isEqualTo(Outcome.SUCCESS);
	}

	private AccessToken token(String value, Duration lifetime) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(lifetime))
			.refreshToken("refresh-" + value)
			.build();
	}

	/**
	 * A store whose token lives only in its backing store, as a token another instance
	 * wrote to Redis does.
	 */
	private static final class BackingOnlyStore implements TokenStore {

		private final AccessToken stored;

		BackingOnlyStore(AccessToken stored) {
			this.stored = stored;
		}

		@Override
		public @Nullable AccessToken get(TokenKey key) {
			return null;
		}

		@Override
		public Mono<AccessToken> load(TokenKey key) {
			return Mono.just(this.stored);
		}

		@Override
		public Mono<Void> save(TokenKey key, AccessToken token) {
			return Mono.empty();
		}

		@Override
		public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
			return Mono.just(false);
		}

		@Override
		public Mono<Void> remove(TokenKey key) {
			return Mono.empty();
		}

	}

	/**
	 * One read of a {@link GatedBackingStore} that answers once {@code gate} completes:
	 * with what was stored when it was asked, or, if {@code readLate}, when it answers.
	 */
	private record GatedLoad(Mono<Void> gate, boolean readLate) {
	}

	/**
	 * A store with no copy in memory (as a Redis store on an instance that has not seen
	 * the key) whose next reads of the backing store answer late.
	 */
	private static final class GatedBackingStore implements TokenStore {

		private final Map<TokenKey, AccessToken> backing = new ConcurrentHashMap<>();

		private final Queue<GatedLoad> nextLoads = new ConcurrentLinkedQueue<>();

		@Override
		public @Nullable AccessToken get(TokenKey key) {
			return null;
		}

		@Override
		public Mono<AccessToken> load(TokenKey key) {
			GatedLoad gated = this.nextLoads.poll();
			if (gated == null) {
				return Mono.justOrEmpty(this.backing.get(key));
			}
			if (gated.readLate()) {
				return gated.gate().then(Mono.fromSupplier(() -> this.backing.get(key)));
			}
			AccessToken answer = this.backing.get(key);
			return gated.gate().then(Mono.justOrEmpty(answer));
		}

		@Override
		public Mono<Void> save(TokenKey key, AccessToken token) {
			return Mono.fromRunnable(() -> this.backing.put(key, token));
		}

		@Override
		public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
			return Mono.fromSupplier(() -> (replacement != null) ? this.backing.replace(key, expected, replacement)
					: this.backing.remove(key, expected));
		}

		@Override
		public Mono<Void> remove(TokenKey key) {
			return Mono.fromRunnable(() -> this.backing.remove(key));
		}

	}

}
