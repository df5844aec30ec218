package io.tokenkit.aozora;

import java.time.Duration;

import org.springframework.util.Assert;

/**
 * The answer of a pushed authorization request (RFC 9126 §2.2): the {@code request_uri}
 * that stands for the request on the authorization URL, and how long it can be used.
 *
 * @param requestUri the {@code request_uri}
 * @param expiresIn the {@code expires_in}
 */
public record GmoAozoraPushedAuthorization(String requestUri, Duration expiresIn) {

	public GmoAozoraPushedAuthorization {
		Assert.hasText(requestUri, "requestUri must not be empty");
		Assert.notNull(expiresIn, "expiresIn must not be null");
	}

}
