package io.tokenkit.token;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Told what the {@link TokenManager} and the bearer filter do, for metrics, logs and
 * health. Every method has an empty default. Implementations are called on the request
 * path and must return at once.
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
	 * The bearer filter retried a request after a {@code 401}.
	 * @param registrationId the registration
	 */
	default void retried(String registrationId) {
	}

	/**
	 * Return a listener that calls each of the given listeners in order.
	 * @param listeners the listeners
	 * @return a composite listener, or {@link #NONE} when the list is empty
	 */
	static TokenEventListener composite(List<? extends TokenEventListener> listeners) {
		if (listeners.isEmpty()) {
			return NONE;
		}
		if (listeners.size() == 1) {
			return listeners.get(0);
		}
		TokenEventListener[] all = listeners.toArray(new TokenEventListener[0]);
		return new TokenEventListener() {

			@Override
			public void cacheHit(String registrationId) {
				for (TokenEventListener listener : all) {
					listener.cacheHit(registrationId);
				}
			}

			@Override
			public void cacheMiss(String registrationId) {
				for (TokenEventListener listener : all) {
					listener.cacheMiss(registrationId);
				}
			}

			@Override
			public void refreshAhead(String registrationId) {
				for (TokenEventListener listener : all) {
					listener.refreshAhead(registrationId);
				}
			}

			@Override
			public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
				for (TokenEventListener listener : all) {
					listener.acquisitionSucceeded(key, token, refresh);
				}
			}

			@Override
			public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
				for (TokenEventListener listener : all) {
					listener.acquisitionFailed(key, error, refresh);
				}
			}

			@Override
			public void tokenSaved(TokenKey key, AccessToken token) {
				for (TokenEventListener listener : all) {
					listener.tokenSaved(key, token);
				}
			}

			@Override
			public void retried(String registrationId) {
				for (TokenEventListener listener : all) {
					listener.retried(registrationId);
				}
			}

		};
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
