package io.tokenkit.token;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import io.tokenkit.token.TokenManager.RegistrationState;

/**
 * Runs the {@link TokenManager}'s acquisitions in flight: at most one per key, shared by
 * every caller that waits for it, from the newest token its {@link TokenStore} holds. A
 * {@link TokenManager#save save} or {@link TokenManager#remove remove} of the key that
 * comes while one runs wins over it ({@link #supersede}). Each acquisition that ends
 * tells the key's rests ({@link KeyRests}) and the registration's status
 * ({@link RegistrationStatusBook}), and logs under the manager's name.
 */
final class Acquisitions {

	/** The Reactor context key under which Micrometer keeps the current observation. */
	private static final String OBSERVATION_CONTEXT_KEY = "micrometer.observation";

	/**
	 * A marker for an acquisition superseded by {@link TokenManager#remove(TokenKey)}.
	 */
	static final Object REMOVED = new Object();

	private static final Log logger = LogFactory.getLog(TokenManager.class);

	private final ConcurrentHashMap<TokenKey, Acquisition> inFlight = new ConcurrentHashMap<>();

	private final TokenStore store;

	private final Clock clock;

	private final TokenEventListener listener;

	private final Duration acquireTimeout;

	private final Duration abandonTimeout;

	private final KeyRests rests;

	private final BiConsumer<TokenKey, AccessToken> dropped;

	/**
	 * Create the acquisitions of a manager.
	 * @param dropped told each token an acquisition obtained that a removal of its key
	 * took away before it was served from the store, to revoke it
	 */
	Acquisitions(TokenStore store, Clock clock, TokenEventListener listener, Duration acquireTimeout,
			Duration abandonTimeout, KeyRests rests, BiConsumer<TokenKey, AccessToken> dropped) {
		this.dropped = dropped;
		this.store = store;
		this.clock = clock;
		this.listener = listener;
		this.acquireTimeout = acquireTimeout;
		this.abandonTimeout = abandonTimeout;
		this.rests = rests;
	}

	/**
	 * Return what the callers of the key's acquisition in flight get, or {@code null}
	 * when none is in flight.
	 * @param key the key
	 * @return the acquisition's token, or {@code null}
	 */
	@Nullable Mono<AccessToken> inFlight(TokenKey key) {
		Acquisition running = this.inFlight.get(key);
		return (running != null) ? running.mono() : null;
	}

	/**
	 * Return whether an acquisition of the key is in flight.
	 * @param key the key
	 * @return whether one is in flight
	 */
	boolean isInFlight(TokenKey key) {
		return this.inFlight.containsKey(key);
	}

	/**
	 * Return whether no acquisition is in flight.
	 * @return whether none is in flight
	 */
	boolean isEmpty() {
		return this.inFlight.isEmpty();
	}

	/**
	 * A save (the token saved) or a remove ({@link #REMOVED}) of the key wins over the
	 * acquisition in flight, and ends what the key remembered.
	 * @param key the key
	 * @param by the token saved, or {@link #REMOVED}
	 */
	void supersede(TokenKey key, Object by) {
		Acquisition running = this.inFlight.get(key);
		if (running != null) {
			running.superseded = by;
		}
		this.rests.forget(key);
	}

	/**
	 * {@link #supersede} every key that matches, in flight or resting: a removal of all
	 * the parameter sets of a subject.
	 * @param keys which keys
	 * @param by the token saved, or {@link #REMOVED}
	 */
	void supersedeAll(Predicate<TokenKey> keys, Object by) {
		this.inFlight.forEach((key, running) -> {
			if (keys.test(key)) {
				running.superseded = by;
			}
		});
		this.rests.forgetAll(keys);
	}

	/**
	 * Start the acquisition for the key unless one is already in flight.
	 * @param state the key's registration
	 * @param key the key
	 * @param base the token to refresh: the one inside its refresh window, or the
	 * rejected one
	 * @param rejected whether {@code base} was rejected by a resource server
	 * @param forced whether it refreshes the newest token even when that one is still
	 * usable
	 * @param caller the first caller's context
	 * @return the acquisition's token
	 */
	Mono<AccessToken> start(RegistrationState state, TokenKey key, @Nullable AccessToken base, boolean rejected,
			boolean forced, ContextView caller) {
		Acquisition acquisition = new Acquisition(state, key, rejected, forced);
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
		Throwable resting = this.rests.resting(key, this.clock.millis());
		if (resting != null) {
			this.inFlight.remove(key, acquisition);
			return Mono.error(resting);
		}
		Mono.defer(() -> acquisitionWork(state, key, base, rejected, acquisition)).switchIfEmpty(Mono.defer(() -> {
			// a removal (here or on another instance) won over the write of what was
			// obtained: it is revoked, not left working at its server
			droppedBy(acquisition, key);
			return Mono.error(FailureWording.removedWhileAcquired(state.id));
		}))
			.flatMap((token) -> undoIfSuperseded(key, acquisition, token))
			.flatMap(acquisition::keptOrRefused)
			.timeout(this.abandonTimeout)
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
		return this.store.replace(key, token, saved).doOnNext((replaced) -> {
			if (replaced && saved == null) {
				// the removal took it out: revoked as the removed token was
				droppedBy(acquisition, key);
			}
		}).thenReturn((saved != null) ? saved : token);
	}

