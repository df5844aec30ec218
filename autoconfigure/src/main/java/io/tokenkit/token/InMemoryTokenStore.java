package io.tokenkit.token;

import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenStore} that keeps tokens in a {@link ConcurrentHashMap}: the default for
 * an application running as a single instance.
 */
public final class InMemoryTokenStore implements TokenStore {

	private final ConcurrentHashMap<TokenKey, AccessToken> tokens = new ConcurrentHashMap<>();

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		return this.tokens.get(key);
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		this.tokens.put(key, token);
		return Mono.empty();
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		boolean changed = (replacement != null) ? this.tokens.replace(key, expected, replacement)
				: this.tokens.remove(key, expected);
		return Mono.just(changed);
	}

	@Override
	public Mono<Void> remove(TokenKey key) {
		this.tokens.remove(key);
		return Mono.empty();
	}

	/**
	 * Return the number of tokens held.
	 * @return the size
	 */
	public int size() {
		return this.tokens.size();
	}

}
