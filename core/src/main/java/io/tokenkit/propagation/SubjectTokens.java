package io.tokenkit.propagation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
 * A token is held for the retention given, counted again each time a request carries it
 * once half of it has passed, so a token in use stays held; a JWT is never held past its
 * {@code exp}, which is read unverified and so never holds it longer than the retention.
 * At most {@code maxHeld} tokens are held: past that the ones carried least recently are
 * let go (a request that carries one again holds it again). Tokens past their time are
 * swept as new ones arrive. Nothing here is written anywhere but to this process's
 * memory.
 */
public final class SubjectTokens {

	/** How long an opaque subject token is held after a request last carried it. */
	public static final Duration DEFAULT_OPAQUE_RETENTION = Duration.ofMinutes(5);

	/** How many subject tokens are held at most by default. */
	public static final int DEFAULT_MAX_HELD = 10_000;

	private static final int SWEEP_EVERY = 256;

	private final ConcurrentHashMap<String, Held> held = new ConcurrentHashMap<>();

	private final AtomicInteger puts = new AtomicInteger();

	private final AtomicLong sequence = new AtomicLong();

	private final AtomicBoolean evicting = new AtomicBoolean();

	private final Clock clock;

	private final long opaqueRetentionMillis;

	private final int maxHeld;

	/**
	 * Create a hand-off with the {@link #DEFAULT_OPAQUE_RETENTION}.
	 * @param clock the clock
	 */
	public SubjectTokens(Clock clock) {
		this(clock, DEFAULT_OPAQUE_RETENTION);
	}

	/**
	 * Create a hand-off that holds at most {@link #DEFAULT_MAX_HELD} tokens.
	 * @param clock the clock
	 * @param opaqueRetention how long a token is held after a request carried it
	 */
	public SubjectTokens(Clock clock, Duration opaqueRetention) {
		this(clock, opaqueRetention, DEFAULT_MAX_HELD);
	}

	/**
	 * Create a hand-off.
	 * @param clock the clock
	 * @param opaqueRetention how long a token is held after a request carried it
	 * @param maxHeld how many tokens are held at most
	 */
	public SubjectTokens(Clock clock, Duration opaqueRetention, int maxHeld) {
		Assert.notNull(clock, "clock must not be null");
		Assert.isTrue(opaqueRetention != null && !opaqueRetention.isNegative() && !opaqueRetention.isZero(),
				"opaqueRetention must be positive");
		Assert.isTrue(maxHeld > 0, "maxHeld must be positive");
		this.clock = clock;
		this.opaqueRetentionMillis = opaqueRetention.toMillis();
		this.maxHeld = maxHeld;
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
		if (current == null || (current.until() - now < this.opaqueRetentionMillis / 2
				&& (current.expiry() == null || current.until() < current.expiry().toEpochMilli()))) {
			Instant expiry = (current != null) ? current.expiry() : JwtExpiry.read(token);
			long until = now + this.opaqueRetentionMillis;
			if (expiry != null) {
				until = Math.min(until, expiry.toEpochMilli());
			}
			this.held.put(fingerprint, new Held(token, until, expiry, this.sequence.incrementAndGet()));
			if (this.puts.incrementAndGet() % SWEEP_EVERY == 0) {
				this.held.values().removeIf((entry) -> entry.until() <= now);
			}
			if (this.held.size() > this.maxHeld) {
				evictOldest();
			}
		}
		return fingerprint;
	}

	/**
	 * Let go of the tokens carried least recently, down to nine tenths of the maximum, so
	 * that the next evictions wait for a tenth of it to fill again. One caller evicts at
	 * a time; the others go on.
	 */
	private void evictOldest() {
		if (!this.evicting.compareAndSet(false, true)) {
			return;
		}
		try {
			List<Map.Entry<String, Held>> entries = new ArrayList<>(this.held.entrySet());
			int excess = entries.size() - (this.maxHeld - this.maxHeld / 10);
			if (excess <= 0) {
				return;
			}
			entries.sort(Comparator.comparingLong((Map.Entry<String, Held> entry) -> entry.getValue().sequence()));
			for (int i = 0; i < excess; i++) {
				this.held.remove(entries.get(i).getKey(), entries.get(i).getValue());
			}
		}
		finally {
			this.evicting.set(false);
		}
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
	 * One held token: its value, until when it is held, its {@code exp} if it is a JWT,
	 * and when it was last held, in the order of holds.
	 */
	private record Held(String value, long until, @Nullable Instant expiry, long sequence) {

		@Override
		public String toString() {
			return "Held[until=" + this.until + "]";
		}

	}

}
