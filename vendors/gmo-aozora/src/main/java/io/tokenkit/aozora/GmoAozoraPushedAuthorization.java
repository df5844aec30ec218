package io.tokenkit.aozora;

import java.time.Duration;
import java.time.Instant;

import org.springframework.util.Assert;

/**
 * The answer of a pushed authorization request (RFC 9126 §2.2): the {@code request_uri}
 * that stands for the request on the authorization URL, and how long it can be used.
 *
 * @param requestUri the {@code request_uri}
 * @param expiresIn the {@code expires_in}
 * @param expiresAt when the {@code request_uri} expires on this host's clock: the time
 * the push was sent plus {@code expires_in}, so that the time the answer took counts
 * against it
 */
public record GmoAozoraPushedAuthorization(String requestUri, Duration expiresIn, Instant expiresAt) {

	public GmoAozoraPushedAuthorization {
		Assert.hasText(requestUri, "requestUri must not be empty");
		Assert.notNull(expiresIn, "expiresIn must not be null");
		Assert.notNull(expiresAt, "expiresAt must not be null");
	}

	/**
	 * Return whether the {@code request_uri} has expired, so that an authorization URL
	 * that carries it would end on the bank's error page.
	 * @param now the current time
	 * @return whether {@code now} is at or after {@link #expiresAt()}
	 */
	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

}
