package io.tokenkit.token;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

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
 * refresh starts. A failed background refresh is not tried again for
 * {@value #REFRESH_AHEAD_BACKOFF_MILLIS} ms.</li>
 * <li>With no usable token every caller shares one acquisition. A failed acquisition is
 * never cached: its waiters get the error and the next caller tries again.</li>
 * <li>{@link #reacquire(TokenKey, AccessToken)} replaces a token a server rejected, and
 * only that token: a token refreshed meanwhile is kept and returned.</li>
 * </ul>
 * Time comes from the injected {@link Clock}.
 */
public final class TokenManager {

	/**
	 * How long a failed refresh-ahead waits before the next one may start, in
	 * milliseconds.
	 */
	public static final long REFRESH_AHEAD_BACKOFF_MILLIS = 5_000;

	/** The default time limit of one acquisition. */
	public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofSeconds(30);

	/** The Reactor context key under which Micrometer keeps the current observation. */
	private static final String OBSERVATION_CONTEXT_KEY = "micrometer.observation";

	private static final Log logger = LogFactory.getLog(TokenManager.class);

	private final Map<String, RegistrationState> registrations;

	private final TokenStore store;

	private final Clock clock;

	private final TokenEventListener listener;

	private final Duration acquireTimeout;

	private final ConcurrentHashMap<TokenKey, Acquisition> inFlight = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<TokenKey, Long> refreshAheadBackoff = new ConcurrentHashMap<>();

	/**
	 * Create a manager with the system UTC clock, no listener and the default acquisition
	 * time limit.
	 * @param registrations the registrations
	 * @param store the token store
	 */
	public TokenManager(Collection<TokenRegistration> registrations, TokenStore store) {
		this(registrations, store, Clock.systemUTC(), TokenEventListener.NONE, DEFAULT_ACQUIRE_TIMEOUT);
	}

	/**
	 * Create a manager.
	 * @param registrations the registrations
	 * @param store the token store
	 * @param clock the clock that decides expiry
	 * @param listener told of cache hits, misses, refreshes and acquisitions
	 * @param acquireTimeout the time limit of one acquisition
	 */
	public TokenManager(Collection<TokenRegistration> registrations, TokenStore store, Clock clock,
			TokenEventListener listener, Duration acquireTimeout) {
		Assert.notNull(registrations, "registrations must not be null");
		Assert.notNull(store, "store must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(listener, "listener must not be null");
		Assert.isTrue(acquireTimeout != null && acquireTimeout.toMillis() > 0, "acquireTimeout must be positive");
		Map<String, RegistrationState> states = new LinkedHashMap<>();
		for (TokenRegistration registration : registrations) {
			Assert.isTrue(states.put(registration.id(), new RegistrationState(registration)) == null,
					() -> "Duplicate registration id '" + registration.id() + "'");
		}
		this.registrations = Collections.unmodifiableMap(states);
		this.store = store;
		this.clock = clock;
		this.listener = listener;
		this.acquireTimeout = acquireTimeout;
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
	 * acquisition in flight or starting one.
	 * @param key the key
	 * @return the token
	 */
	public Mono<AccessToken> acquire(TokenKey key) {
		RegistrationState state = state(key.registrationId());
		return Mono.deferContextual((context) -> {
			Acquisition running = this.inFlight.get(key);
			return (running != null) ? running.mono() : start(state, key, null, false, context);
		});
	}

	/**
	 * Replace a token that a resource server rejected. Only {@code rejected} is replaced:
	 * when the store already holds another usable token (refreshed meanwhile), that token
	 * is returned and nothing is acquired. Many callers rejected with the same token
	 * share one acquisition.
	 * @param key the key
	 * @param rejected the token that was rejected
	 * @return a token other than {@code rejected}, or {@code rejected} itself when the
	 * source can only give that one back (a static token)
	 */
	public Mono<AccessToken> reacquire(TokenKey key, AccessToken rejected) {
		RegistrationState state = state(key.registrationId());
		AccessToken current = this.store.get(key);
		if (current != null && !sameValue(current, rejected) && !current.isExpired(this.clock.millis())) {
			return Mono.just(current);
		}
		return Mono.deferContextual((context) -> {
			Acquisition running = this.inFlight.get(key);
			if (running == null) {
				return start(state, key, rejected, true, context);
			}
			// The acquisition in flight may have found the rejected token itself in a
			// shared store.
			return running.mono()
				.flatMap((token) -> sameValue(token, rejected) ? start(state, key, rejected, true, context)
						: Mono.just(token));
		});
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
		return this.store.replace(key, rejected, (rejected.getRefreshToken() != null) ? rejected.expired() : null);
	}

	/**
	 * Store a token obtained outside the manager, typically a user's first token after an
	 * authorization code exchange, so that later requests use it and its refresh token.
	 * @param key the key, with the user's subject
	 * @param token the token
	 * @return completion
	 */
	public Mono<Void> save(TokenKey key, AccessToken token) {
		state(key.registrationId());
		this.refreshAheadBackoff.remove(key);
		return this.store.save(key, token).doOnSuccess((done) -> this.listener.tokenSaved(key, token));
	}

	/**
	 * Forget the token held for the key, for example when a user disconnects.
	 * @param key the key
	 * @return completion
	 */
	public Mono<Void> remove(TokenKey key) {
		state(key.registrationId());
		return this.store.remove(key);
	}

	private void refreshAhead(RegistrationState state, TokenKey key, AccessToken token, long now) {
		if (this.inFlight.containsKey(key)) {
			return;
		}
		Long backoffUntil = this.refreshAheadBackoff.get(key);
		if (backoffUntil != null && now < backoffUntil) {
			return;
		}
		start(state, key, token, false, Context.empty()).subscribe(null, (error) -> {
			this.refreshAheadBackoff.put(key, this.clock.millis() + REFRESH_AHEAD_BACKOFF_MILLIS);
		});
	}

	/**
	 * Start the acquisition for the key unless one is already in flight.
	 * @param base the token to refresh: the one inside its refresh window, or the
	 * rejected one
	 * @param rejected whether {@code base} was rejected by a resource server
	 */
	private Mono<AccessToken> start(RegistrationState state, TokenKey key, @Nullable AccessToken base, boolean rejected,
			ContextView caller) {
		Acquisition acquisition = new Acquisition();
		Acquisition running = this.inFlight.putIfAbsent(key, acquisition);
		if (running != null) {
			return running.mono();
		}
		Mono<AccessToken> work = Mono.defer(() -> acquisitionWork(state, key, base, rejected));
		work.timeout(this.acquireTimeout)
			.flatMap((token) -> this.store.save(key, token).thenReturn(token))
			.contextWrite(tracingOf(caller))
			.subscribe((token) -> acquisition.succeed(key, token), (error) -> acquisition.fail(state, key, error));
		return acquisition.mono();
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
			boolean rejected) {
		if (base != null) {
			AccessToken current = this.store.get(key);
			if (current != null && !sameValue(current, base) && !current.isExpired(this.clock.millis())) {
				// Another token was stored since the caller saw this one: nothing to
				// acquire.
				return Mono.just(current);
			}
			// A shared store may hold a token another instance acquired meanwhile: use it
			// rather than redeem the
			// same refresh token twice. A rejected token is first replaced, and only if
			// it was still held.
			Mono<Boolean> invalidated = rejected ? invalidate(key, base) : Mono.just(false);
			return invalidated.flatMap((changed) -> changed ? Mono.<AccessToken>empty() : newerIn(key, base))
				.switchIfEmpty(Mono.defer(() -> refreshFrom(state, key, base)));
		}
		return this.store.load(key)
			.flatMap(
					(token) -> token.isExpired(this.clock.millis()) ? refreshFrom(state, key, token) : Mono.just(token))
			.switchIfEmpty(Mono.defer(() -> observe(state.registration.source().obtain(key), key, false)));
	}

	private Mono<AccessToken> newerIn(TokenKey key, AccessToken base) {
		return this.store.load(key).filter((token) -> !sameValue(token, base) && !token.isExpired(this.clock.millis()));
	}

	private Mono<AccessToken> refreshFrom(RegistrationState state, TokenKey key, AccessToken base) {
		return observe(state.registration.source().refresh(key, base), key, true);
	}

	private Mono<AccessToken> observe(Mono<AccessToken> acquisition, TokenKey key, boolean refresh) {
		return acquisition
			.switchIfEmpty(Mono.error(() -> new TokenAcquisitionException(key.registrationId(),
					"The token source of registration '" + key.registrationId() + "' completed without a token")))
			.doOnNext((token) -> {
				this.listener.acquisitionSucceeded(key, token, refresh);
				if (logger.isDebugEnabled()) {
					logger.debug("Acquired token for registration '" + key.registrationId() + "'"
							+ (refresh ? " (refresh)" : "") + ((key.subject() != null) ? " for a subject" : "")
							+ ", expires at " + token.getExpiresAt() + ", scopes " + token.getScopes());
				}
			})
			.doOnError((error) -> this.listener.acquisitionFailed(key, error, refresh));
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
			return new TokenAcquisitionException(state.id, "The token source of registration '" + state.id
					+ "' did not answer within " + this.acquireTimeout + "; check that its token endpoint is reachable",
					error);
		}
		return new TokenAcquisitionException(state.id, "Could not acquire a token for registration '" + state.id + "' ("
				+ error.getClass().getSimpleName() + "); the next request tries again", error);
	}

	private static final class RegistrationState {

		private final String id;

		private final TokenRegistration registration;

		private final long skewMillis;

		RegistrationState(TokenRegistration registration) {
			this.id = registration.id();
			this.registration = registration;
			this.skewMillis = registration.refreshSkew().toMillis();
		}

		long skewMillis(AccessToken token) {
			long lifetime = token.getExpiresAtMillis() - token.getIssuedAtMillis();
			return Math.min(this.skewMillis, lifetime / 4);
		}

	}

	private final class Acquisition {

		private final Sinks.One<AccessToken> sink = Sinks.one();

		Mono<AccessToken> mono() {
			return this.sink.asMono();
		}

		void succeed(TokenKey key, AccessToken token) {
			refreshAheadBackoff.remove(key);
			inFlight.remove(key, this);
			this.sink.tryEmitValue(token);
		}

		void fail(RegistrationState state, TokenKey key, Throwable error) {
			inFlight.remove(key, this);
			Throwable described = describe(state, error);
			if (logger.isWarnEnabled()) {
				logger.warn(described.getMessage());
			}
			this.sink.tryEmitError(described);
		}

	}

}
