package io.tokenkit.token;

import java.time.Duration;

import reactor.core.publisher.Mono;

/**
 * Keeps values that may be used up once within a limited time, such as the nonce of an
 * OpenID Connect authorization request or the {@code jti} of a signed request, grouped in
 * namespaces so that the users of one store never see each other's values.
 * <p>
 * {@link #consume} answers {@code true} exactly once for a value {@link #put} and not yet
 * expired; a store shared by several instances of an application (Redis, say) keeps that
 * promise across all of them, so that a value put by one instance is accepted once by
 * any. Implementations never write a value into a message, a log or a {@code toString()}.
 *
 * @see InMemoryOneTimeValueStore
 */
public interface OneTimeValueStore {

	/**
	 * Keep a value until it is consumed or its time to live has passed. A value already
	 * pending in the namespace keeps its first time to live.
	 * @param namespace the namespace, for example {@code gmo-aozora-nonce}
	 * @param value the value
	 * @param timeToLive how long the value can be consumed after it was put
	 * @return completes when the value is kept, and fails when it cannot be
	 */
	Mono<Void> put(String namespace, String value, Duration timeToLive);

	/**
	 * Use a value up: check that it was put in the namespace, has not expired and was not
	 * consumed yet, and remove it.
	 * @param namespace the namespace the value was put in
	 * @param value the value
	 * @return {@code true} for the one consumer of a pending value, {@code false} for an
	 * unknown, expired or already consumed one; fails when the store cannot tell
	 */
	Mono<Boolean> consume(String namespace, String value);

	/**
	 * Keep a secret value under a key until it is {@link #take taken} or its time to live
	 * has passed, so that any instance sharing the store can have it back once. A key
	 * already pending in the namespace keeps its first value and time to live. Keys share
	 * the namespace with the values {@link #put} there.
	 * @param namespace the namespace, for example {@code gmo-aozora-pkce}
	 * @param key the key, for example the state of an authorization request
	 * @param value the value, a secret (written encrypted where the store encrypts)
	 * @param timeToLive how long the value can be taken after it was kept
	 * @return completes when the value is kept, and fails when it cannot be
	 */
	Mono<Void> keep(String namespace, String key, String value, Duration timeToLive);

	/**
	 * Take a value kept under a key back, once: answer it and remove it.
	 * @param namespace the namespace the value was kept in
	 * @param key the key
	 * @return the value for the one taker of a pending key, empty for an unknown, expired
	 * or already taken one; fails when the store cannot tell
	 */
	Mono<String> take(String namespace, String key);

}
