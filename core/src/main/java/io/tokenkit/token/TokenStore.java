package io.tokenkit.token;

import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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

	/**
	 * Remove whatever token is held for the key, as {@link #remove} does, and answer the
	 * token this removal took away: empty when none was held, and, in a store shared by
	 * several instances, when another instance's removal came first, so that of two
	 * removals of one token only one answers it (one revocation). The default loads the
	 * token, then removes it: two removals that overlap may both answer it; the built-in
	 * stores answer it atomically.
	 * @param key the key
	 * @return the token removed, or empty
	 */
	default Mono<AccessToken> getAndRemove(TokenKey key) {
		return load(key).map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((held) -> remove(key).then(Mono.justOrEmpty(held)));
	}

	/**
	 * Remove every token held for a subject of a registration, whatever its
	 * {@link TokenKey#parameters() parameters}: the key with the registration's defaults
	 * and each parameter set, each as {@link #getAndRemove} does, and answer each token
	 * this removal took away (so that each is revoked once). The default takes the
	 * default key and each key of the subject that {@link #forEachToken} visits, a walk
	 * over what this instance holds (not for the request path); a store that shares
	 * tokens finds the subject's keys in its backing store instead.
	 * @param registrationId the registration
	 * @param subject the subject, or {@code null} for the registration's application
	 * tokens
	 * @return the tokens removed, one per key that held one
	 */
	default Flux<RemovedToken> removeAll(String registrationId, @Nullable String subject) {
		Set<TokenKey> keys = new LinkedHashSet<>();
		keys.add(TokenKey.of(registrationId, subject));
		forEachToken((key, token) -> {
			if (key.registrationId().equals(registrationId) && Objects.equals(key.subject(), subject)) {
				keys.add(key);
			}
		});
		return Flux.fromIterable(keys)
			.concatMap((key) -> getAndRemove(key).map((token) -> new RemovedToken(key, token)));
	}

	/**
	 * Run an acquisition for the key under this store's coordination. A shared store also
	 * records, under the same coordination, a refresh token refused as dead
	 * ({@link TokenApiException#isReauthorizationRequired()}), and while that mark holds
	 * fails the acquisition with a {@link DeadTokenChainException} instead of running it:
	 * the {@link TokenManager} answers its callers a
	 * {@link ReauthorizationRequiredException} until a new token is saved, so that every
	 * user of the store fails fast. {@code acquisition} is given the newest stored token
	 * ({@code null} when none) and answers the token to keep: that same instance when
	 * nothing needs to be acquired (nothing is written), a new token (written), or empty
	 * (nothing written, nothing kept). A store shared by several instances lets one
	 * acquisition per key run at a time across all of them, gives the acquisition the
	 * newest token read under that exclusion, and writes the new token only if no other
	 * write to the key came in between (the newer token then wins and is answered
	 * instead). The default runs the acquisition on {@link #load} and {@link #save}.
	 * @param key the key
	 * @param acquisition acquires a token from the newest stored one
	 * @return the token kept for the key, or empty
	 */
	default Mono<AccessToken> acquire(TokenKey key, Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return load(key).map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((newest) -> acquisition.apply(newest.orElse(null))
				.flatMap((token) -> (token == newest.orElse(null)) ? Mono.just(token)
						: save(key, token).thenReturn(token)));
	}

	/**
	 * Run an acquisition as {@link #acquire(TokenKey, Function)} does, saying whether a
	 * newer token suffices: when {@code newerSuffices}, a store shared by several
	 * instances may answer, without running the acquisition, a usable token that another
	 * instance stored while this one waited for its turn (what the acquisition would have
	 * answered unchanged); a forced refresh passes {@code false}. The default ignores it.
	 * @param key the key
	 * @param newerSuffices whether a usable token stored meanwhile by another instance
	 * may be answered instead
	 * @param acquisition acquires a token from the newest stored one
	 * @return the token kept for the key, or empty
	 */
	default Mono<AccessToken> acquire(TokenKey key, boolean newerSuffices,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return acquire(key, acquisition);
	}

	/**
	 * Run an acquisition as {@link #acquire(TokenKey, boolean, Function)} does, saying
	 * which stored tokens still belong to what the key's source is configured with
	 * ({@link TokenSource#isCurrent}): a store shared by several instances never answers
	 * a newer token that is not current, and lets the acquisition run despite a refresh
	 * token marked as refused when the chain it ended is not current (the operator has
	 * configured another one since). The default ignores it.
	 * @param key the key
	 * @param newerSuffices whether a usable token stored meanwhile by another instance
	 * may be answered instead
	 * @param current whether a stored token, or the token whose refresh token was
	 * refused, belongs to what the key's source is configured with
	 * @param acquisition acquires a token from the newest stored one
	 * @return the token kept for the key, or empty
	 */
	default Mono<AccessToken> acquire(TokenKey key, boolean newerSuffices, Predicate<AccessToken> current,
			Function<@Nullable AccessToken, Mono<AccessToken>> acquisition) {
		return acquire(key, newerSuffices, acquisition);
	}

	/**
	 * Call {@code action} with each token this instance holds in memory (what
	 * {@link #get} answers from), for counts in a health check or an operator's view: no
	 * I/O, never on the request path. Tokens held only in a backing store and not here
	 * are not visited. The default, for a store that cannot list what it holds, visits
	 * none.
	 * @param action told each key and its token
	 */
	default void forEachToken(BiConsumer<TokenKey, AccessToken> action) {
	}

	/**
	 * Listen to the keys that another user of this store (another instance) saved or
	 * removed, so that the manager forgets what it remembered of them. The default, for a
	 * store no one else uses, never calls it.
	 * @param listener told the key that changed elsewhere
	 */
	default void onChangedElsewhere(Consumer<TokenKey> listener) {
	}

}
