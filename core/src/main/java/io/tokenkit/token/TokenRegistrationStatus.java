package io.tokenkit.token;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What one {@link TokenManager} knows of a registration's tokens, for a health check or
 * an operator's view: how its last acquisition ended, whether the key of a failed one
 * still cools down, the expiry of the application token it holds, and how many per-user
 * tokens it holds. Only this instance's knowledge: with a shared store, other instances
 * keep their own. Never a token, never a subject.
 *
 * @param registrationId the registration
 * @param at when the status was taken, by the manager's clock
 * @param lastAcquisition the last acquisition of any key of the registration, or
 * {@code null} when none has ended on this instance yet
 * @param coolingDownUntil when the key of a failed last acquisition may call the token
 * endpoint again, or {@code null} when it does not rest
 * @param applicationToken the application token (no subject) this instance holds, or
 * {@code null} when it holds none
 * @param userTokens counts of the per-user tokens this instance holds (approximate)
 * @see TokenManager#getRegistrationStatus(String)
 */
public record TokenRegistrationStatus(String registrationId, Instant at, @Nullable LastAcquisition lastAcquisition,
		@Nullable Instant coolingDownUntil, @Nullable ApplicationToken applicationToken, UserTokens userTokens) {

	public TokenRegistrationStatus {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(at, "at must not be null");
		Assert.notNull(userTokens, "userTokens must not be null");
	}

	/**
	 * How an acquisition ended.
	 */
	public enum Outcome {

		/** A token was acquired and stored. */
		SUCCESS,

		/**
		 * The application saved a token it obtained itself
		 * ({@link TokenManager#save(TokenKey, AccessToken)}).
		 */
		SAVED,

		/** No token: the token endpoint, the store or the time limit failed. */
		FAILURE,

		/**
		 * The refresh token was refused as dead: no token call until a new token is
		 * saved.
		 */
		REAUTHORIZATION_REQUIRED

	}

	/**
	 * The last acquisition of a registration.
	 *
	 * @param outcome how it ended
	 * @param at when it ended
	 * @param perUser whether it was for a user's token (a key with a subject)
	 * @param errorType the simple class name of the failure, or {@code null} on success;
	 * never its message, which may quote a server's answer
	 * @param httpStatus the HTTP status of a token endpoint's error answer, or {@code 0}
	 * when there was none
	 */
	public record LastAcquisition(Outcome outcome, Instant at, boolean perUser, @Nullable String errorType,
			int httpStatus) {

		public LastAcquisition {
			Assert.notNull(outcome, "outcome must not be null");
			Assert.notNull(at, "at must not be null");
		}

	}

	/**
	 * The application token a manager holds.
	 *
	 * @param expiresAt when it expires, or {@code null} when it has no known expiry
	 */
	public record ApplicationToken(@Nullable Instant expiresAt) {

		/**
		 * Return how long the token is still valid at a given time.
		 * @param now the time
		 * @return the time left, zero once expired, or {@code null} when it has no known
		 * expiry
		 */
		public @Nullable Duration expiresIn(Instant now) {
			if (this.expiresAt == null) {
				return null;
			}
			Duration left = Duration.between(now, this.expiresAt);
			return left.isNegative() ? Duration.ZERO : left;
		}

	}

	/**
	 * Counts of the per-user tokens (keys with a subject) a manager holds; each user is
	 * counted once when nothing changes meanwhile. The counts are approximate, for a
	 * health check or a trend, not for an exact tally: they are read while requests go
	 * on, in more than one pass, so a user whose token is saved, removed or refused while
	 * they are counted may be counted twice or not at all; and they count the copies this
	 * instance holds, which, with a store shared by several instances, can include a copy
	 * of an entry the backing store has already dropped (a Redis entry that expired).
	 *
	 * @param connected users whose access token is valid
	 * @param expired users whose access token has expired; the next request refreshes it
	 * when it carries a refresh token
	 * @param reauthorizationRequired users whose refresh token was refused as dead and
	 * who must authorize again
	 */
	public record UserTokens(int connected, int expired, int reauthorizationRequired) {

		/** No per-user token. */
		public static final UserTokens NONE = new UserTokens(0, 0, 0);

		/**
		 * Return whether no user is counted.
		 * @return whether every count is zero
		 */
		public boolean isEmpty() {
			return this.connected == 0 && this.expired == 0 && this.reauthorizationRequired == 0;
		}

	}

}
