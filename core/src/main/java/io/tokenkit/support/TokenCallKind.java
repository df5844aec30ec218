package io.tokenkit.support;

/**
 * Whether a token or vendor API call may be sent twice, which decides what a
 * {@link TokenCallRetry} tries again. Internal to TokenKit.
 */
public enum TokenCallKind {

	/**
	 * A call that may be repeated: retried after a connection error, a timeout, a
	 * {@code 5xx} or a {@code 429}, for example OAuth 2.0 {@code client_credentials}.
	 */
	REPEATABLE,

	/**
	 * A call that redeems a single-use credential (a refresh token, an authorization
	 * code, a temporary code) or is not idempotent (create, update, revoke): retried only
	 * when the request was certainly not sent (connection refused, unknown host) or the
	 * server refused it with a {@code 429}.
	 */
	ONCE

}
