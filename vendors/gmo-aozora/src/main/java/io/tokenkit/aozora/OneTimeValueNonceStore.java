package io.tokenkit.aozora;

import java.time.Duration;

import reactor.core.publisher.Mono;

import io.tokenkit.token.OneTimeValueStore;

import org.springframework.util.Assert;

/**
 * A {@link NonceStore} that keeps nonces in a {@link OneTimeValueStore}, under one
 * namespace and for a fixed time. Backed by a shared store (Redis), the callback of an
 * authorization request may land on any instance of the application: the nonce saved by
 * the instance that built the authorization URL is accepted once by whichever instance
 * verifies the ID token.
 */
public final class OneTimeValueNonceStore implements NonceStore {

	/** The namespace of GMO Aozora nonces by default. */
	public static final String DEFAULT_NAMESPACE = "gmo-aozora-nonce";

	private final OneTimeValueStore values;

	private final String namespace;

	private final Duration timeToLive;

	/**
	 * Create a store with the {@link #DEFAULT_NAMESPACE default namespace}.
	 * @param values where the nonces are kept
	 * @param timeToLive how long a nonce can be consumed after it was saved
	 */
	public OneTimeValueNonceStore(OneTimeValueStore values, Duration timeToLive) {
		this(values, DEFAULT_NAMESPACE, timeToLive);
	}

	/**
	 * Create a store.
	 * @param values where the nonces are kept
	 * @param namespace the namespace of the nonces in {@code values}
	 * @param timeToLive how long a nonce can be consumed after it was saved
	 */
	public OneTimeValueNonceStore(OneTimeValueStore values, String namespace, Duration timeToLive) {
		Assert.notNull(values, "values must not be null");
		Assert.hasText(namespace, "namespace must not be empty");
		Assert.notNull(timeToLive, "timeToLive must not be null");
		Assert.isTrue(!timeToLive.isNegative() && !timeToLive.isZero(), "timeToLive must be positive");
		this.values = values;
		this.namespace = namespace;
		this.timeToLive = timeToLive;
	}

	@Override
	public Mono<Void> save(String nonce) {
		Assert.hasText(nonce, "nonce must not be empty");
		return this.values.put(this.namespace, nonce, this.timeToLive);
	}

	@Override
	public Mono<Boolean> consume(String nonce) {
		Assert.notNull(nonce, "nonce must not be null");
		return this.values.consume(this.namespace, nonce);
	}

	@Override
	public String toString() {
		return "OneTimeValueNonceStore[values=" + this.values + ", namespace=" + this.namespace + ", timeToLive="
				+ this.timeToLive + "]";
	}

}
