package io.tokenkit.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.util.Assert;

/**
 * Owns the tokens of every registration: caches them in a {@link TokenStore}, refreshes
 * them ahead of expiry, and lets only one acquisition run per {@link TokenKey} however
 * many callers wait for it.
 * <ul>
 * <li>A usable cached token is returned by {@link #getCachedToken(TokenKey)} with no I/O,
 * no lock and no allocation: one store lookup and one time comparison.</li>
 * <li>Inside the refresh window (the registration's skew, capped at a quarter of the
 * token's lifetime) the current token is still returned and at most one background
 * refresh starts.</li>
 * <li>With no usable token every caller shares one acquisition. An acquisition, once
 * started, runs to its end even when its callers give up after the acquire timeout, and
 * its token is stored. A failed acquisition is never cached: its waiters get the error,
 * and the key cools down ({@link CoolDownPolicy}): until then callers fail fast with a
 * {@link TokenCoolDownException} and no token call is made, while a cached token that is
 * still valid keeps serving. A refresh token refused as dead fails every caller with a
 * {@link ReauthorizationRequiredException} until a new token is saved.</li>
 * <li>{@link #reacquire(TokenKey, AccessToken)} replaces a token a server rejected, and
 * only that token: a token refreshed meanwhile is kept and returned. The caller replays
 * its request with the replacement and tells how that went
 * ({@link #replayed(TokenKey, AccessToken, boolean)}): a replacement whose replay was
 * accepted is an ordinary token, and its own rejection later gets one reacquisition
 * again; when the replay is rejected too, the key cools down and rejections go back to
 * the caller instead of another token call.</li>
 * <li>A source with nothing to acquire from (a plain {@link TokenAcquisitionException})
 * fails the caller with a {@link NoTokenForSubjectException} for a key with a subject (a
 * user who never connected), or a {@link SubjectRequiredException} for a key without one
 * (a per-user registration asked for an application token, or an application credential
 * missing from the configuration): neither is a failure of the registration; the first is
 * logged at DEBUG only, the second at WARN once per registration.</li>
 * <li>A {@link #save(TokenKey, AccessToken)} or {@link #remove(TokenKey)} wins over an
 * acquisition of the same key that finishes after it.</li>
 * <li>Each {@link TokenParameters parameter set} of a key is a key of its own, with its
 * own token, acquisition, refresh and cool-down; {@link #removeAll(String, String)}
 * removes them all. A key with parameters for a registration whose source does not
 * {@link TokenSource#supportsParameters() support them} fails with a
 * {@link TokenParametersNotSupportedException} and makes no token call.</li>
 * <li>For a view of a connection or a health check, {@link #getHeldToken(TokenKey)} reads
 * the token held, expired or not, {@link #refresh(TokenKey)} refreshes it now, and
 * {@link #getRegistrationStatus(String)} tells how the last acquisition ended. None of
 * them adds work to the hot path.</li>
 * </ul>
 * Time comes from the injected {@link Clock}. A listener that throws is logged and
 * changes nothing. Each acquisition and refresh that calls a token source is logged at
 * DEBUG (registration, whether per-user, outcome and expiry; never a token, a scope or a
 * subject); a failed acquisition is logged at WARN at most once per cool-down of each
 * registration, the others at DEBUG.
 */
public final class TokenManager implements AutoCloseable {

	/** The default time limit of one acquisition. */
	public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How many times the acquire timeout an acquisition may run before it is abandoned: a
	 * source that never answers must not hold its key for ever.
	 */
	private static final int ABANDON_AFTER_TIMEOUTS = 4;

	private final Map<String, RegistrationState> registrations;

	private final TokenStore store;

	private final Clock clock;

	private final TokenEventListener listener;

	private final Duration acquireTimeout;

	private final KeyRests rests;

	private final Acquisitions acquisitions;

	private final Revocations revocations;

