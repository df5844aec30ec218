package io.tokenkit.authlete;

/**
 * Which access tokens {@code GET /api/{serviceId}/auth/token/get/list} returns, by
 * validity: the {@code tokenStatus} query parameter.
 */
public enum TokenStatus {

	/** Only tokens that are still valid. */
	VALID,

	/** Only tokens that are no longer valid. */
	INVALID,

	/** Every token. */
	ALL

}
