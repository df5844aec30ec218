package io.tokenkit.registration;

import org.jspecify.annotations.Nullable;

/**
 * How a registration revokes the per-user tokens removed from the token manager (RFC
 * 7009), as configured: where, whether, and whether the access token too.
 *
 * @param uri the revocation endpoint, unchecked, or {@code null} for the
 * {@code revocation_endpoint} of the issuer's metadata
 * @param onRemove whether a removed token is revoked, or {@code null} for the default:
 * revoked where an endpoint is known
 * @param accessToken whether the access token is revoked as well as the refresh token
 */
public record RevocationSettings(@Nullable String uri, @Nullable Boolean onRemove, boolean accessToken) {

	/** Nothing configured: the defaults. */
	public static final RevocationSettings DEFAULT = new RevocationSettings(null, null, false);

}
