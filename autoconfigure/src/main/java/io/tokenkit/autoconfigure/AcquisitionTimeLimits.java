package io.tokenkit.autoconfigure;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import io.tokenkit.discovery.ServerMetadataClient;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.TokenManager;

import org.springframework.util.StringUtils;

/**
 * Checks at start-up that the {@link TokenManager} lets an acquisition run as long as a
 * token call under {@code tokenkit.token-calls.*} may take
 * ({@link TokenCallPolicy#longestCall()}), with the fetch of the issuer's metadata that
 * may come before it when a registration names its issuer instead of its token endpoint
 * ({@link ServerMetadataClient#longestFetch(TokenCallPolicy)}), and logs one WARN naming
 * the figures and the properties to change when it does not.
 */
final class AcquisitionTimeLimits {

	private static final Log logger = LogFactory.getLog(AcquisitionTimeLimits.class);

	private AcquisitionTimeLimits() {
	}

	/**
	 * Log a warning when the manager abandons an acquisition before a token call may end.
	 * @param manager the manager
	 * @param policy the policy of TokenKit's token calls
	 * @param definitions the registrations, of which those with an issuer and no token
	 * endpoint may fetch their issuer's metadata before their first token call
	 */
	static void warnWhenTokenCallsOutlast(TokenManager manager, TokenCallPolicy policy,
			List<RegistrationDefinition> definitions) {
		boolean discovers = definitions.stream()
			.anyMatch((definition) -> StringUtils.hasText(definition.getIssuerUri())
					&& !StringUtils.hasText(definition.getTokenUri()));
		String warning = warning(manager.getAcquireTimeout(), manager.getAbandonTimeout(), policy, discovers);
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
	 * @param discovers whether the first token call of a registration may wait for its
	 * issuer's metadata first
	 * @return the warning, or {@code null} when every token call ends in time
	 */
	static @Nullable String warning(Duration acquireTimeout, Duration abandonAfter, TokenCallPolicy policy,
			boolean discovers) {
		Duration discovery = discovers ? ServerMetadataClient.longestFetch(policy) : Duration.ZERO;
		Duration longestCall = policy.longestCall().plus(discovery);
		if (abandonAfter.compareTo(longestCall) >= 0) {
			return null;
		}
		long times = abandonAfter.toMillis() / acquireTimeout.toMillis();
		long neededSeconds = (longestCall.toMillis() + times * 1000 - 1) / (times * 1000);
		String fetch = discovers ? ", after up to " + seconds(discovery) + " to fetch the issuer's metadata first "
				+ "(a registration with issuer-uri and no token-uri asks up to three metadata addresses, each "
				+ "bounded by connect-timeout + response-timeout)" : "";
		return "TokenKit abandons a token acquisition after " + times + " x tokenkit.acquire-timeout ("
				+ seconds(acquireTimeout) + ") = " + seconds(abandonAfter) + ", but a token call may take up to "
				+ seconds(longestCall) + " under tokenkit.token-calls.* (" + (policy.maxRetries() + 1)
				+ " attempts of connect-timeout " + seconds(policy.connectTimeout()) + " + response-timeout "
				+ seconds(policy.responseTimeout()) + ", and " + policy.maxRetries() + " waits of up to "
				+ seconds(policy.longestBackoff()) + " before a retry" + fetch
				+ "): a slow token call would be cancelled while its retries run, and the rotated "
				+ "refresh token of an answer that comes later would be lost. Set tokenkit.acquire-timeout to at least "
				+ neededSeconds + "s, or lower tokenkit.token-calls.connect-timeout, response-timeout, max-retries "
				+ "or retry-backoff.";
	}

	/** A duration in seconds for a log line, for example {@code 46.6s}. */
	private static String seconds(Duration duration) {
		return BigDecimal.valueOf(duration.toMillis(), 3).stripTrailingZeros().toPlainString() + "s";
	}

}