	/** Tell what the acquisition obtained, if it obtained a token, as dropped. */
	private void droppedBy(Acquisition acquisition, TokenKey key) {
		AccessToken obtained = acquisition.obtained;
		acquisition.obtained = null;
		if (obtained != null) {
			this.dropped.accept(key, obtained);
		}
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
			if (current != null && !AccessToken.sameValue(current, base) && !current.isExpired(this.clock.millis())) {
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
					return acquireFrom(state, key, base, newest, acquisition).doOnNext((token) -> {
						if (token != newest && token != base) {
							acquisition.obtained = token;
						}
					});
				}))
			// a shared store's dead mark: the callers get what a refused refresh gets
			.onErrorMap(DeadTokenChainException.class, FailureWording::deadChain);
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
			// an error that goes to the callers never carries a refresh token
			TokenApiException.forgetRotatedRefreshTokens(error);
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
		if (usable && (base == null || !AccessToken.sameValue(newest, base))) {
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
			.switchIfEmpty(Mono.error(() -> FailureWording.noToken(key.registrationId())))
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
							+ RegistrationStatusBook.typeOf(unwrap(error)));
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

	private static boolean reauthorizationRequired(Throwable error) {
		return TokenApiException.find(error, TokenApiException::isReauthorizationRequired) != null;
	}

	private static Throwable unwrap(Throwable error) {
		return (error instanceof RefusedRefresh || error instanceof NothingToAcquire) ? error.getCause() : error;
	}

	/**
	 * Stop serving {@code rejected} for the key, if it is still the token held; a token
	 * stored meanwhile stays. The refresh token of the rejected token is kept for the
	 * next acquisition.
	 * @param key the key
	 * @param rejected the token that was rejected
	 * @return whether the store changed
	 */
	Mono<Boolean> invalidate(TokenKey key, AccessToken rejected) {
		// the copy held, which may carry a newer refresh token than the rejected one
		// (RotatedRefusal): that refresh token is the one kept
		AccessToken held = this.store.get(key);
		AccessToken expected = (held != null && AccessToken.sameValue(held, rejected)) ? held : rejected;
		return this.store.replace(key, expected, (expected.getRefreshToken() != null) ? expected.expired() : null);
	}

	private Throwable describe(RegistrationState state, Throwable error) {
		if (error instanceof TokenKitException) {
			return error;
		}
		if (error instanceof TimeoutException) {
			return FailureWording.abandoned(state.id, this.abandonTimeout, error);
		}
		return FailureWording.failed(state.id, error);
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

	/**
	 * One acquisition of a key, shared by every caller that waits for it; it runs to its
	 * end even when they give up.
	 */
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
		 * The token this acquisition obtained from its source, until it is dropped.
		 */
		volatile @Nullable AccessToken obtained;

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
				.timeout(Acquisitions.this.acquireTimeout,
						Mono.error(() -> FailureWording.notAnswered(state.id, Acquisitions.this.acquireTimeout)));
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
			long now = Acquisitions.this.clock.millis();
			try {
				if (this.reacquisition) {
					// a new replacement is unconfirmed until its replay is reported,
					// for at most the acquire timeout
					String replacement = token.getTokenValue();
					String unconfirmed = replacement.equals(this.replacing) ? null : replacement;
					long until = now + Acquisitions.this.acquireTimeout.toMillis();
					Acquisitions.this.rests.replaced(this.key, unconfirmed, until, () -> this.superseded != null);
				}
				else if (this.superseded == null) {
					Acquisitions.this.rests.forget(this.key);
				}
				if (this.superseded == null) {
					this.state.status.ended(this.key, TokenRegistrationStatus.Outcome.SUCCESS, now, null);
				}
			}
			finally {
				inFlight.remove(this.key, this);
				this.sink.tryEmitValue(token);
			}
			Acquisitions.this.rests.sweep(now);
		}

		void fail(Throwable error) {
			long now = Acquisitions.this.clock.millis();
			boolean refused = error instanceof RefusedRefresh;
			boolean nothing = error instanceof NothingToAcquire;
			boolean reauthorization = refused || unwrap(error) instanceof ReauthorizationRequiredException;
			// never a wrapper to the waiters, even when describing fails
			Throwable described = unwrap(error);
			try {
				if (refused) {
					described = FailureWording.reauthorizationRequired(this.key, unwrap(error));
				}
				else if (nothing) {
					described = FailureWording.nothingToAcquire(this.key, unwrap(error));
				}
				else {
					described = describe(this.state, unwrap(error));
				}
				Duration retryAfter = retryAfterOf(described);
				long coolDownMillis = Acquisitions.this.rests.failed(this.key, now, described, reauthorization,
						retryAfter, () -> this.superseded != null);
				if (this.superseded == null && !nothing) {
					this.state.status.ended(this.key,
							reauthorization ? TokenRegistrationStatus.Outcome.REAUTHORIZATION_REQUIRED
									: TokenRegistrationStatus.Outcome.FAILURE,
							now, unwrap(error));
				}
				log(described, nothing, reauthorization, now, coolDownMillis);
			}
			finally {
				inFlight.remove(this.key, this);
				this.sink.tryEmitError(described);
			}
			Acquisitions.this.rests.sweep(now);
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
			if (!nothing) {
				this.state.warnings.failed(String.valueOf(described.getMessage()), now, coolDownMillis);
			}
			else if (logger.isDebugEnabled()) {
				logger.debug(described.getMessage());
			}
		}

		private static @Nullable Duration retryAfterOf(Throwable error) {
			TokenApiException api = TokenApiException.find(error, (answer) -> answer.getRetryAfter() != null);
			return (api != null) ? api.getRetryAfter() : null;
		}

	}

}
