package io.tokenkit.testsupport;

import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

/**
 * A {@link TokenStore} that keeps its tokens in an {@link InMemoryTokenStore}, for test
 * stores that change one of its answers; acquisitions run on this store's own reads and
 * writes ({@link TokenStore}'s defaults) unless a subclass says otherwise.
 */
public abstract class ForwardingTokenStore implements TokenStore {

	private final InMemoryTokenStore delegate;

	protected ForwardingTokenStore(InMemoryTokenStore delegate) {
		this.delegate = delegate;
	}

	@Override
	public @Nullable AccessToken get(TokenKey key) {
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
