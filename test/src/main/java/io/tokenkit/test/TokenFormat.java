package io.tokenkit.test;

/**
 * The form of the access tokens a {@link MockTokenServer} registration issues.
 */
public enum TokenFormat {

	/**
	 * A random string that only the server can tell from any other.
	 */
	OPAQUE,

	/**
	 * A JWT ({@code RS256}, typed {@code at+jwt}) signed with the server's key, which the
	 * registration's JWK Set serves: {@code iss}, {@code sub}, {@code client_id},
	 * {@code scope}, {@code iat}, {@code exp} and {@code jti} claims.
	 */
	JWT

}
