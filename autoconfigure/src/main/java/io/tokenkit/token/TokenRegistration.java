package io.tokenkit.token;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * One registration known to the {@link TokenManager}: its id, the {@link TokenSource}
 * that acquires its tokens, and how long before expiry a token is refreshed.
 *
 * @param id the registration id
 * @param source the token source
 * @param refreshSkew how long before expiry a background refresh starts; capped for each
 * token at a quarter of that token's lifetime so that short-lived tokens are not
 * refreshed on every request
 */
public record TokenRegistration(String id, TokenSource source, Duration refreshSkew) {

	/** The default refresh skew: 30 seconds. */
	public static final Duration DEFAULT_REFRESH_SKEW = Duration.ofSeconds(30);

	public TokenRegistration {
		Assert.hasText(id, "id must not be empty");
		Assert.notNull(source, "source must not be null");
		Assert.notNull(refreshSkew, "refreshSkew must not be null");
		Assert.isTrue(!refreshSkew.isNegative(), "refreshSkew must not be negative");
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

}
