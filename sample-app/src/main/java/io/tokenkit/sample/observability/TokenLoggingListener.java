package io.tokenkit.sample.observability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;

import org.springframework.stereotype.Component;

/**
 * Logs one line per token acquisition or refresh: the registration, the outcome and the
 * expiry. Never the token, its refresh or ID token, the subject (user) or the error
 * message (which may quote a server's answer); only the error's type.
 */
@Component
public class TokenLoggingListener implements TokenEventListener {

	private static final Log logger = LogFactory.getLog(TokenLoggingListener.class);

	private final Clock clock;

	/**
	 * Create a listener that measures time to expiry with the system clock.
	 */
	public TokenLoggingListener() {
		this(Clock.systemUTC());
	}

	TokenLoggingListener(Clock clock) {
		this.clock = clock;
	}

	@Override
	public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
		if (logger.isInfoEnabled()) {
			logger.info(line(key, refresh, "success") + ", " + expiry(token.getExpiresAt()));
		}
	}

	@Override
	public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
		if (logger.isWarnEnabled()) {
			logger.warn(line(key, refresh, "failure") + ", error=" + error.getClass().getSimpleName());
		}
	}

	private static String line(TokenKey key, boolean refresh, String outcome) {
		return "Token " + (refresh ? "refresh" : "acquisition") + ": registration=" + key.registrationId()
				+ ((key.subject() != null) ? " (per-user)" : "") + ", outcome=" + outcome;
	}

	private String expiry(Instant expiresAt) {
		if (expiresAt == null) {
			return "expires=never";
		}
		long seconds = Duration.between(this.clock.instant(), expiresAt).toSeconds();
		return "expires=" + expiresAt + " (in " + seconds + "s)";
	}

}
