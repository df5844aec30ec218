package io.tokenkit.token;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * Keeps the books of one registration that its {@link TokenRegistrationStatus} is read
 * from, for a health check: how its last acquisition ended, and, when asked, whether that
 * key still cools down, the application token held and counts of the per-user tokens
 * held. Never a token or a subject; nothing here is on the request path.
 */
final class RegistrationStatusBook {

	/**
	 * How the last acquisition of any key ended; written only when one ends, and never
	 * with an ending older than the one held (two keys may end at once).
	 */
	private final AtomicReference<@Nullable Last> last = new AtomicReference<>();

	/**
	 * Record how an acquisition, or a save, of a key ended.
	 * @param key the key
	 * @param outcome how it ended
	 * @param at when, in epoch milliseconds
	 * @param failure the failure, or {@code null}
	 */
	void ended(TokenKey key, TokenRegistrationStatus.Outcome outcome, long at, @Nullable Throwable failure) {
		Last ended = new Last(key, new TokenRegistrationStatus.LastAcquisition(outcome, Instant.ofEpochMilli(at),
				key.subject() != null, (failure != null) ? typeOf(failure) : null, httpStatusOf(failure)));
		this.last.accumulateAndGet(ended, (held,
				next) -> (held == null || !next.acquisition().at().isBefore(held.acquisition().at())) ? next : held);
	}

	/**
	 * Return the registration's status now. Walks this instance's copies of the tokens
	 * ({@link TokenStore#forEachToken}); the counts are approximate, read without
	 * stopping requests.
	 * @param registrationId the registration
	 * @param now the time now, in epoch milliseconds
	 * @param rests the rests of the manager's keys
	 * @param store the manager's store
	 * @return the status
	 */
	TokenRegistrationStatus status(String registrationId, long now, KeyRests rests, TokenStore store) {
		Last last = this.last.get();
		Instant coolingDownUntil = null;
		if (last != null && last.acquisition.outcome() == TokenRegistrationStatus.Outcome.FAILURE) {
			FailureCoolDown rest = rests.failures(last.key);
			if (rest != null && !rest.reauthorizationRequired() && now < rest.coolDownUntil()) {
				coolingDownUntil = Instant.ofEpochMilli(rest.coolDownUntil());
			}
		}
		AccessToken application = store.get(TokenKey.of(registrationId));
		return new TokenRegistrationStatus(registrationId, Instant.ofEpochMilli(now),
				(last != null) ? last.acquisition : null, coolingDownUntil,
				(application != null) ? new TokenRegistrationStatus.ApplicationToken(application.getExpiresAt()) : null,
				userTokens(registrationId, now, rests, store));
	}

	private static TokenRegistrationStatus.UserTokens userTokens(String registrationId, long now, KeyRests rests,
			TokenStore store) {
		int[] held = new int[2];
		store.forEachToken((key, token) -> {
			if (key.subject() == null || !key.registrationId().equals(registrationId)) {
				return;
			}
			FailureCoolDown rest = rests.failures(key);
			if (rest != null && rest.reauthorizationRequired()) {
				return;
			}
			held[token.isExpired(now) ? 1 : 0]++;
		});
		int reauthorizationRequired = rests.reauthorizationRequired(registrationId);
		if (held[0] == 0 && held[1] == 0 && reauthorizationRequired == 0) {
			return TokenRegistrationStatus.UserTokens.NONE;
		}
		return new TokenRegistrationStatus.UserTokens(held[0], held[1], reauthorizationRequired);
	}

	/**
	 * The simple name of a failure's type, as a status and a log line show it.
	 * @param failure the failure
	 * @return its type's name
	 */
	static String typeOf(Throwable failure) {
		String name = failure.getClass().getSimpleName();
		return name.isEmpty() ? failure.getClass().getName() : name;
	}

	private static int httpStatusOf(@Nullable Throwable failure) {
		TokenApiException api = TokenApiException.find(failure);
		return (api != null) ? api.getStatusCode() : 0;
	}

	/**
	 * The last acquisition of a registration, with its key, which never leaves the
	 * manager.
	 */
	private record Last(TokenKey key, TokenRegistrationStatus.LastAcquisition acquisition) {
	}

}
