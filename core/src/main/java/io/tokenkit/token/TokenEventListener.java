package io.tokenkit.token;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Told what the {@link TokenManager} and the bearer filter do, for metrics, logs and
 * health. Every method has an empty default. Implementations are called on the request
 * path and must return at once. TokenKit calls the listeners it is given through
 * {@link #isolating(TokenEventListener)}, so that one that throws changes nothing.
 * <p>
 * The {@link TokenKey} passed in may carry a subject: an implementation must not put it
 * in a tag or a log line.
 */
public interface TokenEventListener {

	/** A listener that does nothing. */
	TokenEventListener NONE = new TokenEventListener() {
	};

	/**
	 * A usable token was found in the cache.
	 * @param registrationId the registration
	 */
	default void cacheHit(String registrationId) {
	}

	/**
	 * No usable token was cached; the caller waits for an acquisition.
	 * @param registrationId the registration
	 */
	default void cacheMiss(String registrationId) {
	}

	/**
	 * A cached token was served while inside its refresh window, and a background refresh
	 * was asked for.
	 * @param registrationId the registration
	 */
	default void refreshAhead(String registrationId) {
	}

	/**
	 * An acquisition (first token or refresh) finished with a token.
	 * @param key the key
	 * @param token the new token
	 * @param refresh whether this replaced an earlier token
	 */
	default void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
	}

	/**
	 * An acquisition failed; nothing was cached.
	 * @param key the key
	 * @param error the failure
	 * @param refresh whether this was meant to replace an earlier token
	 */
	default void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
	}

	/**
	 * The application saved a token it obtained itself, such as a user's first token
	 * after an authorization code exchange ({@link TokenManager#save}).
	 * @param key the key
	 * @param token the token
	 */
	default void tokenSaved(TokenKey key, AccessToken token) {
	}

	/**
	 * A token removed with {@link TokenManager#remove(TokenKey)} was revoked at its
	 * authorization server (RFC 7009): its source accepted the revocation.
	 * @param key the key the token was removed from
	 */
	default void revocationSucceeded(TokenKey key) {
	}

	/**
	 * The revocation of a token removed with {@link TokenManager#remove(TokenKey)} failed
	 * or timed out. The token stays removed; the authorization server may still take it
	 * until it expires.
	 * @param key the key the token was removed from
	 * @param error the failure
	 */
	default void revocationFailed(TokenKey key, Throwable error) {
	}

	/**
	 * The bearer filter retried a request after a {@code 401}.
	 * @param registrationId the registration
	 */
	default void retried(String registrationId) {
	}

	/**
	 * Return a listener that calls each of the given listeners in order, each
	 * {@link #isolating(TokenEventListener) isolated}: one that throws neither reaches
	 * the caller nor keeps the others from the event.
	 * @param listeners the listeners
	 * @return a composite listener, or {@link #NONE} when the list is empty
	 */
	static TokenEventListener composite(List<? extends TokenEventListener> listeners) {
		Assert.notNull(listeners, "listeners must not be null");
		if (listeners.isEmpty()) {
			return NONE;
		}
		if (listeners.size() == 1) {
			return isolating(listeners.get(0));
		}
		TokenEventListener[] all = new TokenEventListener[listeners.size()];
		for (int i = 0; i < all.length; i++) {
			all[i] = isolating(listeners.get(i));
		}
		return new CompositeTokenEventListener(all);
	}

	/**
	 * Return a listener that calls {@code listener} and keeps whatever it throws from the
	 * caller, so that a failing listener can neither lose a token nor fail a request. The
	 * first failure of each listener class in each event is logged at {@code WARN} with
	 * the exception's class name only (its message may hold a token); later ones are not
	 * logged. A {@link VirtualMachineError} is not caught. Calling the returned listener
	 * allocates nothing unless {@code listener} throws.
	 * @param listener the listener
	 * @return an isolating listener: {@link #NONE} for {@link #NONE}, and
	 * {@code listener} itself when it already isolates
	 */
	static TokenEventListener isolating(TokenEventListener listener) {
		Assert.notNull(listener, "listener must not be null");
		if (listener == NONE || listener instanceof IsolatingTokenEventListener
				|| listener instanceof CompositeTokenEventListener) {
			return listener;
		}
		return new IsolatingTokenEventListener(listener);
	}

	/**
	 * Return {@code listener} or {@link #NONE}.
	 * @param listener a listener or {@code null}
	 * @return a listener
	 */
	static TokenEventListener orNone(@Nullable TokenEventListener listener) {
		return (listener != null) ? listener : NONE;
	}

}
