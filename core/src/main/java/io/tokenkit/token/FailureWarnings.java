package io.tokenkit.token;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Decides which failed acquisitions of one registration are logged at WARN: the first of
 * each cool-down, however many keys and callers fail meanwhile; the others go to DEBUG
 * and are counted in the next warning. Lock-free: failures may end on many threads at
 * once.
 */
final class FailureWarnings {

	/** Until when a failure is logged at DEBUG, not WARN. */
	private final AtomicLong quietUntil = new AtomicLong(Long.MIN_VALUE);

	/** How many failures were logged at DEBUG since the last WARN. */
	private final AtomicInteger quietFailures = new AtomicInteger();

	/**
	 * Decide whether a failure at {@code now} is logged at WARN; if it is, the next
	 * {@code coolDownMillis} are quiet.
	 * @param now the time of the failure, in epoch milliseconds
	 * @param coolDownMillis the cool-down the failure started
	 * @return how many failures were logged at DEBUG since the last WARN, or {@code -1}
	 * when this one is logged at DEBUG too
	 */
	int warn(long now, long coolDownMillis) {
		while (true) {
			long until = this.quietUntil.get();
			if (now < until) {
				this.quietFailures.incrementAndGet();
				return -1;
			}
			if (this.quietUntil.compareAndSet(until, now + Math.max(1, coolDownMillis))) {
				return this.quietFailures.getAndSet(0);
			}
		}
	}

	/**
	 * Return the warning of a failure that is logged at WARN.
	 * @param message the failure's message
	 * @param quiet how many failures were logged at DEBUG since the last WARN
	 * @return the warning
	 */
	static String warning(String message, int quiet) {
		return warning(message, quiet, "failed acquisition", "failed acquisitions");
	}

	/**
	 * Return the warning of a failure that is logged at WARN.
	 * @param message the failure's message
	 * @param quiet how many failures were logged at DEBUG since the last WARN
	 * @param one what one failure is called
	 * @param many what several failures are called
	 * @return the warning
	 */
	static String warning(String message, int quiet, String one, String many) {
		if (quiet <= 0) {
			return message;
		}
		return message + " (" + quiet + " more " + ((quiet == 1) ? one : many)
				+ " of this registration since the last warning, logged at DEBUG)";
	}

}
