package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the longest lifetime of a registration
 * ({@link TokenRegistration#maxLifetime()}, {@code tokenkit.token-lifetime.max}): the
 * manager caps the token it acquires and stores, the source's answer stays as the server
 * gave it.
 */
class TokenManagerMaxLifetimeTests {

	private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

	private static final TokenKey KEY = TokenKey.of("bank", "customer-1");

	private final MutableClock clock = new MutableClock(NOW);

	private final CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofDays(30));

	private final InMemoryTokenStore store = new InMemoryTokenStore(this.clock);

	private TokenManager manager(@Nullable Duration maxLifetime) {
		return new TokenManager(List
			.of(new TokenRegistration("bank", this.source, TokenRegistration.DEFAULT_REFRESH_SKEW, maxLifetime)),
				this.store, this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
	}

	@Test
	void getTokenWhenMaxSetThenStoredTokenCappedAndExpiresAtTheCap() {
		TokenManager manager = manager(Duration.ofHours(24));
		AccessToken token = manager.getToken(KEY).block(Duration.ofSeconds(5));
		assertThat(token.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
		assertThat(this.store.get(KEY).getExpiresAt()).isEqualTo(NOW.plus(Duration.ofHours(24)));
		this.clock.set(NOW.plus(Duration.ofHours(24)).minusSeconds(31));
		assertThat(manager.getCachedToken(KEY)).isSameAs(this.store.get(KEY));
		this.clock.set(NOW.plus(Duration.ofHours(24)));
		assertThat(manager.getCachedToken(KEY)).isNull();
	}

	@Test
	void getTokenWhenNoMaxThenStoredWithTheServersLifetime() {
		TokenManager manager = manager(null);
		AccessToken token = manager.getToken(KEY).block(Duration.ofSeconds(5));
		assertThat(token.getExpiresAt()).isEqualTo(NOW.plus(Duration.ofDays(30)));
		this.clock.set(NOW.plus(Duration.ofHours(24)));
		assertThat(manager.getCachedToken(KEY)).isSameAs(token);
	}

	@Test
	void saveWhenMaxSetThenSavedTokenKeptAsItIs() {
		TokenManager manager = manager(Duration.ofHours(24));
		AccessToken saved = AccessToken.withValue("saved")
			.issuedAt(NOW)
			.expiresAt(NOW.plus(Duration.ofDays(30)))
			.refreshToken("rt-1")
			.build();
		manager.save(KEY, saved).block(Duration.ofSeconds(5));
		this.clock.set(NOW.plus(Duration.ofDays(2)));
		assertThat(manager.getCachedToken(KEY)).isSameAs(saved);
	}

	@Test
	void cappedWhenTokenHasNoExpiryOrIsShorterThenSameToken() {
		TokenRegistration registration = new TokenRegistration("bank", this.source,
				TokenRegistration.DEFAULT_REFRESH_SKEW, Duration.ofHours(1));
		AccessToken forever = AccessToken.withValue("static").build();
		AccessToken shorter = AccessToken.withValue("at")
			.issuedAt(NOW)
			.expiresAt(NOW.plus(Duration.ofMinutes(59)))
			.build();
		assertThat(registration.capped(forever)).isSameAs(forever);
		assertThat(registration.capped(shorter)).isSameAs(shorter);
	}

}
