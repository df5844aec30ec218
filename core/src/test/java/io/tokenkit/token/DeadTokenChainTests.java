package io.tokenkit.token;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.ForwardingTokenStore;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.TokenRegistrationStatus.Outcome;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A shared store signals a refresh token marked dead with a
 * {@link DeadTokenChainException}; the {@link TokenManager} words what its callers get.
 */
class DeadTokenChainTests {

	private static final String SUBJECT = "alice@example.com";

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final DeadMarkingStore store = new DeadMarkingStore(new InMemoryTokenStore(this.clock));

	private final TokenManager manager = new TokenManager(
			List.of(new TokenRegistration("orders", this.source, Duration.ofSeconds(30))), this.store, this.clock,
			TokenEventListener.NONE, Duration.ofSeconds(5));

	@Test
	void acquireWhenStoreSignalsDeadChainForSubjectThenReauthorizationRequiredNamingRegistrationOnly() {
		TokenKey alice = TokenKey.of("orders", SUBJECT);
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(alice).block())
			.satisfies((ex) -> {
				assertThat(ex.getRegistrationId()).isEqualTo("orders");
				assertThat(ex.getMessage()).isEqualTo("Registration 'orders' needs a new authorization for this "
						+ "subject: its refresh token was refused. No token call is made until a new token is saved "
						+ "with TokenManager.save")
					.doesNotContain(SUBJECT);
				assertThat(ex.getCause()).isInstanceOf(TokenAcquisitionException.class).hasMessage("marked in Redis");
			});
		TokenRegistrationStatus status = this.manager.getRegistrationStatus("orders");
		assertThat(status.lastAcquisition().outcome()).isEqualTo(Outcome.REAUTHORIZATION_REQUIRED);
		assertThat(status.lastAcquisition().errorType()).isEqualTo("ReauthorizationRequiredException");
		assertThat(status.coolingDownUntil()).isNull();
		assertThat(status.userTokens().reauthorizationRequired()).isEqualTo(1);
	}

	@Test
	void acquireWhenStoreSignaledDeadChainThenNextCallFailsFastWithoutTokenCall() {
		TokenKey app = TokenKey.of("orders");
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(app).block())
			.withMessage("Registration 'orders' needs a new authorization: its refresh token was refused. No token "
					+ "call is made until a new token is saved with TokenManager.save");
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(app).block())
			.withRootCauseInstanceOf(TokenAcquisitionException.class)
			.havingRootCause()
			.withMessage("marked in Redis");
		assertThat(this.store.acquisitions()).isOne();
		assertThat(this.source.calls()).isZero();
		this.store.revive();
		this.manager.save(app, this.source.obtain(app).block()).block();
		assertThat(this.manager.getToken(app).block()).isNotNull();
	}

	/**
	 * A store whose every acquisition finds the key's refresh token marked dead, as a
	 * shared store does after another instance's refresh was refused, until revived.
	 */
	private static final class DeadMarkingStore extends ForwardingTokenStore {

		private final TokenStore delegate;

		private final AtomicInteger acquisitions = new AtomicInteger();

		private volatile boolean dead = true;

		DeadMarkingStore(InMemoryTokenStore delegate) {
			super(delegate);
			this.delegate = delegate;
		}

		int acquisitions() {
			return this.acquisitions.get();
		}

		void revive() {
			this.dead = false;
		}

		@Override
		public Mono<AccessToken> acquire(TokenKey key, boolean newerSuffices, Predicate<AccessToken> current,
				Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
			this.acquisitions.incrementAndGet();
			return this.dead ? Mono.error(new DeadTokenChainException(key, "marked in Redis"))
					: this.delegate.acquire(key, newerSuffices, current, acquisition);
		}

	}

}
