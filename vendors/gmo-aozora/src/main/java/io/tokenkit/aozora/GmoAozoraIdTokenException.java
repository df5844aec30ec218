package io.tokenkit.aozora;

import io.tokenkit.token.TokenKitException;

import org.springframework.util.Assert;

/**
 * An OpenID Connect ID token failed one of its checks; {@link #getCheck()} says which.
 * The message never carries the token or its claims.
 */
public class GmoAozoraIdTokenException extends TokenKitException {

	private final Check check;

	/**
	 * Create an exception.
	 * @param check the check that failed
	 * @param reason what is wrong; never the token or a claim value
	 */
	public GmoAozoraIdTokenException(Check check, String reason) {
		super("GMO Aozora ID token rejected (" + check + "): " + reason);
		Assert.notNull(check, "check must not be null");
		this.check = check;
	}

	/**
	 * Return the check that failed.
	 * @return the check
	 */
	public Check getCheck() {
		return this.check;
	}

	/**
	 * The checks an ID token goes through, in order.
	 */
	public enum Check {

		/** The token response carried no {@code id_token}. */
		MISSING,

		/** The token is not a signed JWT, or its claims cannot be read. */
		MALFORMED,

		/** The token is not signed with HS256. */
		ALGORITHM,

		/** The HS256 signature does not verify with the client secret. */
		SIGNATURE,

		/** {@code iss} is not the configured issuer. */
		ISSUER,

		/** {@code aud} does not contain the client id. */
		AUDIENCE,

		/** {@code azp} is present and is not the client id. */
		AUTHORIZED_PARTY,

		/** {@code exp} is missing or has passed. */
		EXPIRED,

		/** {@code iat} is missing or lies in the future. */
		ISSUED_AT,

		/** {@code nonce} is missing, unknown, expired or already used. */
		NONCE

	}

}
