package io.tokenkit.oauth2;

/**
 * How a client authenticates to a token endpoint (RFC 6749 §2.3.1).
 */
public enum ClientAuthenticationMethod {

	/**
	 * {@code client_secret_basic}:
	 * {@code Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))};
	 * no credentials in the form body.
	 */
	BASIC,

	/**
	 * {@code client_secret_post}: {@code client_id} and {@code client_secret} as form
	 * fields; no {@code Authorization} header.
	 */
	POST

}
