package io.tokenkit.token;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One registration known to the {@link TokenManager}: its id, the {@link TokenSource}
 * that acquires its tokens, how long before expiry a token is refreshed, the longest
 * lifetime the manager keeps a token it acquired, and the {@link TokenAuthorizer} that
 * sets a token on each request.
 *
 * @param id the registration id
 * @param source the token source
 * @param refreshSkew how long before expiry a background refresh starts; capped for each
 * token at a quarter of that token's lifetime so that short-lived tokens are not
 * refreshed on every request
 * @param maxLifetime the longest lifetime of a token the manager acquires and stores for
 * the registration, at least one second: a token the source answered with a later expiry
 * is stored expiring this long after its issue time (a token with no expiry is kept as it
 * is); {@code null} to store the source's token as it is
 * @param authorizer sets the registration's token on each request the bearer filter and
 * interceptor send
 * @param keyResolver finds the key of the token each request the bearer filter and
 * interceptor send carries
 */
public record TokenRegistration(String id, TokenSource source, Duration refreshSkew, @Nullable Duration maxLifetime,
		TokenAuthorizer authorizer, TokenKeyResolver keyResolver) {

	/** The default refresh skew: 30 seconds. */
	public static final Duration DEFAULT_REFRESH_SKEW = Duration.ofSeconds(30);

	public TokenRegistration {
		Assert.hasText(id, "id must not be empty");
		Assert.notNull(source, "source must not be null");
		Assert.notNull(refreshSkew, "refreshSkew must not be null");
		Assert.isTrue(!refreshSkew.isNegative(), "refreshSkew must not be negative");
		Assert.isTrue(maxLifetime == null || maxLifetime.compareTo(Duration.ofSeconds(1)) >= 0,
				"maxLifetime must be at least one second");
		Assert.notNull(authorizer, "authorizer must not be null");
		Assert.notNull(keyResolver, "keyResolver must not be null");
	}

	/**
	 * Create a registration whose requests find their token's key in their attributes
	 * ({@link TokenKeyResolver#attributes()}).
	 * @param id the registration id
	 * @param source the token source
	 * @param refreshSkew how long before expiry a background refresh starts
	 * @param maxLifetime the longest lifetime of a stored token, or {@code null}
	 * @param authorizer sets the registration's token on each request
	 */
	public TokenRegistration(String id, TokenSource source, Duration refreshSkew, @Nullable Duration maxLifetime,
			TokenAuthorizer authorizer) {
		this(id, source, refreshSkew, maxLifetime, authorizer, TokenKeyResolver.attributes());
	}

	/**
	 * Create a registration that sends {@code Authorization: Bearer <token>}.
	 * @param id the registration id
	 * @param source the token source
	 * @param refreshSkew how long before expiry a background refresh starts
	 * @param maxLifetime the longest lifetime of a stored token, or {@code null}
	 */
	public TokenRegistration(String id, TokenSource source, Duration refreshSkew, @Nullable Duration maxLifetime) {
		this(id, source, refreshSkew, maxLifetime, TokenAuthorizer.bearer());
	}

	/**
	 * Create a registration whose tokens are stored with the lifetime their source gave
	 * and sent as {@code Authorization: Bearer <token>}.
	 * @param id the registration id
	 * @param source the token source
	 * @param refreshSkew how long before expiry a background refresh starts
	 */
	public TokenRegistration(String id, TokenSource source, Duration refreshSkew) {
		this(id, source, refreshSkew, null);
	}

	/**
	 * Create a registration with the default refresh skew.
	 * @param id the registration id
	 * @param source the token source
	 * @return the registration
	 */
	public static TokenRegistration of(String id, TokenSource source) {
		return new TokenRegistration(id, source, DEFAULT_REFRESH_SKEW);
	}

	/**
	 * Return the token to store for one the source acquired: {@code token} itself, or a
	 * copy that expires {@link #maxLifetime()} after its issue time when it would live
	 * longer.
	 * @param token the token the source answered
	 * @return the token to store
	 */
	AccessToken capped(AccessToken token) {
		Duration max = this.maxLifetime;
		if (max == null || token.getExpiresAt() == null
				|| Duration.ofMillis(token.getExpiresAtMillis() - token.getIssuedAtMillis()).compareTo(max) <= 0) {
			return token;
		}
		return token.mutate().expiresAt(token.getIssuedAt().plus(max)).build();
	}

}
