package io.tokenkit.token;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Remembers, per key, why no token call may start now: the cool-down after failed
 * acquisitions ({@link FailureCoolDown}) and the strikes of replays rejected with
 * {@code 401} ({@link ReplayStrikes}). The two are kept as one immutable pair per key,
 * swapped whole in one atomic step, so that a change that touches both (a reacquisition
 * that ends the failures and leaves its replacement unconfirmed) is never seen half done.
 * A key's state ends with a save or remove, a success, or when it has rested long enough
 * ({@link #sweep(long)}).
 */
final class KeyRests {

	private final ConcurrentHashMap<TokenKey, Rest> rests = new ConcurrentHashMap<>();

	private final CoolDownPolicy coolDown;

	private final AtomicLong nextSweep = new AtomicLong();

	KeyRests(CoolDownPolicy coolDown) {
		this.coolDown = coolDown;
	}

	/**
	 * Forget what the key remembers: a save or remove, here or on another instance.
	 * @param key the key
	 */
	void forget(TokenKey key) {
		this.rests.remove(key);
	}

	/**
	 * Forget what every matching key remembers: a removal of all the parameter sets of a
	 * subject.
	 * @param keys which keys
	 */
	void forgetAll(Predicate<TokenKey> keys) {
		this.rests.keySet().removeIf(keys);
	}

	int count() {
		return this.rests.size();
	}

	/**
	 * Return the key's cool-down after failures, or {@code null} when it has none.
	 * @param key the key
	 * @return the cool-down
	 */
	@Nullable FailureCoolDown failures(TokenKey key) {
		Rest rest = this.rests.get(key);
		return (rest != null) ? rest.failures : null;
	}

	/**
	 * Return how many keys of a registration with a subject need a new authorization.
	 * @param registrationId the registration
	 * @return the count
	 */
	int reauthorizationRequired(String registrationId) {
		int reauthorizationRequired = 0;
		for (Map.Entry<TokenKey, Rest> entry : this.rests.entrySet()) {
			TokenKey key = entry.getKey();
			if (key.subject() != null && key.registrationId().equals(registrationId)
					&& entry.getValue().failures.reauthorizationRequired()) {
				reauthorizationRequired++;
			}
		}
		return reauthorizationRequired;
	}

	/**
	 * Return the error to fail fast with while the key cools down or needs a new
	 * authorization, or {@code null} when a token call may be made.
	 * @param key the key
	 * @param now the time now, in epoch milliseconds
	 * @return the error, or {@code null}
	 */
	@Nullable Throwable resting(TokenKey key, long now) {
		FailureCoolDown rest = failures(key);
		if (rest == null || !rest.blocks(now)) {
			return null;
		}
		String id = key.registrationId();
		Throwable last = (rest.lastFailure() != null) ? rest.lastFailure() : FailureWording.rejectedAgain(id);
		if ((last instanceof NoTokenForSubjectException || last instanceof SubjectRequiredException)
				&& last.getCause() != null) {
			// the same answer as the source's, without asking it again
			return FailureWording.nothingToAcquire(key, last.getCause());
		}
		if (rest.reauthorizationRequired()) {
			// a new exception each time: callers add suppressed exceptions to what they
			// get
			return FailureWording.reauthorizationRequired(key,
					(last instanceof ReauthorizationRequiredException required && required.getCause() != null)
							? required.getCause() : last);
		}
		return FailureWording.coolDown(id, rest.failures(), rest.coolDownUntil(), now, last);
	}

	/**
	 * Return what the key's replays say about {@code rejected}, read from one snapshot of
	 * the key's rest, so that a strike that lands meanwhile (it clears the unconfirmed
	 * replacement it strikes) is seen either before or after, never half:
	 * {@link ReplayVerdict#RESTS} when the key rests after a replay with {@code rejected}
	 * was rejected ({@link TokenManager#replayed}), so that another token call would not
	 * help until the cool-down ends (only the struck token rests: a token saved since a
	 * late strike is not held back); {@link ReplayVerdict#UNCONFIRMED} when
	 * {@code rejected} is the replacement a reacquisition stored whose replay has not
	 * been reported yet, and {@code held} (it is still the usable token held);
	 * {@link ReplayVerdict#NONE} otherwise.
	 */
	ReplayVerdict replayVerdict(TokenKey key, AccessToken rejected, long now, BooleanSupplier held) {
		Rest rest = this.rests.get(key);
		if (rest == null) {
			return ReplayVerdict.NONE;
		}
		String value = rejected.getTokenValue();
		if (now < rest.strikes.unauthorizedUntil() && value.equals(rest.strikes.struck())) {
			return ReplayVerdict.RESTS;
		}
		if (now < rest.strikes.unconfirmedUntil() && value.equals(rest.strikes.unconfirmed()) && held.getAsBoolean()) {
			return ReplayVerdict.UNCONFIRMED;
		}
		return ReplayVerdict.NONE;
	}

	/**
	 * What a key's replays say about a rejected token ({@link #replayVerdict}).
	 */
	enum ReplayVerdict {

		/** The key rests after a rejected replay with the token. */
		RESTS,

		/** The token is a replacement whose replay has not been reported yet. */
		UNCONFIRMED,

		/** Neither. */
		NONE

	}

	/**
	 * The replay of {@code value} was reported: it is unconfirmed no more.
	 * @param key the key
	 * @param value the value of the token replayed
	 */
	void confirmed(TokenKey key, String value) {
		this.rests.computeIfPresent(key, (k, old) -> old.confirmed(value));
	}

	/**
	 * A replay with {@code value} was accepted: it is confirmed, and a replacement that
	 * works forgives the strikes of earlier ones, and their cool-down too when
	 * {@code current} (it is the token held, read again inside, so that a save or remove
	 * meanwhile wins).
	 */
	void accepted(TokenKey key, String value, long now, BooleanSupplier current) {
		confirmed(key, value);
		Rest rest = this.rests.get(key);
		ReplayStrikes strikes = (rest != null) ? rest.strikes : null;
		if (strikes != null && (strikes.strikes() > 0 || strikes.unauthorizedUntil() > now)
				&& !value.equals(strikes.struck())) {
			this.rests.computeIfPresent(key, (k, old) -> (old == rest) ? old.forgiven(current.getAsBoolean()) : old);
		}
	}

	/**
	 * A replay with {@code value} was rejected: strike, unless another replay with the
	 * same token struck already or {@code current} says a save or remove came since the
	 * caller looked.
	 * @return the strikes after this one, or {@code null} when it did not strike
	 */
	@Nullable ReplayStrikes strike(TokenKey key, String value, long now, BooleanSupplier current) {
		ReplayStrikes[] struck = new ReplayStrikes[1];
		this.rests.compute(key, (k, old) -> {
			Rest rest = (old != null) ? old : Rest.NONE;
			if (value.equals(rest.strikes.struck()) || !current.getAsBoolean()) {
				// another replay with the same token struck already, or a save or remove
				// came since the look above
				return (old != null) ? old.confirmed(value) : null;
			}
			int strikes = rest.strikes.strikes() + 1;
			struck[0] = rest.strikes.struck(value, strikes, now + this.coolDown.millisAfter(strikes));
			return new Rest(rest.failures, struck[0]);
		});
		return struck[0];
	}

	/**
	 * A reacquisition succeeded: the failures end, the strikes stay, and its replacement
	 * is unconfirmed until its replay is reported, unless {@code superseded}.
	 */
	void replaced(TokenKey key, @Nullable String unconfirmed, long until, BooleanSupplier superseded) {
		this.rests.compute(key, (k, old) -> {
			if (superseded.getAsBoolean()) {
				return old;
			}
			Rest rest = (old != null) ? old : Rest.NONE;
			return new Rest(FailureCoolDown.NONE,
					rest.strikes.replaced(unconfirmed, (unconfirmed != null) ? until : 0));
		});
	}

	/**
	 * An acquisition failed: the key cools down, for the server's {@code retryAfter} when
	 * it said, else longer after each failure in a row, unless {@code superseded}.
	 * @return the cool-down in milliseconds
	 */
	long failed(TokenKey key, long now, Throwable failure, boolean reauthorization, @Nullable Duration retryAfter,
			BooleanSupplier superseded) {
		long[] coolDownMillis = { this.coolDown.initial().toMillis() };
		this.rests.compute(key, (k, old) -> {
			if (superseded.getAsBoolean()) {
				return old;
			}
			Rest rest = (old != null) ? old : Rest.NONE;
			coolDownMillis[0] = (retryAfter != null) ? this.coolDown.millisFor(retryAfter)
					: this.coolDown.millisAfter(rest.failures.failures() + 1);
			return new Rest(rest.failures.failed(now, coolDownMillis[0], failure, reauthorization), rest.strikes);
		});
		return coolDownMillis[0];
	}

	/**
	 * Remove the state of keys that rest no more, at most once per maximum cool-down:
	 * cool-down state must not outlive its use.
	 * @param now the time now, in epoch milliseconds
	 */
	void sweep(long now) {
		long due = this.nextSweep.get();
		if (now < due || !this.nextSweep.compareAndSet(due, now + this.coolDown.max().toMillis())) {
			return;
		}
		long quiet = this.coolDown.max().toMillis();
		this.rests.values().removeIf((rest) -> rest.stale(now, quiet));
	}

	/** What one key remembers: both rests, swapped whole. */
	private record Rest(FailureCoolDown failures, ReplayStrikes strikes) {

		static final Rest NONE = new Rest(FailureCoolDown.NONE, ReplayStrikes.NONE);

		Rest confirmed(String tokenValue) {
			ReplayStrikes confirmed = this.strikes.confirmed(tokenValue);
			return (confirmed != this.strikes) ? new Rest(this.failures, confirmed) : this;
		}

		Rest forgiven(boolean current) {
			return new Rest(this.failures, this.strikes.forgiven(current));
		}

		boolean stale(long now, long quietMillis) {
			if (this.failures.reauthorizationRequired()) {
				// kept until save or remove: a dead refresh token is never tried again
				return false;
			}
			return now > this.failures.coolDownUntil() + quietMillis
					&& now > this.strikes.unauthorizedUntil() + quietMillis && now > this.strikes.unconfirmedUntil();
		}

	}

}
