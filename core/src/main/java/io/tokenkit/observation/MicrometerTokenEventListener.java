package io.tokenkit.observation;

import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;

import org.springframework.util.Assert;

/**
 * Counts token cache results ({@value #CACHE_METER}, tag {@code result} = {@code hit},
 * {@code miss} or {@code refresh-ahead}), bearer retries after a {@code 401}
 * ({@value #RETRIES_METER}) and revocations of removed tokens
 * ({@value #REVOCATIONS_METER}, tag {@code outcome} = {@code success} or
 * {@code failure}), each tagged with the {@code registration}.
 */
public final class MicrometerTokenEventListener implements TokenEventListener {

	/** The name of the cache counter. */
	public static final String CACHE_METER = "tokenkit.token.cache";

	/** The name of the retry counter. */
	public static final String RETRIES_METER = "tokenkit.bearer.retries";

	/** The name of the revocation counter. */
	public static final String REVOCATIONS_METER = "tokenkit.token.revocations";

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

	@Override
	public void revocationSucceeded(TokenKey key) {
		revocations(key, "success");
	}

	@Override
	public void revocationFailed(TokenKey key, Throwable error) {
		revocations(key, "failure");
	}

	/** Revocations are rare: their counters are looked up in the registry each time. */
	private void revocations(TokenKey key, String outcome) {
		Counter.builder(REVOCATIONS_METER)
			.description("Revocations of removed tokens by outcome")
			.tag("registration", key.registrationId())
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
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
