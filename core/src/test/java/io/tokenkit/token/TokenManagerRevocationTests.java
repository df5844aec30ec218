package io.tokenkit.token;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TokenManager#remove(TokenKey)} hands the removed token to its source's
 * {@link TokenSource#revoke}, once, after the store removed it and off the caller's
 * thread; a source that fails (in its {@link Mono} or by throwing) is reported and leaves
 * the token removed; a source that has nothing to revoke reports nothing.
 */
class TokenManagerRevocationTests {

	private static final TokenKey ALICE = TokenKey.of("orders", "alice");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryTokenStore store = new InMemoryTokenStore(this.clock);

	private final CompletableFuture<TokenKey> succeeded = new CompletableFuture<>();

	private final CompletableFuture<Throwable> failed = new CompletableFuture<>();

	private final TokenEventListener listener = new TokenEventListener() {

		@Override
		public void revocationSucceeded(TokenKey key) {
			TokenManagerRevocationTests.this.succeeded.complete(key);
		}

		@Override
		public void revocationFailed(TokenKey key, Throwable error) {
			TokenManagerRevocationTests.this.failed.complete(error);
		}

	};

	@Test
	void removeWhenTokenStoredThenSourceRevokesItOnceAfterTheStoreRemovedIt() throws Exception {
		List<String> revoked = new CopyOnWriteArrayList<>();
		List<Boolean> heldWhenRevoked = new CopyOnWriteArrayList<>();
		List<Thread> threads = new CopyOnWriteArrayList<>();
		TokenManager manager = manager((key, removed) -> {
			revoked.add(removed.getTokenValue());
			heldWhenRevoked.add(this.store.get(key) != null);
			threads.add(Thread.currentThread());
			return Mono.just(true);
		});
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		manager.remove(ALICE).block();
		assertThat(this.succeeded.get(10, TimeUnit.SECONDS)).isEqualTo(ALICE);
		manager.close();
		assertThat(revoked).containsExactly("at-1");
		assertThat(heldWhenRevoked).containsExactly(false);
		assertThat(threads).doesNotContain(Thread.currentThread());
	}

	@Test
	void removeWhenSourceThrowsThenReportedAndTokenStaysRemoved() throws Exception {
		TokenManager manager = manager((key, removed) -> {
			throw new IllegalStateException("revocation broke");
		});
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		assertThat(this.failed.get(10, TimeUnit.SECONDS)).hasMessage("revocation broke");
		assertThat(manager.getHeldToken(ALICE).blockOptional()).isEmpty();
	}

	@Test
	void removeWhenSourceHasNothingToRevokeThenNothingReported() {
		TokenManager manager = manager((key, removed) -> Mono.just(false));
		manager.save(ALICE, token()).block();
		manager.remove(ALICE).block();
		manager.close();
		assertThat(this.succeeded).isNotDone();
		assertThat(this.failed).isNotDone();
	}

	private TokenManager manager(Revoke revoke) {
		TokenSource source = new TokenSource() {

			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new TokenAcquisitionException(key.registrationId(), "nothing to acquire"));
			}

			@Override
			public Mono<Boolean> revoke(TokenKey key, AccessToken removed) {
				return revoke.revoke(key, removed);
			}

		};
		return new TokenManager(List.of(TokenRegistration.of("orders", source)), this.store, this.clock, this.listener,
				Duration.ofSeconds(5));
	}

	private AccessToken token() {
		return AccessToken.withValue("at-1")
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plusSeconds(600))
			.refreshToken("rt-1")
			.build();
	}

	@FunctionalInterface
	private interface Revoke {

		Mono<Boolean> revoke(TokenKey key, AccessToken removed);

	}

}
