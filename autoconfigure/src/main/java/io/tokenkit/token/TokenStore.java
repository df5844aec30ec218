package io.tokenkit.token;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Holds the tokens that the {@link TokenManager} has acquired, keyed by {@link TokenKey}.
 * <p>
 * {@link #get(TokenKey)} sits on the hot path of every request and must answer from
 * memory, with no I/O and no lock. A store that shares tokens between instances (Redis,
 * say) keeps a local copy for {@code get} and does its I/O in {@link #load},
 * {@link #save} and {@link #remove}.
 *
 * @see InMemoryTokenStore
 */
public interface TokenStore {

	/**
	 * Return the token held in memory for the key, without I/O.
	 * @param key the key
	 * @return the token or {@code null}
	 */
	@Nullable AccessToken get(TokenKey key);

	/**
	 * Look the key up in the backing store, for a key that {@link #get} did not find. The
	 * default answers from memory.
	 * @param key the key
	 * @return the token, or empty
	 */
	default Mono<AccessToken> load(TokenKey key) {
		return Mono.justOrEmpty(get(key));
	}

	/**
	 * Store a token, replacing any other for the key.
	 * @param key the key
	 * @param token the token
	 * @return completion
	 */
	Mono<Void> save(TokenKey key, AccessToken token);

	/**
	 * Replace {@code expected} with {@code replacement} only if {@code expected} is still
	 * the token held for the key; a token stored meanwhile stays.
	 * @param key the key
	 * @param expected the token to replace
	 * @param replacement the new value, or {@code null} to remove the entry
	 * @return whether the store changed
	 */
	Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement);

	/**
	 * Remove whatever token is held for the key.
	 * @param key the key
	 * @return completion
	 */
	Mono<Void> remove(TokenKey key);

}
