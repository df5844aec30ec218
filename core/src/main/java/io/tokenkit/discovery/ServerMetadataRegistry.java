package io.tokenkit.discovery;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.util.function.SingletonSupplier;

/**
 * Holds the {@link IssuerMetadata} of every issuer an application names, one per issuer
 * for the application's life, so that registrations of the same issuer share one fetch.
 * Fetches nothing by itself: each issuer's metadata is fetched when first asked for.
 */
public final class ServerMetadataRegistry {

	/** The default cool-down after a failed fetch: 30 seconds. */
	public static final Duration DEFAULT_COOL_DOWN = Duration.ofSeconds(30);

	private final Supplier<Fetch> fetch;

	private final Duration coolDown;

	private final Clock clock;

	private final Map<String, IssuerMetadata> issuers = new ConcurrentHashMap<>();

	/**
	 * Create a registry.
	 * @param fetch fetches the metadata of an issuer, for example
	 * {@link ServerMetadataClient#fetch(String)}; asked only when metadata is needed
	 * @param fetchTimeout how long a fetch may run before it counts as failed, for
	 * example {@link ServerMetadataClient#longestFetch()}
	 * @param coolDown how long a failed fetch is answered before the next one
	 * @param clock the clock of the cool-down
	 */
	public ServerMetadataRegistry(Function<String, Mono<ServerMetadata>> fetch, Duration fetchTimeout,
			Duration coolDown, Clock clock) {
		this(SingletonSupplier.of(() -> new Fetch(fetch, fetchTimeout)), coolDown, clock);
		Assert.notNull(fetch, "fetch must not be null");
		Assert.notNull(fetchTimeout, "fetchTimeout must not be null");
	}

	private ServerMetadataRegistry(Supplier<Fetch> fetch, Duration coolDown, Clock clock) {
		Assert.isTrue(coolDown != null && !coolDown.isNegative() && !coolDown.isZero(), "coolDown must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.fetch = fetch;
		this.coolDown = coolDown;
		this.clock = clock;
	}

	/**
	 * Create a registry whose client is built when the first issuer is asked for (at
	 * start-up, when a registration names an issuer), so that an application without one
	 * builds none, and none is built on the thread of a token call. A fetch may run for
	 * the client's {@link ServerMetadataClient#longestFetch()}.
	 * @param client builds the client that fetches metadata
	 * @param coolDown how long a failed fetch is answered before the next one
	 * @param clock the clock of the cool-down
	 * @return the registry
	 */
	public static ServerMetadataRegistry withClient(Supplier<ServerMetadataClient> client, Duration coolDown,
			Clock clock) {
		Assert.notNull(client, "client must not be null");
		return new ServerMetadataRegistry(SingletonSupplier.of(() -> {
			ServerMetadataClient built = client.get();
			return new Fetch(built::fetch, built.longestFetch());
		}), coolDown, clock);
	}

	/**
	 * Return the metadata of an issuer, created on the first call for it; nothing is
	 * fetched here. Registrations ask at start-up.
	 * @param issuer the issuer identifier, compared exactly
	 * @return the issuer's metadata
	 */
	public IssuerMetadata forIssuer(String issuer) {
		Assert.hasText(issuer, "issuer must not be empty");
		Fetch fetch = this.fetch.get();
		return this.issuers.computeIfAbsent(issuer,
				(key) -> new IssuerMetadata(key, fetch.function(), fetch.timeout(), this.coolDown, this.clock));
	}

	/**
	 * Return the cool-down after a failed fetch.
	 * @return the cool-down
	 */
	public Duration getCoolDown() {
		return this.coolDown;
	}

	@Override
	public String toString() {
		return "ServerMetadataRegistry[issuers=" + this.issuers.size() + ", coolDown=" + this.coolDown + "]";
	}

	/**
	 * How metadata is fetched, and how long a fetch may run.
	 */
	private record Fetch(Function<String, Mono<ServerMetadata>> function, Duration timeout) {

	}

}
