package io.tokenkit.token;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.util.Assert;

/**
 * Whether a {@link TokenSource} has what it needs before it can call its token endpoint,
 * for a health check: a source that learns its endpoint from an authorization server's
 * metadata is not ready until it has fetched it. Never a token or a secret in the
 * details.
 *
 * @param ready whether the source can call its token endpoint
 * @param details what it waits for and why, shown as health details; empty when ready
 * @see TokenSource#checkReadiness()
 */
public record TokenSourceReadiness(boolean ready, Map<String, Object> details) {

	/** A source that waits for nothing. */
	public static final TokenSourceReadiness READY = new TokenSourceReadiness(true, Map.of());

	public TokenSourceReadiness {
		Assert.notNull(details, "details must not be null");
		details = Collections.unmodifiableMap(new LinkedHashMap<>(details));
	}

	/**
	 * Return the readiness of a source that waits for something.
	 * @param details what it waits for and why, in the order to show them
	 * @return the readiness
	 */
	public static TokenSourceReadiness notReady(Map<String, Object> details) {
		return new TokenSourceReadiness(false, details);
	}

}
