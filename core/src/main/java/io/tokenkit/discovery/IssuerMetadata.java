package io.tokenkit.discovery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.tokenkit.support.BaseUrls;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;

/**
 * The metadata of one issuer, fetched when first asked for and kept for the application's
 * life. Callers who ask while a fetch runs share it (single flight). After a failed fetch
 * (no connection, a {@code 404} or {@code 5xx}, metadata that cannot be used) the failure
 * is answered until the cool-down ends; the next caller after it starts one new fetch, so
 * that the metadata endpoint is asked at most once per cool-down. Nothing here blocks or
 * takes a lock: the state changes by compare-and-set, and a fetch runs on its own
 * subscription, so that a caller that gives up does not stop it. A fetch that has not
 * ended after its time limit (longer than the requests of a {@link ServerMetadataClient}
 * may take) counts as failed, so that a fetch that never ends, or whose failure is thrown
 * on another thread instead of signalled, cannot hold its callers.
 */
public final class IssuerMetadata {

	private final String issuer;

	private final Function<String, Mono<ServerMetadata>> fetch;

	private final Duration fetchTimeout;

	private final Duration coolDown;

	private final Clock clock;

	private final AtomicReference<State> state = new AtomicReference<>(State.NOT_FETCHED);

	/**
	 * Create the metadata of an issuer; nothing is fetched yet.
	 * @param issuer the issuer identifier
	 * @param fetch fetches the metadata of an issuer, for example
	 * {@link ServerMetadataClient#fetch(String)}
	 * @param fetchTimeout how long a fetch may run before it counts as failed, for
	 * example {@link ServerMetadataClient#longestFetch()}
	 * @param coolDown how long a failure is answered before the next fetch
	 * @param clock the clock of the cool-down
	 */
	public IssuerMetadata(String issuer, Function<String, Mono<ServerMetadata>> fetch, Duration fetchTimeout,
			Duration coolDown, Clock clock) {
		Assert.hasText(issuer, "issuer must not be empty");
		Assert.notNull(fetch, "fetch must not be null");
		Assert.isTrue(fetchTimeout != null && !fetchTimeout.isNegative() && !fetchTimeout.isZero(),
				"fetchTimeout must be positive");
		Assert.isTrue(coolDown != null && !coolDown.isNegative() && !coolDown.isZero(), "coolDown must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.issuer = issuer;
		this.fetch = fetch;
		this.fetchTimeout = fetchTimeout;
		this.coolDown = coolDown;
		this.clock = clock;
	}

	/**
	 * Return the issuer identifier.
	 * @return the issuer
	 */
	public String getIssuer() {
		return this.issuer;
	}

	/**
	 * Return the metadata: the one held, the one of the fetch that runs, a new fetch's,
	 * or the last failure while the cool-down lasts.
	 * @return the metadata, or a {@link ServerMetadataException}
	 */
	public Mono<ServerMetadata> get() {
		State held = this.state.get();
		if (held instanceof Fetched fetched) {
			return fetched.answer;
		}
		return Mono.defer(this::current);
	}

	/**
	 * Return the metadata held, without fetching.
	 * @return the metadata, or {@code null} when none was fetched yet
	 */
	public @Nullable ServerMetadata getIfFetched() {
		return (this.state.get() instanceof Fetched fetched) ? fetched.metadata : null;
	}

	private Mono<ServerMetadata> current() {
		while (true) {
			State held = this.state.get();
			if (held instanceof Fetched fetched) {
				return fetched.answer;
			}
			if (held instanceof Fetching fetching) {
				return fetching.sink.asMono();
			}
			if (held instanceof Failed failed && this.clock.millis() < failed.retryAt) {
				return Mono.error(failed.failure);
			}
			Fetching fetching = new Fetching(Sinks.one());
			if (this.state.compareAndSet(held, fetching)) {
				start(fetching);
				return fetching.sink.asMono();
			}
		}
	}

	/**
	 * Run the fetch on its own subscription, bounded by its time limit. However it ends,
	 * the state leaves {@code fetching} before the waiters hear of it, so that no caller
	 * waits for a fetch that will never answer.
	 */
	private void start(Fetching fetching) {
		try {
			Mono.defer(() -> this.fetch.apply(this.issuer))
				.timeout(this.fetchTimeout, Mono.error(this::timedOut))
				.subscribe((metadata) -> {
					this.state.compareAndSet(fetching, new Fetched(metadata, Mono.just(metadata)));
					fetching.sink.tryEmitValue(metadata);
				}, (error) -> failed(fetching, error), () -> failed(fetching, null));
		}
		catch (Throwable ex) {
			failed(fetching, ex);
		}
	}

	private ServerMetadataException timedOut() {
		return new ServerMetadataException(this.issuer, 0,
				ServerMetadataClient.prefix(this.issuer) + "the fetch did not end within "
						+ this.fetchTimeout.toMillis() + "ms; check issuer-uri and the "
						+ "network. It is fetched again when needed, at most once per tokenkit.discovery.cool-down",
				null);
	}

	private void failed(Fetching fetching, @Nullable Throwable error) {
		ServerMetadataException failure;
		if (error instanceof ServerMetadataException known) {
			failure = known;
		}
		else {
			String what = (error != null) ? error.getClass().getSimpleName() : "the fetch completed without metadata";
			failure = new ServerMetadataException(this.issuer, 0,
					ServerMetadataClient.prefix(this.issuer) + what
							+ "; it is fetched again when needed, at most once per tokenkit.discovery.cool-down",
					error);
		}
		if (this.state.compareAndSet(fetching, new Failed(failure, this.clock.millis() + this.coolDown.toMillis()))) {
			fetching.sink.tryEmitError(failure);
		}
	}

	/**
	 * Return whether the metadata is held, for a health check; when it is not and no
	 * fetch runs or rests, start one in the background, never waiting for it.
	 * @return ready once the metadata is held, else what is missing and why
	 */
	public TokenSourceReadiness checkReadiness() {
		State held = this.state.get();
		if (held instanceof Fetched) {
			return TokenSourceReadiness.READY;
		}
		if (held == State.NOT_FETCHED || (held instanceof Failed failed && this.clock.millis() >= failed.retryAt)) {
			get().subscribe((metadata) -> {
			}, (error) -> {
			});
			held = this.state.get();
		}
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("metadata", "missing");
		details.put("issuer", BaseUrls.describe(this.issuer));
		if (held instanceof Failed failed) {
			details.put("metadataError", failed.failure.getClass().getSimpleName());
			if (failed.failure.getMetadataStatus() != 0) {
				details.put("metadataHttpStatus", failed.failure.getMetadataStatus());
			}
			details.put("metadataReason", String.valueOf(failed.failure.getMessage()));
			details.put("metadataFetchAfter", Instant.ofEpochMilli(failed.retryAt).toString());
		}
		else if (held instanceof Fetched) {
			return TokenSourceReadiness.READY;
		}
		else {
			details.put("metadataReason", "being fetched");
		}
		return TokenSourceReadiness.notReady(details);
	}

	@Override
	public String toString() {
		return "IssuerMetadata[issuer=" + BaseUrls.describe(this.issuer) + ", state="
				+ this.state.get().getClass().getSimpleName() + "]";
	}

	/**
	 * Where the metadata stands.
	 */
	private interface State {

		State NOT_FETCHED = new State() {
		};

	}

	private record Fetching(Sinks.One<ServerMetadata> sink) implements State {

	}

	private record Fetched(ServerMetadata metadata, Mono<ServerMetadata> answer) implements State {

	}

	private record Failed(ServerMetadataException failure, long retryAt) implements State {

	}

}
