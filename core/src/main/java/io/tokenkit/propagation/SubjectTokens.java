package io.tokenkit.propagation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.tokenkit.support.Sha256;
import io.tokenkit.token.JwtExpiry;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Hands the subject tokens of incoming requests from the key resolver to the token
 * source, in memory, by fingerprint: the key of an exchanged token names its subject
 * token by its SHA-256 fingerprint only, so that no cache key, Redis key, log line or
 * meter holds the token; the source, which must send it, finds it here.
 * <p>
 * A token is held until its {@code exp} when it is a JWT. An opaque token is held for the
 * retention given, counted again each time a request carries it once half of it has
 * passed, so a token in use stays held. Tokens past their time are swept as new ones
 * arrive. Nothing here is written anywhere but to this process's memory.
 */
public final class SubjectTokens {

	/** How long an opaque subject token is held after a request last carried it. */
	public static final Duration DEFAULT_OPAQUE_RETENTION = Duration.ofMinutes(5);

	private static final int SWEEP_EVERY = 256;

	private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

	private final AtomicInteger puts = new AtomicInteger();

	private final Clock clock;

	private final long opaqueRetentionMillis;

	/**
	 * Create a hand-off with the {@link #DEFAULT_OPAQUE_RETENTION}.
	 * @param clock the clock
	 */
	public SubjectTokens(Clock clock) {
		this(clock, DEFAULT_OPAQUE_RETENTION);
	}

	/**
	 * Create a hand-off.
	 * @param clock the clock
	 * @param opaqueRetention how long an opaque token is held after a request carried it
	 */
	public SubjectTokens(Clock clock, Duration opaqueRetention) {
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(opaqueRetention != null && !opaqueRetention.isNegative() && !opaqueRetention.isZero(),
				"opaqueRetention must be positive");
		this.clock = clock;
		this.opaqueRetentionMillis = opaqueRetention.toMillis();
	}

	/**
	 * Return the fingerprint of a token: the base64url SHA-256 of its UTF-8 bytes.
	 * @param token the token
	 * @return the fingerprint
	 */
	public static String fingerprint(String token) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(Sha256.digest(token));
	}

	/**
	 * Hold a token for the source and return its fingerprint.
	 * @param token the subject token
	 * @return its fingerprint
	 */
	public String hold(String token) {
		Assert.hasText(token, "token must not be empty");
		String fingerprint = fingerprint(token);
		long now = this.clock.millis();
		Held current = this.held.get(fingerprint);
		if (current == null || (current.expiry() == null && current.until() - now < this.opaqueRetentionMillis / 2)) {
			Instant expiry = (current != null) ? null : JwtExpiry.read(token);
			long until = (expiry != null) ? expiry.toEpochMilli() : now + this.opaqueRetentionMillis;
			this.held.put(fingerprint, new Held(token, until, expiry));
			if (this.puts.incrementAndGet() % SWEEP_EVERY == 0) {
				this.held.values().removeIf((entry) -> entry.until() <= now);
			}
		}
		return fingerprint;
	}

	/**
	 * Return the token of a fingerprint while it is held.
	 * @param fingerprint the fingerprint
	 * @return the token, or {@code null} when none is held for it
	 */
	public @Nullable String valueOf(String fingerprint) {
		Held entry = this.held.get(fingerprint);
		return (entry != null && entry.until() > this.clock.millis()) ? entry.value() : null;
	}

	/**
	 * Return the {@code exp} of a held token that is a JWT: no token made from it may
	 * outlive it.
	 * @param fingerprint the fingerprint
	 * @return the expiry, or {@code null} for an opaque token or none held
	 */
	public @Nullable Instant expiryOf(String fingerprint) {
		Held entry = this.held.get(fingerprint);
		return (entry != null) ? entry.expiry() : null;
	}

	/**
	 * Return how many tokens are held, swept or not.
	 * @return the count
	 */
	public int size() {
		return this.held.size();
	}

	@Override
	public String toString() {
		return "SubjectTokens[held=" + this.held.size() + "]";
	}

	/**
	 * One held token: its value, until when it is held, and its {@code exp} if it is a
	 * JWT.
	 */
	private record Held(String value, long until, @Nullable Instant expiry) {

		@Override
		public String toString() {
			return "Held[until=" + this.until + "]";
		}

	}

}
