package io.tokenkit.aozora;

import reactor.core.publisher.Mono;

/**
 * Keeps the {@code nonce} of each OpenID Connect authorization request until its ID token
 * comes back: the two callbacks of the bank's Node SDK ({@code save} and
 * {@code checkAndDelete}). Implementations keep a nonce for a limited time and must let
 * {@link #consume(String)} succeed at most once per nonce, also when several instances of
 * the application share the store.
 *
 * @see InMemoryNonceStore
 */
public interface NonceStore {

	/**
	 * Save a nonce just sent in an authorization request.
	 * @param nonce the nonce
	 * @return completes when the nonce is saved
	 */
	Mono<Void> save(String nonce);

	/**
	 * Check that a nonce was saved, has not expired and was not used yet, and remove it.
	 * @param nonce the {@code nonce} claim of an ID token
	 * @return {@code true} if the nonce was valid and is now used up, {@code false}
	 * otherwise
	 */
	Mono<Boolean> consume(String nonce);

}
