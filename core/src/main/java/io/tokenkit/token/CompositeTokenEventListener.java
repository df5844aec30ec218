package io.tokenkit.token;

/**
 * A {@link TokenEventListener} that calls each of several
 * {@link TokenEventListener#isolating(TokenEventListener) isolating} listeners in order;
 * made by {@link TokenEventListener#composite(java.util.List)}.
 */
final class CompositeTokenEventListener implements TokenEventListener {

	private final TokenEventListener[] listeners;

	/**
	 * Create a composite.
	 * @param listeners isolating listeners, owned by the composite from now on
	 */
	CompositeTokenEventListener(TokenEventListener[] listeners) {
		this.listeners = listeners;
	}

	@Override
	public void cacheHit(String registrationId) {
		for (TokenEventListener listener : this.listeners) {
			listener.cacheHit(registrationId);
		}
	}

	@Override
	public void cacheMiss(String registrationId) {
		for (TokenEventListener listener : this.listeners) {
			listener.cacheMiss(registrationId);
		}
	}

	@Override
	public void refreshAhead(String registrationId) {
		for (TokenEventListener listener : this.listeners) {
			listener.refreshAhead(registrationId);
		}
	}

	@Override
	public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
		for (TokenEventListener listener : this.listeners) {
			listener.acquisitionSucceeded(key, token, refresh);
		}
	}

	@Override
	public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
		for (TokenEventListener listener : this.listeners) {
			listener.acquisitionFailed(key, error, refresh);
		}
	}

	@Override
	public void tokenSaved(TokenKey key, AccessToken token) {
		for (TokenEventListener listener : this.listeners) {
			listener.tokenSaved(key, token);
		}
	}

	@Override
	public void revocationSucceeded(TokenKey key) {
		for (TokenEventListener listener : this.listeners) {
			listener.revocationSucceeded(key);
		}
	}

	@Override
	public void revocationFailed(TokenKey key, Throwable error) {
		for (TokenEventListener listener : this.listeners) {
			listener.revocationFailed(key, error);
		}
	}

	@Override
	public void retried(String registrationId) {
		for (TokenEventListener listener : this.listeners) {
			listener.retried(registrationId);
		}
	}

	@Override
	public String toString() {
		return "CompositeTokenEventListener[" + this.listeners.length + " listeners]";
	}

}
