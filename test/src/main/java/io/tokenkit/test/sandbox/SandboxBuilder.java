package io.tokenkit.test.sandbox;

import java.time.Clock;
import java.time.Duration;

/**
 * What every sandbox's builder sets: the lifetime of the tokens it issues and the clock
 * of their times.
 *
 * @param <B> the builder's own type
 */
abstract class SandboxBuilder<B extends SandboxBuilder<B>> {

	Duration tokenLifetime = Duration.ofSeconds(60);

	Clock clock = Clock.systemUTC();

	/**
	 * Set the lifetime of the access tokens the sandbox issues (60 seconds by default).
	 * @param tokenLifetime the lifetime
	 * @return this builder
	 */
	public B tokenLifetime(Duration tokenLifetime) {
		this.tokenLifetime = tokenLifetime;
		return self();
	}

	/**
	 * Set the clock of token times and expiry.
	 * @param clock the clock
	 * @return this builder
	 */
	public B clock(Clock clock) {
		this.clock = clock;
		return self();
	}

	@SuppressWarnings("unchecked")
	private B self() {
		return (B) this;
	}

}
