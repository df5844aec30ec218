package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

/**
 * A key's rest after failed acquisitions: its failures in a row and their cool-down, the
 * last failure, and whether its refresh token was refused as dead. Immutable: every
 * change makes a new one.
 *
 * @param failures the failures in a row
 * @param coolDownUntil the end of the cool-down, in epoch milliseconds
 * @param lastFailure what the last failure answered its callers
 * @param reauthorizationRequired whether the refresh token was refused as dead, so that
 * no token call is made until a save or remove
 */
record FailureCoolDown(int failures, long coolDownUntil, @Nullable Throwable lastFailure,
		boolean reauthorizationRequired) {

	static final FailureCoolDown NONE = new FailureCoolDown(0, 0, null, false);

	boolean blocks(long now) {
		return now < this.coolDownUntil || this.reauthorizationRequired;
	}

	FailureCoolDown failed(long now, long coolDownMillis, Throwable failure, boolean reauthorization) {
		return new FailureCoolDown(this.failures + 1, now + coolDownMillis, failure,
				reauthorization || this.reauthorizationRequired);
	}

	@Override
	public String toString() {
		return "FailureCoolDown[failures=" + this.failures + ", coolDownUntil=" + this.coolDownUntil
				+ ", reauthorizationRequired=" + this.reauthorizationRequired + "]";
	}

}
