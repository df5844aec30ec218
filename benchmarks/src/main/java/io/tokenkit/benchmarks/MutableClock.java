package io.tokenkit.benchmarks;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.springframework.util.Assert;

/**
 * A {@link Clock} that stands still at the instant it was last {@link #set(Instant) set}
 * to, shared by TokenKit and Spring Security in the harnesses so that both decide expiry
 * at the same moment.
 */
public final class MutableClock extends Clock {

	private volatile Instant instant;

	/**
	 * Create a clock standing at the given instant.
	 * @param instant the starting instant
	 */
	public MutableClock(Instant instant) {
		Assert.notNull(instant, "instant must not be null");
		this.instant = instant;
	}

	/**
	 * Move the clock to an instant.
	 * @param instant the new instant
	 */
	public void set(Instant instant) {
		Assert.notNull(instant, "instant must not be null");
		this.instant = instant;
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("MutableClock is UTC only");
	}

	@Override
	public Instant instant() {
		return this.instant;
	}

	@Override
	public long millis() {
		return this.instant.toEpochMilli();
	}

}
