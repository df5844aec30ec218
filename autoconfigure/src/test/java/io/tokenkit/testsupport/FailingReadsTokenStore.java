package io.tokenkit.testsupport;

import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

/**
 * An in-memory {@link TokenStore} whose {@link #get(TokenKey)} throws once told to, as a
 * custom store may: for what callers of the manager do when it fails under them.
 */
public final class FailingReadsTokenStore implements TokenStore {

	private final InMemoryTokenStore delegate = new InMemoryTokenStore();

	private volatile @Nullable RuntimeException failure;

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
		return this.delegate.get(key);
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		return this.delegate.save(key, token);
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		return this.delegate.replace(key, expected, replacement);
	}

	@Override
	public Mono<Void> remove(TokenKey key) {
		return this.delegate.remove(key);
	}

	@Override
	public void forEachToken(BiConsumer<TokenKey, AccessToken> action) {
		this.delegate.forEachToken(action);
	}

}
