package io.tokenkit.autoconfigure;

/**
 * How a registration gets its tokens: the value of
 * {@code tokenkit.registrations.<id>.grant-type}.
 */
public enum GrantType {

	/**
	 * OAuth 2.0 {@code client_credentials}: application tokens from {@code token-uri}.
	 */
	CLIENT_CREDENTIALS,

	/**
	 * OAuth 2.0 {@code refresh_token}: per-user tokens saved by the application and
	 * refreshed at {@code token-uri}, or an application token from a configured
	 * {@code refresh-token}.
	 */
	REFRESH_TOKEN,

	/** A fixed {@code token} that never expires. */
	STATIC,

	/**
	 * Per-user SaaSus tokens, refreshed through
	 * {@code GET /credentials?auth-flow=refreshTokenAuth}.
	 */
	SAASUS,

	/** Per-user GMO Aozora Net Bank tokens, refreshed at the bank's token endpoint. */
	GMO_AOZORA

}
