package io.tokenkit.oauth2;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Keeps the latest {@code DPoP-Nonce} of each server origin for {@link DpopProofs}, at
 * most a fixed number of origins: beyond it the origin whose nonce was kept longest ago
 * is dropped (its next request is answered with a nonce challenge and retried once). A
 * registration talks to a handful of origins; the bound keeps requests to ever new hosts
 * from growing the map without end. Lock-free, so that no caller waits on a monitor.
 */
final class DpopNonces {

	/** The most origins whose nonce is kept by default. */
	static final int DEFAULT_MAX_ORIGINS = 256;

	private final int maxOrigins;

	private final Map<String, Kept> nonces = new ConcurrentHashMap<>();

	/** Orders the writes, so that the oldest one is found without the clock. */
	private final AtomicLong writes = new AtomicLong();

	DpopNonces(int maxOrigins) {
		Assert.isTrue(maxOrigins > 0, "maxOrigins must be positive");
		this.maxOrigins = maxOrigins;
	}

	@Nullable String get(String origin) {
		Kept kept = this.nonces.get(origin);
		return (kept != null) ? kept.nonce() : null;
	}

	void put(String origin, String nonce) {
		this.nonces.put(origin, new Kept(nonce, this.writes.incrementAndGet()));
		while (this.nonces.size() > this.maxOrigins) {
			dropOldest();
		}
	}

	int size() {
		return this.nonces.size();
	}

	private void dropOldest() {
		Map.Entry<String, Kept> oldest = null;
		for (Map.Entry<String, Kept> entry : this.nonces.entrySet()) {
			if (oldest == null || entry.getValue().order() < oldest.getValue().order()) {
				oldest = entry;
			}
		}
		if (oldest != null) {
			this.nonces.remove(oldest.getKey(), oldest.getValue());
		}
	}

	/**
	 * A nonce and when it was kept, in the order of writes.
	 */
	private record Kept(String nonce, long order) {

	}

}
