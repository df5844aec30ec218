package io.tokenkit.testsupport;

import mockwebserver3.MockResponse;

/**
 * Makes a token endpoint's DPoP nonce challenge (RFC 9449 §8): a {@code 400} with the
 * error {@code use_dpop_nonce} and, when given, the nonce to send in a {@code DPoP-Nonce}
 * header.
 */
public final class DpopNonceChallenge {

	/** The JSON error body of the challenge. */
	public static final String ERROR_BODY = """
			{"error":"use_dpop_nonce","error_description":"Authorization server requires nonce in DPoP proof"}""";

	private DpopNonceChallenge() {
	}

	/**
	 * Return the challenge with a nonce to send.
	 * @param nonce the nonce of the {@code DPoP-Nonce} header
	 * @return the answer
	 */
	public static MockResponse withNonce(String nonce) {
		return builder().addHeader("DPoP-Nonce", nonce).build();
	}

	/**
	 * Return the challenge without a {@code DPoP-Nonce} header, which gives the client no
	 * nonce to send again with.
	 * @return the answer
	 */
	public static MockResponse withoutNonce() {
		return builder().build();
	}

	private static MockResponse.Builder builder() {
		return new MockResponse.Builder().code(400).addHeader("Content-Type", "application/json").body(ERROR_BODY);
	}

}
