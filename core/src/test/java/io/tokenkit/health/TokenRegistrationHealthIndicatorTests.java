package io.tokenkit.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenApiException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TokenRegistrationHealthIndicatorTests {

	private static final TokenKey ORDERS = TokenKey.of("orders");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private final CountingTokenSource orders = new CountingTokenSource(this.clock, Duration.ofMinutes(10));

	private final CountingTokenSource bank = new CountingTokenSource(this.clock, Duration.ofMinutes(1));

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", this.orders), TokenRegistration.of("bank", this.bank)),
			new InMemoryTokenStore(this.clock), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));

	private final HealthIndicator ordersHealth = new TokenRegistrationHealthIndicator(this.manager, "orders");

	private final HealthIndicator bankHealth = new TokenRegistrationHealthIndicator(this.manager, "bank");

	@Test
	void healthWhenNothingAcquiredThenUpWithNoLastAcquisition() {
		Health health = this.ordersHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsExactly(Map.entry("lastAcquisition", "none"));
	}

	@Test
	void healthWhenAcquiredThenUpWithTimeAndSecondsToExpiry() {
		this.manager.getToken(ORDERS).block();
		this.clock.advance(Duration.ofSeconds(90));
		Health health = this.ordersHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastAcquisition", "success")
			.containsEntry("lastAcquisitionAt", "2026-11-23T10:00:00Z")
			.containsEntry("secondsToExpiry", 510L)
			.doesNotContainKeys("error", "httpStatus", "coolingDownUntil", "users");
	}

	@Test
	void healthWhenApplicationTokenExpiredThenZeroSecondsToExpiry() {
		this.manager.getToken(ORDERS).block();
		this.clock.advance(Duration.ofMinutes(15));
		assertThat(this.ordersHealth.health().getDetails()).containsEntry("secondsToExpiry", 0L);
	}

	@Test
	void healthWhenAcquisitionFailedThenDownWithErrorAndCoolDownUntilTheNextSuccess() {
		this.orders.failNext(new TokenApiException("Token endpoint answered 503", 503));
		assertThatExceptionOfType(TokenApiException.class).isThrownBy(() -> this.manager.getToken(ORDERS).block());
		Health cooling = this.ordersHealth.health();
		assertThat(cooling.getStatus()).isEqualTo(Status.DOWN);
		assertThat(cooling.getDetails()).containsEntry("lastAcquisition", "failure")
			.containsEntry("lastAcquisitionAt", "2026-11-23T10:00:00Z")
			.containsEntry("error", "TokenApiException")
			.containsEntry("httpStatus", 503)
			.containsEntry("coolingDownUntil", "2026-11-23T10:00:01Z")
			.doesNotContainKey("secondsToExpiry");
		this.clock.advance(Duration.ofSeconds(1));
		Health rested = this.ordersHealth.health();
		assertThat(rested.getStatus()).isEqualTo(Status.DOWN);
		assertThat(rested.getDetails()).containsEntry("lastAcquisition", "failure")
			.doesNotContainKey("coolingDownUntil");
		this.manager.getToken(ORDERS).block();
		Health recovered = this.ordersHealth.health();
		assertThat(recovered.getStatus()).isEqualTo(Status.UP);
		assertThat(recovered.getDetails()).containsEntry("lastAcquisition", "success").doesNotContainKey("error");
	}

	@Test
	void healthWhenApplicationRefreshTokenRefusedThenDown() {
		this.manager.getToken(ORDERS).block();
		this.clock.advance(Duration.ofMinutes(11));
		this.orders.failNext(new DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(ORDERS).block());
		Health health = this.ordersHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("lastAcquisition", "reauthorization-required")
			.containsEntry("httpStatus", 400)
			.doesNotContainKey("coolingDownUntil");
	}

	@Test
	void healthWhenUsersThenUpWithCountsOnlyAndNoSubjectOrTokenAnywhere() {
		List<String> secrets = new ArrayList<>();
		for (String subject : List.of("alice@example.com", "bob-7f3a9c", "carol.customer-0042")) {
			AccessToken token = this.bank.obtain(TokenKey.of("bank", subject)).block();
			this.manager.save(TokenKey.of("bank", subject), token).block();
			secrets.add(subject);
			secrets.add(token.getTokenValue());
			secrets.add(token.getRefreshToken());
		}
		this.clock.advance(Duration.ofSeconds(61));
		AccessToken refreshed = this.manager.getToken(TokenKey.of("bank", "alice@example.com")).block();
		secrets.add(refreshed.getTokenValue());
		secrets.add(refreshed.getRefreshToken());
		// carol's refresh token is refused: her state, not the registration's
		this.bank.failNext(new DeadGrant());
		assertThatExceptionOfType(ReauthorizationRequiredException.class)
			.isThrownBy(() -> this.manager.getToken(TokenKey.of("bank", "carol.customer-0042")).block());
		Health health = this.bankHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastAcquisition", "reauthorization-required")
			.containsEntry("users", Map.of("connected", 1, "expired", 1, "needsReauthorization", 1))
			.doesNotContainKey("secondsToExpiry");
		Map<String, Health> all = new LinkedHashMap<>();
		all.put("orders", this.ordersHealth.health());
		all.put("bank", health);
		String json = JsonMapper.builder().build().writeValueAsString(all);
		assertThat(json).contains("\"needsReauthorization\":1");
		assertThat(secrets).hasSize(11).allSatisfy((secret) -> assertThat(json).doesNotContain(secret));
	}

	@Test
	void healthWhenUserRefreshFailsAtTheTokenEndpointThenDown() {
		TokenKey alice = TokenKey.of("bank", "alice");
		this.manager.save(alice, this.bank.obtain(alice).block()).block();
		this.clock.advance(Duration.ofMinutes(2));
		this.bank.failNext(new TokenApiException("Token endpoint answered 500", 500));
		assertThatException().isThrownBy(() -> this.manager.getToken(alice).block());
		Health health = this.bankHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("lastAcquisition", "failure")
			.containsEntry("httpStatus", 500)
			.containsKey("coolingDownUntil")
			.containsEntry("users", Map.of("connected", 0, "expired", 1, "needsReauthorization", 0));
	}

	@Test
	void healthWhenUserConnectedThenSavedCountsAsUp() {
		TokenKey alice = TokenKey.of("bank", "alice");
		this.manager.save(alice, this.bank.obtain(alice).block()).block();
		Health health = this.bankHealth.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("lastAcquisition", "saved")
			.containsEntry("users", Map.of("connected", 1, "expired", 0, "needsReauthorization", 0));
	}

	@Test
	void forEachRegistrationThenOneIndicatorNamedAfterEachRegistration() {
		this.manager.getToken(ORDERS).block();
		CompositeHealthContributor composite = TokenRegistrationHealthIndicator.forEachRegistration(this.manager);
		assertThat(composite.stream().map(HealthContributors.Entry::name)).containsExactly("orders", "bank");
		HealthIndicator orders = (HealthIndicator) composite.getContributor("orders");
		assertThat(orders.health().getDetails()).containsEntry("lastAcquisition", "success");
		HealthIndicator bank = (HealthIndicator) composite.getContributor("bank");
		assertThat(bank.health().getDetails()).containsEntry("lastAcquisition", "none");
	}

	@Test
	void createWhenUnknownRegistrationThenFails() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TokenRegistrationHealthIndicator(this.manager, "x"))
			.withMessageContaining("'x'");
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
