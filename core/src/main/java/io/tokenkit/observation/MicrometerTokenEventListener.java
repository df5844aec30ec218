package io.tokenkit.observation;

import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenkit.token.TokenEventListener;

import org.springframework.util.Assert;

/**
 * Counts token cache results ({@value #CACHE_METER}, tag {@code result} = {@code hit},
 * {@code miss} or {@code refresh-ahead}) and bearer retries after a {@code 401}
 * ({@value #RETRIES_METER}), both tagged with the {@code registration}.
 */
public final class MicrometerTokenEventListener implements TokenEventListener {

	/** The name of the cache counter. */
	public static final String CACHE_METER = "tokenkit.token.cache";

	/** The name of the retry counter. */
	public static final String RETRIES_METER = "tokenkit.bearer.retries";

	private final MeterRegistry registry;

	private final ConcurrentHashMap<String, Counters> counters = new ConcurrentHashMap<>();

	/**
	 * Create a listener.
	 * @param registry the meter registry
	 */
	public MicrometerTokenEventListener(MeterRegistry registry) {
		Assert.notNull(registry, "registry must not be null");
		this.registry = registry;
	}

	@Override
	public void cacheHit(String registrationId) {
		counters(registrationId).hit.increment();
	}

	@Override
	public void cacheMiss(String registrationId) {
		counters(registrationId).miss.increment();
	}

	@Override
	public void refreshAhead(String registrationId) {
		counters(registrationId).refreshAhead.increment();
	}

	@Override
	public void retried(String registrationId) {
		counters(registrationId).retries.increment();
	}

	private Counters counters(String registrationId) {
		Counters result = this.counters.get(registrationId);
		return (result != null) ? result : this.counters.computeIfAbsent(registrationId, this::create);
	}

	private Counters create(String registrationId) {
		return new Counters(cacheCounter(registrationId, "hit"), cacheCounter(registrationId, "miss"),
				cacheCounter(registrationId, "refresh-ahead"),
				Counter.builder(RETRIES_METER)
					.description("Requests retried by the bearer filter after a 401")
					.tag("registration", registrationId)
					.register(this.registry));
	}

	private Counter cacheCounter(String registrationId, String result) {
		return Counter.builder(CACHE_METER)
			.description("Token cache lookups by result")
			.tag("registration", registrationId)
			.tag("result", result)
			.register(this.registry);
	}

	private record Counters(Counter hit, Counter miss, Counter refreshAhead, Counter retries) {
	}

}
