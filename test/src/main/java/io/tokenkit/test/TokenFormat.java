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
	 * registration's JWK Set serves, with the claims of RFC 9068: {@code iss},
	 * {@code aud} (the registration's id unless {@link MockRegistration#audience(String)
	 * set}), {@code sub} (the user, else the client), {@code client_id} (the client that
	 * authenticated, else the required client, else the registration's id),
	 * {@code scope}, {@code iat}, {@code exp} and {@code jti}.
	 */
	JWT

}
