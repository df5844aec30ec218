package io.tokenkit.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.TokenManager;

/**
 * Checks at start-up that the {@link TokenManager} lets an acquisition run as long as a
 * token call under {@code tokenkit.token-calls.*} may take
 * ({@link TokenCallPolicy#longestCall()}), and logs one WARN naming both figures and the
 * properties to change when it does not.
 */
final class AcquisitionTimeLimits {

	private static final Log logger = LogFactory.getLog(AcquisitionTimeLimits.class);

	private AcquisitionTimeLimits() {
	}

	/**
	 * Log a warning when the manager abandons an acquisition before a token call may end.
	 * @param manager the manager
	 * @param policy the policy of TokenKit's token calls
	 */
	static void warnWhenTokenCallsOutlast(TokenManager manager, TokenCallPolicy policy) {
		String warning = warning(manager.getAcquireTimeout(), manager.getAbandonTimeout(), policy);
		if (warning != null && logger.isWarnEnabled()) {
			logger.warn(warning);
		}
	}

	/**
	 * Return a warning when the manager abandons an acquisition before a token call under
	 * {@code tokenkit.token-calls.*} may end: the call is then cancelled while its
	 * retries run, and an answer that would have come (with a rotated refresh token) is
	 * lost.
	 * @param acquireTimeout the manager's acquire timeout
	 * @param abandonAfter how long the manager lets an acquisition run, a multiple of the
	 * acquire timeout
	 * @param policy the policy of TokenKit's token calls
	 * @return the warning, or {@code null} when every token call ends in time
	 */
	static @Nullable String warning(Duration acquireTimeout, Duration abandonAfter, TokenCallPolicy policy) {
		Duration longestCall = policy.longestCall();
		if (abandonAfter.compareTo(longestCall) >= 0) {
			return null;
		}
		long times = abandonAfter.toMillis() / acquireTimeout.toMillis();
		long neededSeconds = (longestCall.toMillis() + times * 1000 - 1) / (times * 1000);
		return "TokenKit abandons a token acquisition after " + times + " x tokenkit.acquire-timeout ("
				+ seconds(acquireTimeout) + ") = " + seconds(abandonAfter) + ", but a token call may take up to "
				+ seconds(longestCall) + " under tokenkit.token-calls.* (" + (policy.maxRetries() + 1)
				+ " attempts of connect-timeout " + seconds(policy.connectTimeout()) + " + response-timeout "
				+ seconds(policy.responseTimeout()) + ", and " + policy.maxRetries() + " waits of up to "
				+ seconds(policy.longestBackoff())
				+ " before a retry): a slow token call would be cancelled while its retries run, and the rotated "
				+ "refresh token of an answer that comes later would be lost. Set tokenkit.acquire-timeout to at least "
				+ neededSeconds + "s, or lower tokenkit.token-calls.connect-timeout, response-timeout, max-retries "
				+ "or retry-backoff.";
	}

	/** A duration in seconds for a log line, for example {@code 46.6s}. */
	private static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
	}

}
