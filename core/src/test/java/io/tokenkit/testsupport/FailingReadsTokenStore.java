package io.tokenkit.testsupport;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

/**
 * An in-memory {@link TokenStore} whose {@link #get(TokenKey)} throws once told to, as a
 * custom store may: for what callers of the manager do when it fails under them.
 */
public final class FailingReadsTokenStore extends ForwardingTokenStore {

	private volatile @Nullable RuntimeException failure;

	public FailingReadsTokenStore() {
		super(new InMemoryTokenStore());
	}

	/**
	 * Make every read from now on throw {@code failure}.
	 * @param failure what reads throw
	 */
	public void failReads(RuntimeException failure) {
		this.failure = failure;
	}

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		RuntimeException failure = this.failure;
		if (failure != null) {
			throw failure;
		}
		return super.get(key);
	}

}
