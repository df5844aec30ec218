package io.tokenkit.aozora;

import org.jspecify.annotations.Nullable;

import io.tokenkit.support.ServerText;
import io.tokenkit.token.TokenKitException;

/**
 * The {@code iss} of an authorization callback (RFC 9207) is not the bank's issuer: the
 * callback may come from another authorization server (a mix-up attack) and is refused
 * before its code is used.
 */
public class GmoAozoraIssuerMismatchException extends TokenKitException {

	private final String expectedIssuer;

	private final @Nullable String issuer;

	/**
	 * Create an exception.
	 * @param expectedIssuer the bank's issuer, {@code tokenkit.gmo-aozora.issuer}
	 * @param issuer the {@code iss} the callback carries
	 */
	public GmoAozoraIssuerMismatchException(String expectedIssuer, String issuer) {
		this("The authorization callback comes from issuer '" + ServerText.truncate(issuer) + "', not the bank's '"
				+ expectedIssuer + "': refuse it and start a new authorization (it may come from another "
				+ "authorization server, a mix-up attack); if the bank writes its issuer that way, set "
				+ "tokenkit.gmo-aozora.issuer to it", expectedIssuer, issuer);
	}

	private GmoAozoraIssuerMismatchException(String message, String expectedIssuer, @Nullable String issuer) {
		super(message);
		this.expectedIssuer = expectedIssuer;
		this.issuer = issuer;
	}

	/**
	 * Return an exception for a callback without {@code iss} although one is expected
	 * (the issuer check is on, or the bank's metadata says it sends one).
	 * @param expectedIssuer the bank's issuer
	 * @return the exception, whose {@link #getIssuer()} is {@code null}
	 */
	public static GmoAozoraIssuerMismatchException missing(String expectedIssuer) {
		return new GmoAozoraIssuerMismatchException("The authorization callback carries no iss although issuer '"
				+ expectedIssuer + "' sends one (RFC 9207): refuse it and start a new authorization (the iss may "
				+ "have been stripped in a mix-up attack); if the bank does not send iss, set "
				+ "tokenkit.gmo-aozora.check-iss=false", expectedIssuer, null);
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
	 * @return the callback's issuer, or {@code null} when it carried none
	 */
	public @Nullable String getIssuer() {
		return this.issuer;
	}

}
