package io.tokenkit.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

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

	/** The Reactor context key under which Micrometer keeps the current observation. */
	private static final String OBSERVATION_CONTEXT_KEY = "micrometer.observation";

	/**
	 * How long a key stays marked as needing a new authorization when nothing else
	 * happens.
	 */
	private static final long REAUTHORIZATION_MARK_MILLIS = Duration.ofHours(1).toMillis();

	/** A marker for an acquisition superseded by {@link #remove(TokenKey)}. */
	private static final Object REMOVED = new Object();

	private static final Log logger = LogFactory.getLog(TokenManager.class);

	private final Map<String, RegistrationState> registrations;

	private final TokenStore store;

	private final Clock clock;

	private final TokenEventListener listener;

	private final Duration acquireTimeout;

	private final CoolDownPolicy coolDown;

	private final ConcurrentHashMap<TokenKey, Acquisition> inFlight = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<TokenKey, KeyState> keyStates = new ConcurrentHashMap<>();

	private final AtomicLong nextSweep = new AtomicLong();

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
		this.coolDown = coolDown;
		// a save or remove on another instance ends what this one remembered of the key
		store.onChangedElsewhere(this.keyStates::remove);
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
		return Mono.deferContextual((context) -> {
			Acquisition running = this.inFlight.get(key);
			if (running != null) {
				return running.mono();
			}
			Throwable resting = resting(state, key, this.clock.millis());
			return (resting != null) ? Mono.error(resting)
					: start(new Acquisition(state, key, false, forced), null, context);
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
		RegistrationState state = state(registrationId);
		long now = this.clock.millis();
		Last last = state.last();
		Instant coolingDownUntil = null;
		if (last != null && last.acquisition.outcome() == TokenRegistrationStatus.Outcome.FAILURE) {
			KeyState rest = this.keyStates.get(last.key);
			if (rest != null && !rest.reauthorizationRequired && now < rest.coolDownUntil) {
				coolingDownUntil = Instant.ofEpochMilli(rest.coolDownUntil);
			}
		}
		AccessToken application = this.store.get(TokenKey.of(registrationId));
		return new TokenRegistrationStatus(registrationId, Instant.ofEpochMilli(now),
				(last != null) ? last.acquisition : null, coolingDownUntil,
				(application != null) ? new TokenRegistrationStatus.ApplicationToken(application.getExpiresAt()) : null,
				userTokens(registrationId, now));
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
		AccessToken current = this.store.get(key);
		long now = this.clock.millis();
		if (current != null && !sameValue(current, rejected) && !current.isExpired(now)) {
			return Mono.just(current);
		}
		if (restsAfterRejectedReplay(key, rejected, now)) {
			return Mono.just(rejected);
		}
		if (unconfirmed(key, rejected, now)) {
			// the replacement of a reacquisition whose replay has not been reported yet:
			// its rejection is a rejected replay, and another token call would not help
			replayed(key, rejected, false);
			return Mono.just(rejected);
		}
		return Mono.deferContextual((context) -> {
			Acquisition running = this.inFlight.get(key);
			if (running == null) {
				Throwable resting = resting(state, key, this.clock.millis());
				return (resting != null) ? Mono.error(resting) : start(state, key, rejected, true, context);
			}
			// The acquisition in flight may have found the rejected token itself in a
			// shared store.
			return running.mono().flatMap((token) -> {
				if (!sameValue(token, rejected)) {
					return Mono.just(token);
				}
				Throwable resting = resting(state, key, this.clock.millis());
				return (resting != null) ? Mono.error(resting) : start(state, key, rejected, true, context);
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
			this.keyStates.computeIfPresent(key, (k, old) -> old.confirmed(value));
			KeyState rest = this.keyStates.get(key);
			if (rest != null && (rest.strikes > 0 || rest.unauthorizedUntil > now) && !value.equals(rest.struck)) {
				// a replacement that works: the strikes of earlier ones are forgiven, and
				// their cool-down too when it is the token held (read again inside, so
				// that a save or remove meanwhile wins)
				this.keyStates.computeIfPresent(key,
						(k, old) -> (old == rest) ? old.forgiven(current(key, replacement, now) != null) : old);
			}
			return;
		}
		if (current(key, replacement, now) == null || this.inFlight.containsKey(key)) {
			// old news: another token is held, or the replacement is being replaced
			// already (a reacquisition in flight leaves an expired copy of it)
			this.keyStates.computeIfPresent(key, (k, old) -> old.confirmed(value));
			return;
		}
		KeyState[] struck = new KeyState[1];
		this.keyStates.compute(key, (k, old) -> {
			KeyState rest = (old != null) ? old : KeyState.NONE;
			if (value.equals(rest.struck) || current(key, replacement, now) == null) {
				// another replay with the same token struck already, or a save or remove
				// came since the look above
				return (old != null) ? old.confirmed(value) : null;
			}
			int strikes = rest.strikes + 1;
			struck[0] = rest.struck(value, strikes, now + this.coolDown.millisAfter(strikes));
			return struck[0];
		});
		if (struck[0] != null) {
			logStrike(state, key, struck[0], now);
		}
	}

	/**
	 * Log a strike at WARN once per 401 cool-down of the registration, however many keys
	 * strike meanwhile; the others at DEBUG, counted in the next warning.
	 */
	private void logStrike(RegistrationState state, TokenKey key, KeyState struck, long now) {
		String message = "A request of registration '" + key.registrationId()
				+ "' rejected with 401 was replayed with a new token, and that was rejected with 401 too; until "
				+ Instant.ofEpochMilli(struck.unauthorizedUntil)
				+ " a 401 goes to the caller and no token call is made. Check that the token fits the API "
				+ "(audience, scopes).";
		int quiet = state.unauthorizedWarnings.warn(now, struck.unauthorizedUntil - now);
		if (quiet >= 0 && logger.isWarnEnabled()) {
			logger
				.warn(FailureWarnings.warning(message, quiet, "replay rejected with 401", "replays rejected with 401"));
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

	/**
	 * Return the token held for the key when it is {@code token} and still usable, else
	 * {@code null}.
	 */
	private @Nullable AccessToken current(TokenKey key, AccessToken token, long now) {
		AccessToken current = this.store.get(key);
		return (current != null && sameValue(current, token) && !current.isExpired(now)) ? current : null;
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
		// the copy held, which may carry a newer refresh token than the rejected one
		// (RotatedRefusal): that refresh token is the one kept
		AccessToken held = this.store.get(key);
		AccessToken expected = (held != null && sameValue(held, rejected)) ? held : rejected;
		return this.store.replace(key, expected, (expected.getRefreshToken() != null) ? expected.expired() : null);
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
		// again once written: an acquisition that started while the store wrote must not
		// overwrite the saved token either
		return Mono.defer(() -> {
			supersede(key, token);
			return this.store.save(key, token);
		}).then(Mono.<Void>fromRunnable(() -> supersede(key, token))).doOnSuccess((done) -> {
			state.ended(key, TokenRegistrationStatus.Outcome.SAVED, this.clock.millis(), null);
			this.listener.tokenSaved(key, token);
		});
	}

	/**
	 * Forget the token held for the key, for example when a user disconnects. It ends the
	 * key's cool-down and wins over an acquisition in flight for the key.
	 * @param key the key
	 * @return completion
	 */
	public Mono<Void> remove(TokenKey key) {
		state(key.registrationId());
		return Mono.defer(() -> {
			supersede(key, REMOVED);
			return this.store.remove(key);
		}).then(Mono.<Void>fromRunnable(() -> supersede(key, REMOVED)));
	}

	/**
	 * Close the manager: wait, at most for the acquire timeout, for the acquisitions in
	 * flight to finish and store their tokens, so that a rotated refresh token is not
	 * lost when an instance shuts down. Close the store after this.
	 */
	@Override
	public void close() {
		long deadline = System.nanoTime() + this.acquireTimeout.toNanos();
		while (!this.inFlight.isEmpty() && System.nanoTime() < deadline) {
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
		return this.keyStates.size();
	}

	private TokenRegistrationStatus.UserTokens userTokens(String registrationId, long now) {
		int[] held = new int[2];
		this.store.forEachToken((key, token) -> {
			if (key.subject() == null || !key.registrationId().equals(registrationId)) {
				return;
			}
			KeyState rest = this.keyStates.get(key);
			if (rest != null && rest.reauthorizationRequired) {
				return;
			}
			held[token.isExpired(now) ? 1 : 0]++;
		});
		int reauthorizationRequired = 0;
		for (Map.Entry<TokenKey, KeyState> entry : this.keyStates.entrySet()) {
			TokenKey key = entry.getKey();
			if (key.subject() != null && key.registrationId().equals(registrationId)
					&& entry.getValue().reauthorizationRequired) {
				reauthorizationRequired++;
			}
		}
		if (held[0] == 0 && held[1] == 0 && reauthorizationRequired == 0) {
			return TokenRegistrationStatus.UserTokens.NONE;
		}
		return new TokenRegistrationStatus.UserTokens(held[0], held[1], reauthorizationRequired);
	}

	private void supersede(TokenKey key, Object by) {
		Acquisition running = this.inFlight.get(key);
		if (running != null) {
			running.superseded = by;
		}
		this.keyStates.remove(key);
	}

	private void refreshAhead(RegistrationState state, TokenKey key, AccessToken token, long now) {
		if (this.inFlight.containsKey(key)) {
			return;
		}
		KeyState rest = this.keyStates.get(key);
		if (rest != null && rest.blocks(now)) {
			return;
		}
		start(state, key, token, false, Context.empty()).subscribe(null, (error) -> {
			// told to the listener and logged by the acquisition; the key cools down
		});
	}

	/**
	 * Return the error to fail fast with while the key cools down or needs a new
	 * authorization, or {@code null} when a token call may be made.
	 */
	private @Nullable Throwable resting(RegistrationState state, TokenKey key, long now) {
		KeyState rest = this.keyStates.get(key);
		if (rest == null || !rest.blocks(now)) {
			return null;
		}
		Throwable last = (rest.lastFailure != null) ? rest.lastFailure
				: new TokenAcquisitionException(state.id, "rejected again");
		if ((last instanceof NoTokenForSubjectException || last instanceof SubjectRequiredException)
				&& last.getCause() != null) {
			// the same answer as the source's, without asking it again
			return nothingToAcquire(state, key, last.getCause());
		}
		if (rest.reauthorizationRequired) {
			// a new exception each time: callers add suppressed exceptions to what they
			// get
			return reauthorizationRequired(state, key,
					(last instanceof ReauthorizationRequiredException required && required.getCause() != null)
							? required.getCause() : last);
		}
		Instant next = Instant.ofEpochMilli(rest.coolDownUntil);
		return new TokenCoolDownException(state.id, next,
				"Token acquisition for registration '" + state.id + "' failed " + rest.failures
						+ ((rest.failures == 1) ? " time" : " times in a row") + "; no token call until " + next
						+ " (in " + Math.max(1, (rest.coolDownUntil - now + 999) / 1000) + "s). Last failure: "
						+ last.getMessage(),
				last);
	}

	private static ReauthorizationRequiredException reauthorizationRequired(RegistrationState state, TokenKey key,
			Throwable refusal) {
		return new ReauthorizationRequiredException(state.id, "Registration '" + state.id
				+ "' needs a new authorization" + ((key.subject() != null) ? " for this subject" : "")
				+ ": its refresh token was refused as invalid, expired or revoked. No token call is made until a "
				+ "new token is saved with TokenManager.save"
				+ ((key.subject() == null) ? " or the application's refresh token is replaced" : ""), refusal);
	}

	/**
	 * Whether the key rests after a replay with a replacement was rejected
	 * ({@link #replayed}): then the server rejects whatever token it is given, and
	 * another token call would not help until the cool-down ends.
	 */
	private boolean restsAfterRejectedReplay(TokenKey key, AccessToken rejected, long now) {
		KeyState rest = this.keyStates.get(key);
		// only the struck token rests: a token saved since a late strike is not held back
		return rest != null && now < rest.unauthorizedUntil && rejected.getTokenValue().equals(rest.struck);
	}

	/**
	 * Whether {@code rejected} is the replacement a reacquisition stored, still held and
	 * usable, whose replay has not been reported yet ({@link #replayed}).
	 */
	private boolean unconfirmed(TokenKey key, AccessToken rejected, long now) {
		KeyState rest = this.keyStates.get(key);
		return rest != null && now < rest.unconfirmedUntil && rejected.getTokenValue().equals(rest.unconfirmed)
				&& current(key, rejected, now) != null;
	}

	/**
	 * Start the acquisition for the key unless one is already in flight.
	 * @param base the token to refresh: the one inside its refresh window, or the
	 * rejected one
	 * @param rejected whether {@code base} was rejected by a resource server
	 */
	private Mono<AccessToken> start(RegistrationState state, TokenKey key, @Nullable AccessToken base, boolean rejected,
			ContextView caller) {
		Acquisition acquisition = new Acquisition(state, key, rejected, false);
		acquisition.replacing = (rejected && base != null) ? base.getTokenValue() : null;
		return start(acquisition, base, caller);
	}

	/**
	 * Start {@code acquisition} unless another one of its key is already in flight.
	 * @param base the token to refresh: the one inside its refresh window, or the
	 * rejected one
	 */
	private Mono<AccessToken> start(Acquisition acquisition, @Nullable AccessToken base, ContextView caller) {
		RegistrationState state = acquisition.state;
		TokenKey key = acquisition.key;
		boolean rejected = acquisition.reacquisition;
		Acquisition running = this.inFlight.putIfAbsent(key, acquisition);
		if (running != null) {
			return running.mono();
		}
		// an acquisition that failed between the caller's look and this one's start has
		// set a cool-down: honour it
		Throwable resting = resting(state, key, this.clock.millis());
		if (resting != null) {
			this.inFlight.remove(key, acquisition);
			return Mono.error(resting);
		}
		Mono.defer(() -> acquisitionWork(state, key, base, rejected, acquisition))
			.switchIfEmpty(Mono.error(() -> new TokenAcquisitionException(state.id,
					"The token of registration '" + state.id
							+ "' was removed while it was being acquired; the next request acquires a new one")))
			.flatMap((token) -> undoIfSuperseded(key, acquisition, token))
			.flatMap(acquisition::keptOrRefused)
			.timeout(this.acquireTimeout.multipliedBy(ABANDON_AFTER_TIMEOUTS))
			.contextWrite(tracingOf(caller))
			.subscribe(acquisition::succeed, acquisition::fail);
		return acquisition.mono();
	}

	/**
	 * A {@link #save} or {@link #remove} of the same key that came while the acquired
	 * token was being stored wins: put it back.
	 */
	private Mono<AccessToken> undoIfSuperseded(TokenKey key, Acquisition acquisition, AccessToken token) {
		Object after = acquisition.superseded;
		if (after == null) {
			return Mono.just(token);
		}
		AccessToken saved = (after instanceof AccessToken accessToken) ? accessToken : null;
		if (saved == token) {
			return Mono.just(token);
		}
		return this.store.replace(key, token, saved).thenReturn((saved != null) ? saved : token);
	}

	/**
	 * The shared acquisition runs detached from its callers, so that none of them can
	 * cancel it for the others. It takes only the first caller's current observation, so
	 * that the token call is traced under the request that needed it; nothing else of
	 * that caller's context leaks into the shared work.
	 */
	private static Context tracingOf(ContextView caller) {
		Object observation = caller.getOrDefault(OBSERVATION_CONTEXT_KEY, null);
		return (observation != null) ? Context.of(OBSERVATION_CONTEXT_KEY, observation) : Context.empty();
	}

	private Mono<AccessToken> acquisitionWork(RegistrationState state, TokenKey key, @Nullable AccessToken base,
			boolean rejected, Acquisition acquisition) {
		if (base != null) {
			AccessToken current = this.store.get(key);
			if (current != null && !sameValue(current, base) && !current.isExpired(this.clock.millis())) {
				// Another token was stored since the caller saw this one: nothing to
				// acquire.
				return Mono.just(current);
			}
		}
		// A rejected token stops being served at once; its refresh token is kept.
		Mono<Boolean> invalidated = (rejected && base != null) ? invalidate(key, base) : Mono.just(false);
		// a usable token another instance stored meanwhile is what a non-forced
		// acquisition answers anyway; not a reacquisition's, whose rejected token may be
		// what the store still holds
		return invalidated.then(this.store.acquire(key, !acquisition.forced && !rejected,
				(stored) -> state.registration.source().isCurrent(key, stored), (newest) -> {
					Object superseded = acquisition.superseded;
					if (superseded != null) {
						// a save or remove came first: keep what it left
						return (superseded instanceof AccessToken saved) ? Mono.just(saved) : Mono.empty();
					}
					return acquireFrom(state, key, base, newest, acquisition);
				}));
	}

	/**
	 * A refused answer that carried a new refresh token leaves it in the store: in the
	 * token whose refresh token was sent, or, when the source sent one of its own, in a
	 * token that holds only it. The acquisition keeps that token, and fails its callers
	 * with the refusal once it is stored ({@link Acquisition#keptOrRefused}). Whatever
	 * happens, the error stops carrying the refresh token before it goes on.
	 * @param refreshed the token whose refresh token was sent, or {@code null} when the
	 * source obtained a token from a credential of its own
	 */
	private Mono<AccessToken> keepRotated(Acquisition acquisition, @Nullable AccessToken refreshed, Throwable error) {
		RotatedRefusal refusal = RotatedRefusal.of(error, refreshed,
				acquisition.state.registration.source().originOf(acquisition.key), this.clock.millis());
		if (refusal == null) {
			RotatedRefusal.forget(error);
			return Mono.error(error);
		}
		acquisition.rotatedRefusal = refusal;
		return Mono.just(refusal.carrying());
	}

	/**
	 * Decide from the newest stored token, read under the store's coordination, what to
	 * acquire: nothing when another instance or caller stored a usable token meanwhile, a
	 * refresh from the newest refresh token, or a new token; never a refresh from a
	 * refresh token the store no longer holds (a remove came first). A forced acquisition
	 * ({@link #refresh(TokenKey)}) refreshes the newest token whatever its expiry, or
	 * obtains a new one when none is stored.
	 */
	private Mono<AccessToken> acquireFrom(RegistrationState state, TokenKey key, @Nullable AccessToken base,
			@Nullable AccessToken newest, Acquisition acquisition) {
		if (newest != null && !state.registration.source().isCurrent(key, newest)) {
			// acquired from a credential the registration is configured with no more (an
			// application's refresh token replaced): neither used nor refreshed
			return obtain(state, key, acquisition);
		}
		if (acquisition.forced) {
			return (newest != null) ? refreshFrom(state, key, newest, acquisition) : obtain(state, key, acquisition);
		}
		if (newest == null) {
			// the store holds nothing for the key: a token removed since the caller saw
			// it is not refreshed back, its refresh token is not redeemed
			return (base != null && base.getRefreshToken() == null) ? refreshFrom(state, key, base, acquisition)
					: obtain(state, key, acquisition);
		}
		boolean usable = !newest.isExpired(this.clock.millis());
		if (usable && (base == null || !sameValue(newest, base))) {
			return Mono.just(newest);
		}
		return refreshFrom(state, key, newest, acquisition);
	}

	private Mono<AccessToken> refreshFrom(RegistrationState state, TokenKey key, AccessToken base,
			Acquisition acquisition) {
		return observe(state, state.registration.source().refresh(key, base), key, true)
			.onErrorResume((error) -> keepRotated(acquisition, base, error));
	}

	private Mono<AccessToken> obtain(RegistrationState state, TokenKey key, Acquisition acquisition) {
		return observe(state, state.registration.source().obtain(key), key, false)
			.onErrorResume((error) -> keepRotated(acquisition, null, error));
	}

	/**
	 * Tell the listener how a token call ended, and cap the token acquired at the
	 * registration's longest lifetime: the one place where an acquired token enters the
	 * store.
	 */
	private Mono<AccessToken> observe(RegistrationState state, Mono<AccessToken> acquisition, TokenKey key,
			boolean refresh) {
		return acquisition.map(state.registration::capped)
			.onErrorMap((error) -> classify(error, refresh))
			.switchIfEmpty(Mono.error(() -> new TokenAcquisitionException(key.registrationId(),
					"The token source of registration '" + key.registrationId() + "' completed without a token")))
			.doOnNext((token) -> {
				this.listener.acquisitionSucceeded(key, token, refresh);
				if (logger.isDebugEnabled()) {
					logger.debug(logLine(key, refresh, "success") + ", " + expiry(token));
				}
			})
			.doOnError((error) -> {
				this.listener.acquisitionFailed(key, unwrap(error), refresh);
				if (logger.isDebugEnabled()) {
					logger.debug(logLine(key, refresh, outcomeOf(error, key)) + ", error="
							+ RegistrationState.typeOf(unwrap(error)));
				}
			});
	}

	/**
	 * The start of the DEBUG line of one acquisition or refresh, as the sample's listener
	 * writes it at INFO: the registration and whether it is a user's, never the subject.
	 */
	private static String logLine(TokenKey key, boolean refresh, String outcome) {
		return "Token " + (refresh ? "refresh" : "acquisition") + ": registration=" + key.registrationId()
				+ ((key.subject() != null) ? " (per-user)" : "") + ", outcome=" + outcome;
	}

	private String expiry(AccessToken token) {
		Instant expiresAt = token.getExpiresAt();
		if (expiresAt == null) {
			return "expires=never";
		}
		long seconds = (token.getExpiresAtMillis() - this.clock.millis()) / 1000;
		return "expires=" + expiresAt + " (in " + seconds + "s)";
	}

	private static String outcomeOf(Throwable error, TokenKey key) {
		if (error instanceof RefusedRefresh || unwrap(error) instanceof ReauthorizationRequiredException) {
			return "reauthorization-required";
		}
		if (error instanceof NothingToAcquire) {
			return (key.subject() != null) ? "no-token-for-subject" : "subject-required";
		}
		return "failure";
	}

	/**
	 * Mark what a source's failure means for the key: a refresh token refused as dead, or
	 * nothing to acquire from (a source answers a {@link TokenAcquisitionException} when
	 * there is nothing to acquire from: a user with no token, or, for a key without a
	 * subject, a registration that holds per-user tokens only). Only that exact type
	 * means "nothing to acquire from": its subclasses say more (a new authorization
	 * needed, a cool-down) and are kept as they are.
	 */
	private static Throwable classify(Throwable error, boolean refresh) {
		if (refresh && reauthorizationRequired(error)) {
			return new RefusedRefresh(error);
		}
		if (error.getClass() == TokenAcquisitionException.class) {
			return new NothingToAcquire(error);
		}
		return error;
	}

	/**
	 * Return what the callers of a key get when its source had nothing to acquire from: a
	 * new exception each time, as callers add suppressed exceptions to what they get.
	 */
	private static TokenAcquisitionException nothingToAcquire(RegistrationState state, TokenKey key, Throwable answer) {
		if (key.subject() != null) {
			String message = answer.getMessage();
			return new NoTokenForSubjectException(state.id,
					(message != null) ? message
							: "Registration '" + state.id + "' has no token for this subject: complete the user's "
									+ "authorization and save the token with TokenManager.save first",
					answer);
		}
		return new SubjectRequiredException(state.id, "Registration '" + state.id
				+ "' has no application token to acquire: this request names no subject, or the registration has no "
				+ "application credential configured (e.g. tokenkit.registrations." + state.id + ".refresh-token). "
				+ "For a user's token set the request attribute '" + TokenRequestAttributes.SUBJECT
				+ "', with .attributes(TokenRequestAttributes.subject(userId)) on the request, or pass TokenKey.of(\""
				+ state.id + "\", userId) to the TokenManager; for the application token configure its credential. "
				+ "The token source said: " + answer.getMessage(), answer);
	}

	private static boolean reauthorizationRequired(Throwable error) {
		for (Throwable candidate = error; candidate != null; candidate = candidate.getCause()) {
			if (candidate instanceof TokenApiException api && api.isReauthorizationRequired()) {
				return true;
			}
		}
		return false;
	}

	private static Throwable unwrap(Throwable error) {
		return (error instanceof RefusedRefresh || error instanceof NothingToAcquire) ? error.getCause() : error;
	}

	private static boolean sameValue(AccessToken a, AccessToken b) {
		return a == b || a.getTokenValue().equals(b.getTokenValue());
	}

	private RegistrationState state(String registrationId) {
		RegistrationState state = this.registrations.get(registrationId);
		if (state == null) {
			throw new IllegalArgumentException("No TokenKit registration '" + registrationId + "'; known: "
					+ this.registrations.keySet() + ". Add tokenkit.registrations." + registrationId
					+ ".* to the configuration or use one of the known ids.");
		}
		return state;
	}

	private Throwable describe(RegistrationState state, Throwable error) {
		if (error instanceof TokenKitException) {
			return error;
		}
		if (error instanceof TimeoutException) {
			return new TokenAcquisitionException(state.id,
					"The token source of registration '" + state.id + "' did not finish within "
							+ this.acquireTimeout.multipliedBy(ABANDON_AFTER_TIMEOUTS)
							+ " and was abandoned; check that its token endpoint is reachable",
					error);
		}
		return new TokenAcquisitionException(
				state.id, "Could not acquire a token for registration '" + state.id + "' ("
						+ error.getClass().getSimpleName() + "); the key cools down, then the next request tries again",
				error);
	}

	/**
	 * Remove the state of keys that rest no more, at most once per maximum cool-down:
	 * cool-down state must not outlive its use.
	 */
	private void sweep(long now) {
		long due = this.nextSweep.get();
		if (now < due || !this.nextSweep.compareAndSet(due, now + this.coolDown.max().toMillis())) {
			return;
		}
		long quiet = this.coolDown.max().toMillis();
		this.keyStates.values().removeIf((rest) -> rest.stale(now, quiet));
	}

	private static final class RegistrationState {

		private final String id;

		private final TokenRegistration registration;

		private final long skewMillis;

		/**
		 * How the last acquisition of any key ended; written only when one ends, and
		 * never with an ending older than the one held (two keys may end at once).
		 */
		private final AtomicReference<@Nullable Last> last = new AtomicReference<>();

		private final FailureWarnings warnings = new FailureWarnings();

		/** Decides which strikes ({@link TokenManager#replayed}) are logged at WARN. */
		private final FailureWarnings unauthorizedWarnings = new FailureWarnings();

		/**
		 * Whether a request for an application token of this registration found none to
		 * acquire ({@link SubjectRequiredException}) and was logged at WARN.
		 */
		private final AtomicBoolean subjectRequiredWarned = new AtomicBoolean();

		RegistrationState(TokenRegistration registration) {
			this.id = registration.id();
			this.registration = registration;
			this.skewMillis = registration.refreshSkew().toMillis();
		}

		long skewMillis(AccessToken token) {
			long lifetime = token.getExpiresAtMillis() - token.getIssuedAtMillis();
			return Math.min(this.skewMillis, lifetime / 4);
		}

		@Nullable Last last() {
			return this.last.get();
		}

		void ended(TokenKey key, TokenRegistrationStatus.Outcome outcome, long at, @Nullable Throwable failure) {
			Last ended = new Last(key, new TokenRegistrationStatus.LastAcquisition(outcome, Instant.ofEpochMilli(at),
					key.subject() != null, (failure != null) ? typeOf(failure) : null, httpStatusOf(failure)));
			this.last.accumulateAndGet(ended,
					(held, next) -> (held == null || !next.acquisition().at().isBefore(held.acquisition().at())) ? next
							: held);
		}

		static String typeOf(Throwable failure) {
			String name = failure.getClass().getSimpleName();
			return name.isEmpty() ? failure.getClass().getName() : name;
		}

		private static int httpStatusOf(@Nullable Throwable failure) {
			for (Throwable candidate = failure; candidate != null; candidate = candidate.getCause()) {
				if (candidate instanceof TokenApiException api) {
					return api.getStatusCode();
				}
			}
			return 0;
		}

	}

	/**
	 * The last acquisition of a registration, with its key, which never leaves the
	 * manager.
	 */
	private record Last(TokenKey key, TokenRegistrationStatus.LastAcquisition acquisition) {
	}

	/**
	 * What a key remembers between acquisitions: its failures in a row and their
	 * cool-down, whether its refresh token was refused, and the replacement whose replay
	 * was rejected last, with the strikes in a row and their 401 cool-down. Immutable:
	 * every change swaps the whole state.
	 */
	private record KeyState(int failures, long coolDownUntil, @Nullable Throwable lastFailure,
			boolean reauthorizationRequired, @Nullable String struck, int strikes, long unauthorizedUntil,
			@Nullable String unconfirmed, long unconfirmedUntil) {

		static final KeyState NONE = new KeyState(0, 0, null, false, null, 0, 0, null, 0);

		boolean blocks(long now) {
			return now < this.coolDownUntil || this.reauthorizationRequired;
		}

		KeyState failed(long now, long coolDownMillis, Throwable failure, boolean reauthorization) {
			return new KeyState(this.failures + 1, now + coolDownMillis, failure,
					reauthorization || this.reauthorizationRequired, this.struck, this.strikes, this.unauthorizedUntil,
					this.unconfirmed, this.unconfirmedUntil);
		}

		/**
		 * A reacquisition succeeded: the failures end, the strikes stay, and its
		 * replacement is unconfirmed until its replay is reported.
		 */
		KeyState replaced(@Nullable String replacement, long unconfirmedUntil) {
			return new KeyState(0, 0, null, false, this.struck, this.strikes, this.unauthorizedUntil, replacement,
					unconfirmedUntil);
		}

		KeyState struck(String tokenValue, int strikes, long until) {
			boolean confirmed = tokenValue.equals(this.unconfirmed);
			return new KeyState(this.failures, this.coolDownUntil, this.lastFailure, this.reauthorizationRequired,
					tokenValue, strikes, until, confirmed ? null : this.unconfirmed,
					confirmed ? 0 : this.unconfirmedUntil);
		}

		/** The replay of {@code tokenValue} was reported: it is unconfirmed no more. */
		KeyState confirmed(String tokenValue) {
			if (!tokenValue.equals(this.unconfirmed)) {
				return this;
			}
			return new KeyState(this.failures, this.coolDownUntil, this.lastFailure, this.reauthorizationRequired,
					this.struck, this.strikes, this.unauthorizedUntil, null, 0);
		}

		/**
		 * A replay was accepted: the next rejected replay is a first strike again; when
		 * its token is the one held, that token is proven good, and its own rejection
		 * gets a reacquisition at once.
		 */
		KeyState forgiven(boolean current) {
			return new KeyState(this.failures, this.coolDownUntil, this.lastFailure, this.reauthorizationRequired, null,
					0, current ? 0 : this.unauthorizedUntil, this.unconfirmed, this.unconfirmedUntil);
		}

		/** Never the struck or the unconfirmed token's value. */
		@Override
		public String toString() {
			return "KeyState[failures=" + this.failures + ", coolDownUntil=" + this.coolDownUntil
					+ ", reauthorizationRequired=" + this.reauthorizationRequired + ", strikes=" + this.strikes
					+ ", unauthorizedUntil=" + this.unauthorizedUntil + ", unconfirmedUntil=" + this.unconfirmedUntil
					+ "]";
		}

		boolean stale(long now, long quietMillis) {
			if (this.reauthorizationRequired) {
				// kept until save or remove: a dead refresh token is never tried again
				return false;
			}
			return now > this.coolDownUntil + quietMillis && now > this.unauthorizedUntil + quietMillis
					&& now > this.unconfirmedUntil;
		}

	}

	/**
	 * A refresh the server refused as dead, carried to the acquisition's end so that it
	 * marks the key; its waiters get the cause.
	 */
	private static final class RefusedRefresh extends RuntimeException {

		RefusedRefresh(Throwable cause) {
			super(null, cause, false, false);
		}

	}

	/**
	 * A source that had nothing to acquire from: a user who has not authorized yet, or a
	 * request without a subject for a registration of per-user tokens. Not a failure of
	 * the registration, so it is not the registration's last acquisition; its waiters get
	 * a {@link NoTokenForSubjectException} or a {@link SubjectRequiredException}.
	 */
	private static final class NothingToAcquire extends RuntimeException {

		NothingToAcquire(Throwable cause) {
			super(null, cause, false, false);
		}

	}

	private final class Acquisition {

		private final Sinks.One<AccessToken> sink = Sinks.one();

		private final RegistrationState state;

		private final TokenKey key;

		private final boolean reacquisition;

		/** The value of the rejected token a reacquisition replaces. */
		volatile @Nullable String replacing;

		/** Whether it refreshes the newest token even when that one is still usable. */
		private final boolean forced;

		private final Mono<AccessToken> mono;

		/**
		 * The token of a save, or {@link #REMOVED}, that came while this acquisition ran.
		 */
		volatile @Nullable Object superseded;

		/**
		 * A refused answer whose new refresh token this acquisition stores before it
		 * fails.
		 */
		volatile @Nullable RotatedRefusal rotatedRefusal;

		Acquisition(RegistrationState state, TokenKey key, boolean reacquisition, boolean forced) {
			this.state = state;
			this.key = key;
			this.reacquisition = reacquisition;
			this.forced = forced;
			this.mono = this.sink.asMono()
				.timeout(TokenManager.this.acquireTimeout,
						Mono.error(() -> new TokenAcquisitionException(state.id, "The token source of registration '"
								+ state.id + "' did not answer within " + TokenManager.this.acquireTimeout
								+ "; the acquisition goes on and its token will be stored. Check that the token "
								+ "endpoint is reachable and answers in time")));
		}

		Mono<AccessToken> mono() {
			return this.mono;
		}

		/**
		 * Fail with the refusal whose new refresh token was stored; succeed with a token
		 * that won over it (a save, or another instance's write).
		 */
		Mono<AccessToken> keptOrRefused(AccessToken kept) {
			RotatedRefusal refusal = this.rotatedRefusal;
			if (refusal == null) {
				return Mono.just(kept);
			}
			Throwable error = refusal.refusal();
			return (kept == refusal.carrying()) ? Mono.error(error) : Mono.just(kept);
		}

		void succeed(AccessToken token) {
			long now = TokenManager.this.clock.millis();
			try {
				if (this.reacquisition) {
					// a new replacement is unconfirmed until its replay is reported,
					// for at most the acquire timeout
					String replacement = token.getTokenValue();
					String unconfirmed = replacement.equals(this.replacing) ? null : replacement;
					long until = now + TokenManager.this.acquireTimeout.toMillis();
					keyStates.compute(this.key, (k, old) -> {
						if (this.superseded != null) {
							return old;
						}
						KeyState rest = (old != null) ? old : KeyState.NONE;
						return rest.replaced(unconfirmed, (unconfirmed != null) ? until : 0);
					});
				}
				else if (this.superseded == null) {
					keyStates.remove(this.key);
				}
				if (this.superseded == null) {
					this.state.ended(this.key, TokenRegistrationStatus.Outcome.SUCCESS, now, null);
				}
			}
			finally {
				inFlight.remove(this.key, this);
				this.sink.tryEmitValue(token);
			}
			sweep(now);
		}

		void fail(Throwable error) {
			long now = TokenManager.this.clock.millis();
			boolean refused = error instanceof RefusedRefresh;
			boolean nothing = error instanceof NothingToAcquire;
			boolean reauthorization = refused || unwrap(error) instanceof ReauthorizationRequiredException;
			// never a wrapper to the waiters, even when describing fails
			Throwable described = unwrap(error);
			try {
				if (refused) {
					described = reauthorizationRequired(this.state, this.key, unwrap(error));
				}
				else if (nothing) {
					described = nothingToAcquire(this.state, this.key, unwrap(error));
				}
				else {
					described = describe(this.state, unwrap(error));
				}
				Duration retryAfter = retryAfterOf(described);
				Throwable failure = described;
				long[] coolDownMillis = { TokenManager.this.coolDown.initial().toMillis() };
				keyStates.compute(this.key, (k, old) -> {
					if (this.superseded != null) {
						return old;
					}
					KeyState rest = (old != null) ? old : KeyState.NONE;
					coolDownMillis[0] = (retryAfter != null) ? TokenManager.this.coolDown.millisFor(retryAfter)
							: TokenManager.this.coolDown.millisAfter(rest.failures + 1);
					return rest.failed(now, coolDownMillis[0], failure, reauthorization);
				});
				if (this.superseded == null && !nothing) {
					this.state.ended(this.key,
							reauthorization ? TokenRegistrationStatus.Outcome.REAUTHORIZATION_REQUIRED
									: TokenRegistrationStatus.Outcome.FAILURE,
							now, unwrap(error));
				}
				log(described, nothing, reauthorization, now, coolDownMillis[0]);
			}
			finally {
				inFlight.remove(this.key, this);
				this.sink.tryEmitError(described);
			}
			sweep(now);
		}

		/**
		 * Log a failure: at WARN once per cool-down of the registration, however many
		 * keys and callers fail meanwhile, the others at DEBUG; the user's state (no
		 * token for the subject), which is not a failure of the registration, at DEBUG
		 * only; a missing subject or application credential, a slip in code or
		 * configuration, at WARN once per registration and then at DEBUG. The
		 * application's refresh token refused as dead is always logged at WARN: no token
		 * call follows it until it is replaced.
		 */
		private void log(Throwable described, boolean nothing, boolean reauthorization, long now, long coolDownMillis) {
			if (reauthorization && this.key.subject() == null && this.superseded == null) {
				// the application's refresh token is dead: no token call is made again
				// until
				// it is replaced, so no later failure would warn; never hidden by the
				// quiet
				// window another key opened
				if (logger.isWarnEnabled()) {
					logger.warn(described.getMessage());
				}
				return;
			}
			if (nothing && this.key.subject() == null) {
				// a slip in code or configuration, not a user's state: once per
				// registration
				if (this.state.subjectRequiredWarned.compareAndSet(false, true) && logger.isWarnEnabled()) {
					logger.warn(described.getMessage());
				}
				else if (logger.isDebugEnabled()) {
					logger.debug(described.getMessage());
				}
				return;
			}
			int quiet = nothing ? -1 : this.state.warnings.warn(now, coolDownMillis);
			if (quiet >= 0 && logger.isWarnEnabled()) {
				logger.warn(FailureWarnings.warning(String.valueOf(described.getMessage()), quiet));
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(described.getMessage());
			}
		}

		private static @Nullable Duration retryAfterOf(Throwable error) {
			for (Throwable candidate = error; candidate != null; candidate = candidate.getCause()) {
				if (candidate instanceof TokenApiException api && api.getRetryAfter() != null) {
					return api.getRetryAfter();
				}
			}
			return null;
		}

	}

}
