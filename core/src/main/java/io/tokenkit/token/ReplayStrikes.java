package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

/**
 * A key's rest after replays rejected with {@code 401}: the replacement whose replay was
 * rejected last, the strikes in a row and their 401 cool-down, and the replacement of a
 * reacquisition whose replay has not been reported yet. Immutable: every change makes a
 * new one.
 *
 * @param struck the value of the token whose replay was rejected last
 * @param strikes the rejected replays in a row
 * @param unauthorizedUntil the end of the 401 cool-down, in epoch milliseconds
 * @param unconfirmed the value of the replacement whose replay was not reported yet
 * @param unconfirmedUntil until when that replacement counts as unconfirmed, in epoch
 * milliseconds
 */
record ReplayStrikes(@Nullable String struck, int strikes, long unauthorizedUntil, @Nullable String unconfirmed,
		long unconfirmedUntil) {

	static final ReplayStrikes NONE = new ReplayStrikes(null, 0, 0, null, 0);

	/**
	 * A reacquisition succeeded: the strikes stay, and its replacement is unconfirmed
	 * until its replay is reported.
	 */
	ReplayStrikes replaced(@Nullable String replacement, long unconfirmedUntil) {
		return new ReplayStrikes(this.struck, this.strikes, this.unauthorizedUntil, replacement, unconfirmedUntil);
	}

	ReplayStrikes struck(String tokenValue, int strikes, long until) {
		boolean confirmed = tokenValue.equals(this.unconfirmed);
		return new ReplayStrikes(tokenValue, strikes, until, confirmed ? null : this.unconfirmed,
				confirmed ? 0 : this.unconfirmedUntil);
	}

	/** The replay of {@code tokenValue} was reported: it is unconfirmed no more. */
	ReplayStrikes confirmed(String tokenValue) {
		if (!tokenValue.equals(this.unconfirmed)) {
			return this;
		}
		return new ReplayStrikes(this.struck, this.strikes, this.unauthorizedUntil, null, 0);
	}

	/**
	 * A replay was accepted: the next rejected replay is a first strike again; when its
	 * token is the one held, that token is proven good, and its own rejection gets a
	 * reacquisition at once.
	 */
	ReplayStrikes forgiven(boolean current) {
		return new ReplayStrikes(null, 0, current ? 0 : this.unauthorizedUntil, this.unconfirmed,
				this.unconfirmedUntil);
	}

	/** Never the struck or the unconfirmed token's value. */
	@Override
	public String toString() {
		return "ReplayStrikes[strikes=" + this.strikes + ", unauthorizedUntil=" + this.unauthorizedUntil
				+ ", unconfirmedUntil=" + this.unconfirmedUntil + "]";
	}

}
