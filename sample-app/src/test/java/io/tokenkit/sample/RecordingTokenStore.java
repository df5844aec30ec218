package io.tokenkit.sample;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

/**
 * The in-memory token store, remembering every secret value it was given (access, refresh
 * and ID tokens), so that tests can check that none of them shows up in a page or a JSON
 * answer.
 */
class RecordingTokenStore implements TokenStore {

	private final InMemoryTokenStore delegate = new InMemoryTokenStore();

	private final Set<String> secrets = ConcurrentHashMap.newKeySet();

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		return this.delegate.get(key);
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		record(token);
		return this.delegate.save(key, token);
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		if (replacement != null) {
			record(replacement);
		}
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

	List<String> secrets() {
		return List.copyOf(this.secrets);
	}

	private void record(AccessToken token) {
		this.secrets.add(token.getTokenValue());
		if (token.getRefreshToken() != null) {
			this.secrets.add(token.getRefreshToken());
		}
		if (token.getIdToken() != null) {
			this.secrets.add(token.getIdToken());
		}
	}

}
