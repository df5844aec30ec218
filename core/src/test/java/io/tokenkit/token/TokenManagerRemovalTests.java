package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.tokenkit.testsupport.ForwardingTokenStore;
import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What {@link TokenManager#remove} and {@link TokenManager#removeAll} leave at the
 * authorization server: every token they take away is revoked once, a token a refresh in
 * flight obtains after the removal included, and a caller that cancels does not stop it.
 */
class TokenManagerRemovalTests {

	private static final TokenKey ALICE = TokenKey.of("users", "alice");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final InMemoryTokenStore store = new InMemoryTokenStore(this.clock);

	private final List<String> revoked = new CopyOnWriteArrayList<>();

	private final Sinks.One<AccessToken> answer = Sinks.one();

	private final CountDownLatch refreshing = new CountDownLatch(1);

	@Test
	void removeWhileRefreshInFlightThenRotatedRefreshTokenRevokedToo() throws Exception {
		removeWhileRefreshInFlight((manager) -> manager.remove(ALICE));
	}

	@Test
	void removeAllWhileRefreshInFlightThenRotatedRefreshTokenRevokedToo() throws Exception {
		removeWhileRefreshInFlight((manager) -> manager.removeAll("users", "alice"));
	}

	private void removeWhileRefreshInFlight(Function<TokenManager, Mono<Void>> removal) throws Exception {
		TokenManager manager = manager(this.store);
		manager.save(ALICE, token("at-1", "rt-1")).block();
		CompletableFuture<AccessToken> refreshed = manager.refresh(ALICE).toFuture();
		assertThat(this.refreshing.await(5, TimeUnit.SECONDS)).isTrue();
		// the user logs out while the refresh is at the token endpoint, which has already
		// rotated rt-1 into rt-2
		removal.apply(manager).block(Duration.ofSeconds(5));
		this.answer.tryEmitValue(token("at-2", "rt-2"));
		await().atMost(Duration.ofSeconds(5)).until(refreshed::isDone);
		manager.close();
		assertThat(this.store.get(ALICE)).isNull();
		assertThat(this.revoked).containsExactlyInAnyOrder("rt-1", "rt-2");
	}

	@Test
	void removeAllThenEveryParameterSetRevokedOnce() {
		TokenManager manager = manager(this.store);
		TokenKey read = ALICE.withParameters(TokenParameters.scopes("read"));
		TokenKey write = ALICE.withParameters(TokenParameters.scopes("write"));
		manager.save(ALICE, token("at-0", "rt-0")).block();
		manager.save(read, token("at-r", "rt-r")).block();
		manager.save(write, token("at-w", "rt-w")).block();
		manager.save(TokenKey.of("users", "bob"), token("at-b", "rt-b")).block();
		manager.removeAll("users", "alice").block();
		manager.removeAll("users", "alice").block();
		manager.close();
		assertThat(this.revoked).containsExactlyInAnyOrder("rt-0", "rt-r", "rt-w");
		assertThat(this.store.get(TokenKey.of("users", "bob"))).isNotNull();
	}

	@Test
	void removeCancelledAfterTheStoreWasAskedThenTokenStillRevoked() {
		Sinks.Empty<Void> storeAnswers = Sinks.empty();
		// removals take effect at once, their answer comes when told, as a remote
		// store's reply is on its way
		TokenStore slow = new ForwardingTokenStore(this.store) {
			@Override
			public Mono<AccessToken> getAndRemove(TokenKey key) {
				return TokenManagerRemovalTests.this.store.getAndRemove(key)
					.delayUntil((removed) -> storeAnswers.asMono());
			}
		};
		TokenManager manager = manager(slow);
		manager.save(ALICE, token("at-1", "rt-1")).block();
		Disposable logout = manager.remove(ALICE).subscribe();
		// the client goes away while the store's answer is on its way
		logout.dispose();
		storeAnswers.tryEmitEmpty();
		manager.close();
		assertThat(this.store.get(ALICE)).isNull();
		assertThat(this.revoked).containsExactly("rt-1");
	}

	private TokenManager manager(TokenStore store) {
		TokenSource source = new TokenSource() {
			@Override
			public Mono<AccessToken> obtain(TokenKey key) {
				return Mono.error(new TokenAcquisitionException("users", "none"));
			}

			@Override
			public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
				TokenManagerRemovalTests.this.refreshing.countDown();
				return TokenManagerRemovalTests.this.answer.asMono();
			}

			@Override
			public boolean supportsParameters() {
				return true;
			}

			@Override
			public Mono<Boolean> revoke(TokenKey key, AccessToken removed) {
				TokenManagerRemovalTests.this.revoked.add(removed.getRefreshToken());
				return Mono.just(true);
			}
		};
		return new TokenManager(List.of(TokenRegistration.of("users", source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
	}

	private AccessToken token(String value, String refreshToken) {
		Instant now = this.clock.instant();
		return AccessToken.withValue(value)
			.issuedAt(now)
			.expiresAt(now.plus(Duration.ofHours(1)))
			.refreshToken(refreshToken)
			.build();
	}

}
