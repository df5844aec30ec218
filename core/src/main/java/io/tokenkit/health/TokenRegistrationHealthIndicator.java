package io.tokenkit.health;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistrationStatus;
import io.tokenkit.token.TokenRegistrationStatus.LastAcquisition;
import io.tokenkit.token.TokenRegistrationStatus.Outcome;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.util.Assert;

/**
 * A {@link HealthIndicator} for one registration of a {@link TokenManager}, from the
 * {@link TokenManager#getRegistrationStatus(String) status} this instance knows:
 * <ul>
 * <li>{@code UP} while no acquisition has ended yet, or the last one succeeded, or the
 * application saved a token since;</li>
 * <li>{@code DOWN} when the last acquisition failed (the key cools down until the detail
 * {@code coolingDownUntil}, then the next request tries again), and when the application
 * token's refresh token was refused as dead. A user's refresh token refused as dead is
 * that user's state: it is counted, and the registration stays {@code UP}; so it does for
 * a user who never connected and for a request without a subject to a registration of
 * per-user tokens, which are not acquisitions of the registration;</li>
 * <li>{@code DOWN} too while the registration's token source is not
 * {@link TokenSource#checkReadiness() ready}: a token endpoint found from
 * {@code issuer-uri} is not known until the issuer's metadata is fetched. The details
 * then say what is missing and why ({@code metadata}, {@code issuer},
 * {@code metadataError}, {@code metadataHttpStatus}, {@code metadataReason},
 * {@code metadataFetchAfter}); a check starts a fetch in the background when none runs or
 * rests, so that the registration turns {@code UP} once the metadata arrives even before
 * its first token call.</li>
 * </ul>
 * Details: {@code lastAcquisition} ({@code none}, {@code success}, {@code saved},
 * {@code failure} or {@code reauthorization-required}), {@code lastAcquisitionAt},
 * {@code error} (the failure's class name, never its message) and {@code httpStatus}
 * after a failure, {@code coolingDownUntil} while the key rests, {@code secondsToExpiry}
 * of the application token held, and for per-user tokens only approximate counts
 * ({@code users.connected}, {@code users.expired}, {@code users.needsReauthorization}).
 * Never a token, never a subject. Checking walks this instance's copies of the tokens and
 * makes no token call.
 */
public final class TokenRegistrationHealthIndicator implements HealthIndicator {

	private final TokenManager manager;

	private final String registrationId;

	/**
	 * Create an indicator.
	 * @param manager the token manager
	 * @param registrationId the registration whose health to tell
	 * @throws IllegalArgumentException if the manager has no such registration
	 */
	public TokenRegistrationHealthIndicator(TokenManager manager, String registrationId) {
		Assert.notNull(manager, "manager must not be null");
		// the manager names the known ids when it has no such registration
		manager.getRegistration(registrationId);
		this.manager = manager;
		this.registrationId = registrationId;
	}

	/**
	 * Return a contributor with one indicator per registration of the manager, named
	 * after the registration.
	 * @param manager the token manager
	 * @return the composite contributor
	 */
	public static CompositeHealthContributor forEachRegistration(TokenManager manager) {
		Assert.notNull(manager, "manager must not be null");
		return CompositeHealthContributor.fromMap(manager.getRegistrations(),
				(registration) -> new TokenRegistrationHealthIndicator(manager, registration.id()));
	}

	@Override
	public Health health() {
		TokenSourceReadiness readiness = this.manager.getRegistration(this.registrationId).source().checkReadiness();
		return health(this.manager.getRegistrationStatus(this.registrationId), readiness);
	}

	/**
	 * Return the health a status means.
	 * @param status the status
	 * @return the health
	 */
	static Health health(TokenRegistrationStatus status) {
		return health(status, TokenSourceReadiness.READY);
	}

	/**
	 * Return the health a status and the readiness of the registration's source mean.
	 * @param status the status
	 * @param readiness the readiness of the registration's token source
	 * @return the health
	 */
	static Health health(TokenRegistrationStatus status, TokenSourceReadiness readiness) {
		LastAcquisition last = status.lastAcquisition();
		Health.Builder builder = (isUp(last) && readiness.ready()) ? Health.up() : Health.down();
		builder.withDetails(readiness.details());
		builder.withDetail("lastAcquisition", (last != null) ? name(last.outcome()) : "none");
		if (last != null) {
			builder.withDetail("lastAcquisitionAt", last.at().toString());
			if (last.errorType() != null) {
				builder.withDetail("error", last.errorType());
			}
			if (last.httpStatus() != 0) {
				builder.withDetail("httpStatus", last.httpStatus());
			}
		}
		if (status.coolingDownUntil() != null) {
			builder.withDetail("coolingDownUntil", status.coolingDownUntil().toString());
		}
		TokenRegistrationStatus.ApplicationToken application = status.applicationToken();
		Duration expiresIn = (application != null) ? application.expiresIn(status.at()) : null;
		if (expiresIn != null) {
			builder.withDetail("secondsToExpiry", expiresIn.toSeconds());
		}
		TokenRegistrationStatus.UserTokens users = status.userTokens();
		if (!users.isEmpty() || (last != null && last.perUser())) {
			Map<String, Integer> counts = new LinkedHashMap<>();
			counts.put("connected", users.connected());
			counts.put("expired", users.expired());
			counts.put("needsReauthorization", users.reauthorizationRequired());
			builder.withDetail("users", counts);
		}
		return builder.build();
	}

	private static boolean isUp(@Nullable LastAcquisition last) {
		if (last == null) {
			return true;
		}
		return switch (last.outcome()) {
			case SUCCESS, SAVED -> true;
			case FAILURE -> false;
			case REAUTHORIZATION_REQUIRED -> last.perUser();
		};
	}

	private static String name(Outcome outcome) {
		return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
