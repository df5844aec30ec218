package io.tokenkit.testsupport;

import java.time.Clock;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenSource;

/**
 * A {@link TokenSource} that issues numbered tokens ({@code token-1}, {@code token-2}, …)
 * with a fixed lifetime, counts its calls, and can be told to fail or to answer late.
 */
public final class CountingTokenSource implements TokenSource {

	private final Clock clock;

	private final Duration lifetime;

	private final AtomicInteger obtains = new AtomicInteger();

	private final AtomicInteger refreshes = new AtomicInteger();

	private final AtomicInteger issued = new AtomicInteger();

	private final Queue<RuntimeException> failures = new ConcurrentLinkedQueue<>();

	private volatile Duration delay = Duration.ZERO;

	public CountingTokenSource(Clock clock, Duration lifetime) {
		this.clock = clock;
		this.lifetime = lifetime;
	}

	public void failNext(RuntimeException failure) {
		this.failures.add(failure);
	}

	public void delay(Duration delay) {
		this.delay = delay;
	}

	public int obtains() {
		return this.obtains.get();
	}

	public int refreshes() {
		return this.refreshes.get();
	}

	public int calls() {
		return obtains() + refreshes();
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		return Mono.defer(() -> {
			this.obtains.incrementAndGet();
			return issue(null);
		});
	}

	@Override
	public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		return Mono.defer(() -> {
			this.refreshes.incrementAndGet();
			return issue(current);
		});
	}

	private Mono<AccessToken> issue(AccessToken current) {
		RuntimeException failure = this.failures.poll();
		Mono<AccessToken> result = (failure != null) ? Mono.error(failure) : Mono.fromSupplier(() -> {
			int n = this.issued.incrementAndGet();
			return AccessToken.withValue("token-" + n)
				.issuedAt(this.clock.instant())
				.expiresAt(this.clock.instant().plus(this.lifetime))
				.refreshToken("refresh-" + n)
				.build();
		});
		return this.delay.isZero() ? result : result.delaySubscription(this.delay);
	}

}