	/**
	 * Create a manager with the system UTC clock, no listener, the default acquisition
	 * time limit and the default cool-down.
	 * @param registrations the registrations
	 * @param store the token store
	 */
	public TokenManager(Collection<TokenRegistration> registrations, TokenStore store) {
		this(registrations, store, Clock.systemUTC(), TokenEventListener.NONE, DEFAULT_ACQUIRE_TIMEOUT);
	}

	/**
	 * Create a manager with the default cool-down.
	 * @param registrations the registrations
	 * @param store the token store
	 * @param clock the clock that decides expiry
	 * @param listener told of cache hits, misses, refreshes and acquisitions
	 * @param acquireTimeout how long a caller waits for an acquisition
	 */
	public TokenManager(Collection<TokenRegistration> registrations, TokenStore store, Clock clock,
			TokenEventListener listener, Duration acquireTimeout) {
		this(registrations, store, clock, listener, acquireTimeout, CoolDownPolicy.DEFAULT);
	}

	/**
	 * Create a manager.
	 * @param registrations the registrations
	 * @param store the token store
	 * @param clock the clock that decides expiry
	 * @param listener told of cache hits, misses, refreshes and acquisitions
	 * @param acquireTimeout how long a caller waits for an acquisition
	 * @param coolDown how long a key rests after a failed acquisition
	 */
	public TokenManager(Collection<TokenRegistration> registrations, TokenStore store, Clock clock,
			TokenEventListener listener, Duration acquireTimeout, CoolDownPolicy coolDown) {
		Assert.notNull(registrations, "registrations must not be null");
		Assert.notNull(store, "store must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(listener, "listener must not be null");
		Assert.isTrue(acquireTimeout != null && acquireTimeout.toMillis() > 0, "acquireTimeout must be positive");
		Assert.notNull(coolDown, "coolDown must not be null");
		Map<String, RegistrationState> states = new LinkedHashMap<>();
		for (TokenRegistration registration : registrations) {
			Assert.isTrue(states.put(registration.id(), new RegistrationState(registration)) == null,
					() -> "Duplicate registration id '" + registration.id() + "'");
		}
		this.registrations = Collections.unmodifiableMap(states);
		this.store = store;
		this.clock = clock;
		this.listener = TokenEventListener.isolating(listener);
		this.acquireTimeout = acquireTimeout;
		this.rests = new KeyRests(coolDown);
		this.revocations = new Revocations(this.listener, acquireTimeout);
		this.acquisitions = new Acquisitions(store, clock, this.listener, acquireTimeout, getAbandonTimeout(),
				this.rests, this::revokeDetached);
		// a save or remove on another instance ends what this one remembered of the key
		store.onChangedElsewhere(this.rests::forget);
	}

	/**
	 * Return the registrations this manager knows, by id.
	 * @return the registrations
	 */
	public Map<String, TokenRegistration> getRegistrations() {
		Map<String, TokenRegistration> result = new LinkedHashMap<>();
		this.registrations.forEach((id, state) -> result.put(id, state.registration));
		return result;
	}

	/**
	 * Return how long a caller waits for one acquisition before it fails with a
	 * {@link TokenAcquisitionException}.
	 * @return the acquire timeout
	 */
	public Duration getAcquireTimeout() {
		return this.acquireTimeout;
	}

	/**
	 * Return how long one acquisition may run before it is abandoned, its token call
	 * cancelled: four times the {@link #getAcquireTimeout() acquire timeout}, so that a
	 * source that never answers does not hold its key for ever. A token call whose
	 * retries may take longer than this is cut short.
	 * @return the time limit of one acquisition
	 */
	public Duration getAbandonTimeout() {
		return this.acquireTimeout.multipliedBy(ABANDON_AFTER_TIMEOUTS);
	}

	/**
	 * Return the registration with this id: the one lookup of ids, which filters,
	 * interceptors, service groups, health and clients ask.
	 * @param registrationId the id
	 * @return the registration
	 * @throws NoSuchRegistrationException if there is no such registration, carrying the
	 * known ids
	 */
	public TokenRegistration getRegistration(String registrationId) {
		RegistrationState state = this.registrations.get(registrationId);
		if (state == null) {
			throw new NoSuchRegistrationException(registrationId, this.registrations.keySet());
		}
		return state.registration;
	}

	/**
	 * Return whether a registration with this id exists.
	 * @param registrationId the id
	 * @return whether it is known
	 */
	public boolean hasRegistration(String registrationId) {
		return this.registrations.containsKey(registrationId);
	}

	/**
	 * Return the cached token for the key if it is usable now, starting a background
	 * refresh when it is inside its refresh window. This is the hot path: no I/O, no
	 * lock, no allocation.
	 * @param key the key
	 * @return a usable token, or {@code null} when the caller must
	 * {@link #acquire(TokenKey) acquire} one
	 */
	public @Nullable AccessToken getCachedToken(TokenKey key) {
		RegistrationState state = state(key.registrationId());
		AccessToken token = this.store.get(key);
		if (token != null) {
			long now = this.clock.millis();
			long expiresAt = token.getExpiresAtMillis();
			if (now < expiresAt - state.skewMillis(token)) {
				this.listener.cacheHit(state.id);
				return token;
			}
			if (now < expiresAt) {
				this.listener.refreshAhead(state.id);
				refreshAhead(state, key, token, now);
				return token;
			}
		}
		this.listener.cacheMiss(state.id);
		return null;
	}

	/**
	 * Return a usable token for the key: the cached one, or the result of the acquisition
	 * shared by every caller waiting for this key.
	 * @param key the key
	 * @return the token
	 */
	public Mono<AccessToken> getToken(TokenKey key) {
		AccessToken token = getCachedToken(key);
		return (token != null) ? Mono.just(token) : acquire(key);
	}

	/**
	 * Wait for a token for a key whose cached token was missing or expired, joining the
	 * acquisition in flight or starting one. While the key cools down after a failure,
	 * fail fast instead.
	 * @param key the key
	 * @return the token
	 */
	public Mono<AccessToken> acquire(TokenKey key) {
		return joinOrStart(key, false);
	}

	/**
	 * Return the token held for the key, expired or not, without acquiring one: for a
	 * view of a user's connection ("connected, expires at …"), where an expired token
	 * that carries a refresh token still counts. Looks in the store's backing store (such
	 * as Redis) when this instance holds no copy. Never calls a token endpoint, never
	 * starts a refresh; use {@link #getToken(TokenKey)} for a token to send.
	 * @param key the key
	 * @return the token held, or empty when there is none
	 */
	public Mono<AccessToken> getHeldToken(TokenKey key) {
		state(key.registrationId());
		return Mono.defer(() -> {
			AccessToken held = this.store.get(key);
			return (held != null) ? Mono.just(held) : this.store.load(key);
		});
	}

	/**
	 * Refresh the key's token now, even when the one held is still valid: an operator's
	 * "refresh now", or a token whose permissions changed at the authorization server.
	 * One acquisition runs, from the refresh token of the newest token stored (or a new
	 * token when none is stored): callers that ask meanwhile, and requests that find no
	 * usable token, share it, and an acquisition already in flight is joined instead. The
	 * token to refresh is read only once the acquisition is under way, so that a
	 * {@link #remove(TokenKey)} or {@link #save(TokenKey, AccessToken)} meanwhile wins
	 * over it: a removed token is never refreshed. With a store shared by several
	 * instances, refreshes asked on two of them run one after the other, each from the
	 * newest refresh token. While the key cools down after a failure, or needs a new
	 * authorization, this fails fast as {@link #acquire(TokenKey)} does and makes no
	 * token call. A token that a resource server rejected is replaced with
	 * {@link #reacquire(TokenKey, AccessToken)} instead.
	 * @param key the key
	 * @return the new token, or the token saved meanwhile
	 */
	public Mono<AccessToken> refresh(TokenKey key) {
		return joinOrStart(key, true);
	}

	/**
	 * Join the key's acquisition in flight, or fail fast while the key rests, or start
	 * one: {@code forced} to refresh even a valid token (registered before the store is
	 * read, so that a remove or save meanwhile finds it).
	 */
	private Mono<AccessToken> joinOrStart(TokenKey key, boolean forced) {
		RegistrationState state = state(key.registrationId());
		if (state.refuses(key)) {
			return Mono.error(new TokenParametersNotSupportedException(state.id));
		}
		return Mono.deferContextual((context) -> {
			Mono<AccessToken> running = this.acquisitions.inFlight(key);
			if (running != null) {
				return running;
			}
			Throwable resting = this.rests.resting(key, this.clock.millis());
			return (resting != null) ? Mono.error(resting)
					: this.acquisitions.start(state, key, null, false, forced, context);
		});
	}

	/**
	 * Return what this manager knows of a registration's tokens, for a health check: how
	 * its last acquisition ended, whether that key still cools down, the expiry of the
	 * application token held, and counts of the per-user tokens held. Never a token or a
	 * subject. Walks this instance's copies of the tokens
	 * ({@link TokenStore#forEachToken}): not for the request path. The counts are
	 * approximate ({@link TokenRegistrationStatus.UserTokens}): read without stopping
	 * requests, from this instance's copies.
	 * @param registrationId the registration
	 * @return the status
	 */
	public TokenRegistrationStatus getRegistrationStatus(String registrationId) {
		return state(registrationId).status.status(registrationId, this.clock.millis(), this.rests, this.store);
	}

	/**
	 * Replace a token that a resource server rejected. Only {@code rejected} is replaced:
	 * when the store already holds another usable token (refreshed meanwhile), that token
	 * is returned and nothing is acquired. Many callers rejected with the same token
	 * share one acquisition. The caller replays its request once with the token returned
	 * and tells the manager how the replay went with
	 * {@link #replayed(TokenKey, AccessToken, boolean)}. While the key rests after a
	 * replay was rejected, {@code rejected} is returned, so that the caller hands the
	 * rejection on, and no token is acquired until that cool-down ends. A replacement
	 * this method returned whose replay has not been reported yet (for at most the
	 * acquire timeout) is not replaced either: its rejection counts as a rejected replay,
	 * and {@code rejected} is returned.
	 * @param key the key
	 * @param rejected the token that was rejected
	 * @return a token other than {@code rejected}, or {@code rejected} itself when the
	 * source can only give that one back (a static token) or the key rests after a
	 * rejected replay
	 */
	public Mono<AccessToken> reacquire(TokenKey key, AccessToken rejected) {
		RegistrationState state = state(key.registrationId());
		if (state.refuses(key)) {
			return Mono.error(new TokenParametersNotSupportedException(state.id));
		}
		AccessToken current = this.store.get(key);
		long now = this.clock.millis();
		if (current != null && !AccessToken.sameValue(current, rejected) && !current.isExpired(now)) {
			return Mono.just(current);
		}
		// one read of the key's rests: a strike between two reads would be missed by both
		KeyRests.ReplayVerdict verdict = this.rests.replayVerdict(key, rejected, now,
				() -> current(key, rejected, now) != null);
		if (verdict == KeyRests.ReplayVerdict.UNCONFIRMED) {
			// the replacement of a reacquisition whose replay has not been reported yet:
			// its rejection is a rejected replay, and another token call would not help
			replayed(key, rejected, false);
		}
		if (verdict != KeyRests.ReplayVerdict.NONE) {
			return Mono.just(rejected);
		}
		return Mono.deferContextual((context) -> {
			Mono<AccessToken> running = this.acquisitions.inFlight(key);
			if (running == null) {
				Throwable resting = this.rests.resting(key, this.clock.millis());
				return (resting != null) ? Mono.error(resting)
						: this.acquisitions.start(state, key, rejected, true, false, context);
			}
			// The acquisition in flight may have found the rejected token itself in a
			// shared store.
			return running.flatMap((token) -> {
				if (!AccessToken.sameValue(token, rejected)) {
					return Mono.just(token);
				}
				Throwable resting = this.rests.resting(key, this.clock.millis());
				return (resting != null) ? Mono.error(resting)
						: this.acquisitions.start(state, key, rejected, true, false, context);
			});
		});
	}

	/**
	 * Tell how the replay of a request with a token
	 * {@link #reacquire(TokenKey, AccessToken)} returned went: accepted when its status
	 * was not {@code 401}. An accepted replacement is an ordinary token: when a server
	 * rejects it later (revoked, the API's keys rotated), {@link #reacquire} replaces it
	 * once more. A rejected one means the server rejects whatever token it is given
	 * (wrong audience, missing permission), so another token call would not help: the key
	 * rests ({@link CoolDownPolicy}, longer after each such strike), and until then
	 * {@link #reacquire} hands each rejection back with no token call. Many replays with
	 * the same token strike once; a rejected replay whose token is no longer the key's
	 * usable token, or is being replaced already, is old news and changes nothing, and
	 * only the struck token itself is handed back. An accepted replay of the token held
	 * ends the cool-down too. A replay that got no answer (an I/O error) is not told.
	 * Never fails, makes no I/O.
	 * @param key the key
	 * @param replacement the token the request was replayed with
	 * @param accepted whether the replay was answered with a status other than
	 * {@code 401}
	 */
	public void replayed(TokenKey key, AccessToken replacement, boolean accepted) {
		RegistrationState state = state(key.registrationId());
		String value = replacement.getTokenValue();
		long now = this.clock.millis();
		if (accepted) {
			// a replacement that works: the strikes of earlier ones are forgiven, and
			// their cool-down too when it is the token held
			this.rests.accepted(key, value, now, () -> current(key, replacement, now) != null);
			return;
		}
		if (current(key, replacement, now) == null || this.acquisitions.isInFlight(key)) {
			// old news: another token is held, or the replacement is being replaced
			// already (a reacquisition in flight leaves an expired copy of it)
			this.rests.confirmed(key, value);
			return;
		}
		ReplayStrikes struck = this.rests.strike(key, value, now, () -> current(key, replacement, now) != null);
		if (struck != null) {
			state.unauthorizedWarnings.struck(key.registrationId(), struck.unauthorizedUntil(), now);
		}
	}

	/**
	 * Tell that the replay of a request with a token {@link #reacquire} returned ended in
	 * a challenge ({@link TokenAuthorizer#answered}, such as a DPoP nonce challenge)
	 * rather than in an answer. A challenge says nothing of the token: the replacement is
	 * neither struck nor forgiven, it only stops being unconfirmed, so that a later
	 * {@code 401} on it is replaced as a first rejection. Never fails, makes no I/O.
	 * @param key the key
	 * @param replacement the token the request was replayed with
	 */
	public void replayChallenged(TokenKey key, AccessToken replacement) {
		state(key.registrationId());
		this.rests.confirmed(key, replacement.getTokenValue());
	}

	/**
	 * Return the token held for the key when it is {@code token} and still usable, else
	 * {@code null}.
	 */
	private @Nullable AccessToken current(TokenKey key, AccessToken token, long now) {
		AccessToken current = this.store.get(key);
		return (current != null && AccessToken.sameValue(current, token) && !current.isExpired(now)) ? current : null;
	}

	/**
	 * Stop serving {@code rejected} for the key, if it is still the token held; a token
	 * stored meanwhile stays. The refresh token of the rejected token is kept for the
	 * next acquisition.
	 * @param key the key
	 * @param rejected the token that was rejected
	 * @return whether the store changed
	 */
	public Mono<Boolean> invalidate(TokenKey key, AccessToken rejected) {
		state(key.registrationId());
		return this.acquisitions.invalidate(key, rejected);
	}

	/**
	 * Store a token obtained outside the manager, typically a user's first token after an
	 * authorization code exchange, so that later requests use it and its refresh token.
	 * It ends the key's cool-down and wins over an acquisition in flight for the key.
	 * @param key the key, with the user's subject
	 * @param token the token
	 * @return completion
	 */
	public Mono<Void> save(TokenKey key, AccessToken token) {
		RegistrationState state = state(key.registrationId());
		Assert.notNull(token, "token must not be null");
		if (state.refuses(key)) {
			return Mono.error(new TokenParametersNotSupportedException(state.id));
		}
		// again once written: an acquisition that started while the store wrote must not
		// overwrite the saved token either
		return Mono.defer(() -> {
			this.acquisitions.supersede(key, token);
			return this.store.save(key, token);
		}).then(Mono.<Void>fromRunnable(() -> this.acquisitions.supersede(key, token))).doOnSuccess((done) -> {
			state.status.ended(key, TokenRegistrationStatus.Outcome.SAVED, this.clock.millis(), null);
			this.listener.tokenSaved(key, token);
		});
	}

	/**
	 * Forget the token held for the key, for example when a user disconnects. It ends the
	 * key's cool-down and wins over an acquisition in flight for the key. The token taken
	 * out of the store is then revoked by its source ({@link TokenSource#revoke}, RFC
	 * 7009 for a registration with a revocation endpoint): after the returned
	 * {@link Mono} completes, detached from it, bounded by the acquire timeout, on this
	 * instance only. A failed revocation is told to the listener
	 * ({@link TokenEventListener#revocationFailed}) and logged at WARN, and leaves the
	 * token removed. A key with no token stored revokes nothing.
	 * @param key the key
	 * @return completion, once the store has removed the token
	 */
	public Mono<Void> remove(TokenKey key) {
		state(key.registrationId());
		return owned(Mono.defer(() -> {
			this.acquisitions.supersede(key, Acquisitions.REMOVED);
			return this.store.getAndRemove(key).map(Optional::of).defaultIfEmpty(Optional.empty());
		}).doOnNext((removed) -> {
			this.acquisitions.supersede(key, Acquisitions.REMOVED);
			removed.ifPresent((token) -> revokeDetached(key, token));
		}).then());
	}

	/**
	 * Run a removal in a subscription this manager owns, and answer its completion: a
	 * caller that cancels (a client gone, a timeout) stops waiting, but once the store
	 * was asked, the removal and the revocation of what it took away still run.
	 */
	private static Mono<Void> owned(Mono<Void> removal) {
		return Mono.defer(() -> Mono.fromFuture(removal.toFuture(), true));
	}

	/**
	 * Start the revocation of a token taken out of the store for the key, and return at
	 * once: its source revokes it ({@link TokenSource#revoke}) detached from the caller,
	 * bounded by the acquire timeout, and its outcome goes to the listener. Call it once
	 * per token removed, on the instance that removed it.
	 */
	private void revokeDetached(TokenKey key, AccessToken removed) {
		this.revocations.start(state(key.registrationId()).registration.source(), key, removed);
	}

	/**
	 * Forget every token held for a subject of a registration, whatever parameters each
	 * was asked with ({@link TokenKey#parameters()}), for example when a user
	 * disconnects: what {@link #remove(TokenKey)} does for one key, for the key with the
	 * registration's defaults and each parameter set the store finds
	 * ({@link TokenStore#removeAll}), each token removed revoked once. It ends the
	 * cool-downs of those keys and wins over their acquisitions in flight.
	 * @param registrationId the registration
	 * @param subject the subject, or {@code null} for the registration's application
	 * tokens
	 * @return completion
	 * @see TokenStore#removeAll(String, String)
	 */
	public Mono<Void> removeAll(String registrationId, @Nullable String subject) {
		state(registrationId);
		Predicate<TokenKey> ofSubject = (key) -> key.registrationId().equals(registrationId)
				&& Objects.equals(key.subject(), subject);
		return owned(Mono.defer(() -> {
			this.acquisitions.supersedeAll(ofSubject, Acquisitions.REMOVED);
			return this.store.removeAll(registrationId, subject).collectList();
		}).doOnNext((removed) -> {
			this.acquisitions.supersedeAll(ofSubject, Acquisitions.REMOVED);
			removed.forEach((each) -> revokeDetached(each.key(), each.token()));
		}).then());
	}

	/**
	 * Close the manager: wait, at most for the acquire timeout, for the acquisitions in
	 * flight to finish and store their tokens, so that a rotated refresh token is not
	 * lost when an instance shuts down, and for the revocations in flight to end. Close
	 * the store after this.
	 */
	@Override
	public void close() {
		long deadline = System.nanoTime() + this.acquireTimeout.toNanos();
		while ((!this.acquisitions.isEmpty() || !this.revocations.isEmpty()) && System.nanoTime() < deadline) {
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
	}

	/**
	 * Return how many keys hold cool-down or rejection state; memory that must shrink as
	 * keys are removed or fall quiet.
	 * @return the number of keys with state
	 */
	int keyStateCount() {
		return this.rests.count();
	}

	private void refreshAhead(RegistrationState state, TokenKey key, AccessToken token, long now) {
		if (this.acquisitions.isInFlight(key)) {
			return;
		}
		FailureCoolDown rest = this.rests.failures(key);
		if (rest != null && rest.blocks(now)) {
			return;
		}
		this.acquisitions.start(state, key, token, false, false, Context.empty()).subscribe(null, (error) -> {
			// told to the listener and logged by the acquisition; the key cools down
		});
	}

	private RegistrationState state(String registrationId) {
		RegistrationState state = this.registrations.get(registrationId);
		if (state == null) {
			throw FailureWording.unknownRegistration(registrationId, this.registrations.keySet());
		}
		return state;
	}

	/**
	 * A registration as the manager keeps it: its settings and what the manager keeps per
	 * registration (its status, which failures are logged at WARN).
	 */
	static final class RegistrationState {

		final String id;

		final TokenRegistration registration;

		private final long skewMillis;

		/** How the last acquisition ended, for health. */
		final RegistrationStatusBook status = new RegistrationStatusBook();

		/** Logs the failed acquisitions, the first of each cool-down at WARN. */
		final FailureWarnings warnings = new FailureWarnings();

		/**
		 * Logs the strikes ({@link TokenManager#replayed}), the first of each cool-down
		 * at WARN.
		 */
		final FailureWarnings unauthorizedWarnings = new FailureWarnings();

		/**
		 * Whether a request for an application token of this registration found none to
		 * acquire ({@link SubjectRequiredException}) and was logged at WARN.
		 */
		final AtomicBoolean subjectRequiredWarned = new AtomicBoolean();

		/** Whether the source serves keys with parameters, asked once. */
		private final boolean supportsParameters;

		RegistrationState(TokenRegistration registration) {
			this.id = registration.id();
			this.registration = registration;
			this.skewMillis = registration.refreshSkew().toMillis();
			this.supportsParameters = registration.source().supportsParameters();
		}

		/**
		 * Whether the key asks for parameters this registration's source cannot serve.
		 */
		boolean refuses(TokenKey key) {
			return !this.supportsParameters && !key.parameters().isEmpty();
		}

		/**
		 * How long before its expiry a token is refreshed ahead: the registration's skew,
		 * at most a quarter of the token's lifetime, none for a token not refreshed
		 * ahead.
		 */
		long skewMillis(AccessToken token) {
			if (!token.isRefreshedAhead()) {
				return 0;
			}
			long lifetime = token.getExpiresAtMillis() - token.getIssuedAtMillis();
			return Math.min(this.skewMillis, lifetime / 4);
		}

	}

}
