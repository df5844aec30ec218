package io.tokenkit.token;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs one kind of failure of one registration (failed acquisitions, or replays rejected
 * with {@code 401}), deciding which go to WARN: the first of each cool-down, however many
 * keys and callers fail meanwhile; the others go to DEBUG and are counted in the next
 * warning. Lock-free: failures may end on many threads at once.
 */
final class FailureWarnings {

	/** The failures are logged under the manager's name. */
	private static final Log logger = LogFactory.getLog(TokenManager.class);

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
	private int warn(long now, long coolDownMillis) {
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
	 * Log a failed acquisition: at WARN when {@link #warn} lets it through, counting the
	 * failures logged at DEBUG since the last warning, else at DEBUG.
	 * @param message the failure's message
	 * @param now the time of the failure, in epoch milliseconds
	 * @param coolDownMillis the cool-down the failure started
	 */
	void failed(String message, long now, long coolDownMillis) {
		log(message, warn(now, coolDownMillis), "failed acquisition", "failed acquisitions");
	}

	/**
	 * Log a strike, a replay with a replacement rejected with {@code 401}
	 * ({@link TokenManager#replayed}): at WARN once per 401 cool-down of the
	 * registration, however many keys strike meanwhile; the others at DEBUG, counted in
	 * the next warning.
	 * @param registrationId the registration
	 * @param unauthorizedUntil the end of the key's 401 cool-down, in epoch milliseconds
	 * @param now the time of the strike, in epoch milliseconds
	 */
	void struck(String registrationId, long unauthorizedUntil, long now) {
		log(FailureWording.replayRejected(registrationId, unauthorizedUntil), warn(now, unauthorizedUntil - now),
				"replay rejected with 401", "replays rejected with 401");
	}

	private static void log(String message, int quiet, String one, String many) {
		if (quiet >= 0 && logger.isWarnEnabled()) {
			logger.warn((quiet > 0) ? message + " (" + quiet + " more " + ((quiet == 1) ? one : many)
					+ " of this registration since the last warning, logged at DEBUG)" : message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

}
