package io.tokenkit.token;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Runs the revocation ({@link TokenSource#revoke}) of each token that
 * {@link TokenManager#remove(TokenKey)} took out of the store: detached from the caller
 * of {@code remove}, on a Reactor parallel thread, bounded by a time limit. Each outcome
 * is told to the listener; a failure is logged at WARN with the registration and the
 * failure, never the token or the subject. A failure never touches the store: the token
 * stays removed.
 */
final class Revocations {

	private static final Log logger = LogFactory.getLog(TokenManager.class);

	private final TokenEventListener listener;

	private final Duration timeout;

	private final AtomicInteger running = new AtomicInteger();

	/**
	 * Create the revocations of a manager.
	 * @param listener told each revocation's outcome
	 * @param timeout the longest a revocation may run, its retries included
	 */
	Revocations(TokenEventListener listener, Duration timeout) {
		this.listener = listener;
		this.timeout = timeout;
	}

	/**
	 * Start the revocation of a removed token and return at once.
	 * @param source the source of the key's registration
	 * @param key the key the token was removed from
	 * @param removed the token removed
	 */
	void start(TokenSource source, TokenKey key, AccessToken removed) {
		this.running.incrementAndGet();
		Mono.defer(() -> source.revoke(key, removed))
			.subscribeOn(Schedulers.parallel())
			.timeout(this.timeout)
			.doFinally((signal) -> this.running.decrementAndGet())
			.subscribe((revoked) -> {
				if (revoked) {
					this.listener.revocationSucceeded(key);
				}
			}, (error) -> failed(key, removed, error));
	}

	/**
	 * Return whether no revocation is running.
	 * @return whether every revocation started has ended
	 */
	boolean isEmpty() {
		return this.running.get() == 0;
	}

	private void failed(TokenKey key, AccessToken removed, Throwable error) {
		if (logger.isWarnEnabled()) {
			String why = (error instanceof TimeoutException) ? "did not end within " + this.timeout
					: "failed (" + error.getClass().getSimpleName() + ": "
							+ withoutToken(String.valueOf(error.getMessage()), removed) + ")";
			logger.warn("Revocation of a token removed from registration '" + key.registrationId() + "' " + why
					+ "; the token stays removed here, and its authorization server may accept it until it expires");
		}
		this.listener.revocationFailed(key, error);
	}

	/**
	 * Return a message with the token's values replaced, should a server have echoed one.
	 */
	private static String withoutToken(String message, AccessToken token) {
		String result = redact(message, token.getTokenValue());
		return redact(result, token.getRefreshToken());
	}

	private static String redact(String message, @Nullable String value) {
		return (value != null && !value.isEmpty()) ? message.replace(value, "[REDACTED]") : message;
	}

}
