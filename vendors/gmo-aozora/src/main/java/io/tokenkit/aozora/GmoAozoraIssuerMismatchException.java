package io.tokenkit.aozora;

import io.tokenkit.support.ServerText;
import io.tokenkit.token.TokenKitException;

/**
 * The {@code iss} of an authorization callback (RFC 9207) is not the bank's issuer: the
 * callback may come from another authorization server (a mix-up attack) and is refused
 * before its code is used.
 */
public class GmoAozoraIssuerMismatchException extends TokenKitException {

	private final String expectedIssuer;

	private final String issuer;

	/**
	 * Create an exception.
	 * @param expectedIssuer the bank's issuer, {@code tokenkit.gmo-aozora.issuer}
	 * @param issuer the {@code iss} the callback carries
	 */
	public GmoAozoraIssuerMismatchException(String expectedIssuer, String issuer) {
		super("The authorization callback comes from issuer '" + ServerText.truncate(issuer) + "', not the bank's '"
				+ expectedIssuer + "': refuse it and start a new authorization (it may come from another "
				+ "authorization server, a mix-up attack); if the bank writes its issuer that way, set "
				+ "tokenkit.gmo-aozora.issuer to it");
		this.expectedIssuer = expectedIssuer;
		this.issuer = issuer;
	}

	/**
	 * Return the bank's issuer, the one expected.
	 * @return the expected issuer
	 */
	public String getExpectedIssuer() {
		return this.expectedIssuer;
	}

	/**
	 * Return the {@code iss} the callback carried.
	 * @return the callback's issuer
	 */
	public String getIssuer() {
		return this.issuer;
	}

}
