package io.tokenkit.authlete;

/**
 * The grant type of an access token in the Authlete API, written on the wire as the
 * constant's name. When Authlete reports a grant type that this version does not know,
 * the record field holding it reads {@code null}.
 */
public enum GrantType {

	/** The authorization code flow. */
	AUTHORIZATION_CODE,

	/** The implicit flow. */
	IMPLICIT,

	/** The resource owner password credentials flow. */
	PASSWORD,

	/** The client credentials flow. */
	CLIENT_CREDENTIALS,

	/** The refresh token flow. */
	REFRESH_TOKEN,

	/** Client-initiated backchannel authentication. */
	CIBA,

	/** The device authorization grant. */
	DEVICE_CODE,

	/** OAuth 2.0 token exchange (RFC 8693). */
	TOKEN_EXCHANGE,

	/** The JWT bearer grant (RFC 7523). */
	JWT_BEARER,

	/**
	 * The OpenID for Verifiable Credential Issuance pre-authorized code flow (API v3
	 * only).
	 */
	PRE_AUTHORIZED_CODE

}
