package io.tokenkit.test;

import java.util.Arrays;
import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on one {@link TokenRequest}. Failure messages never show a secret
 * parameter's value.
 */
public final class TokenRequestAssert extends AbstractAssert<TokenRequestAssert, TokenRequest> {

	TokenRequestAssert(TokenRequest actual) {
		super(actual, TokenRequestAssert.class);
	}

	/**
	 * Verify the call's {@code grant_type}.
	 * @param grantType the expected grant type
	 * @return this assertion
	 */
	public TokenRequestAssert hasGrantType(String grantType) {
		isNotNull();
		if (!Objects.equals(this.actual.grantType(), grantType)) {
			failWithMessage("Expected a %s call but it was %s", grantType, this.actual);
		}
		return this;
	}

	/**
	 * Verify that the call asked for each of these scopes (and maybe others).
	 * @param scopes the expected scopes
	 * @return this assertion
	 */
	public TokenRequestAssert hasScope(String... scopes) {
		isNotNull();
		if (!this.actual.scopes().containsAll(Arrays.asList(scopes))) {
			failWithMessage("Expected a call asking for scopes %s but it asked for %s: %s", Arrays.asList(scopes),
					this.actual.scopes(), this.actual);
		}
		return this;
	}

	/**
	 * Verify the client the call authenticated as.
	 * @param clientId the expected client id
	 * @return this assertion
	 */
	public TokenRequestAssert hasClientId(String clientId) {
		isNotNull();
		if (!Objects.equals(this.actual.clientId(), clientId)) {
			failWithMessage("Expected a call from client '%s' but it was %s", clientId, this.actual);
		}
		return this;
	}

	/**
	 * Verify one form parameter; for a secret parameter the failure message shows no
	 * value.
	 * @param name the parameter's name
	 * @param value its expected value
	 * @return this assertion
	 */
	public TokenRequestAssert hasParameter(String name, String value) {
		isNotNull();
		if (!Objects.equals(this.actual.parameter(name), value)) {
			failWithMessage("Expected a call with parameter '%s' of the value expected but it was %s", name,
					this.actual);
		}
		return this;
	}

	/**
	 * Verify that the call presented this refresh token.
	 * @param refreshToken the expected refresh token
	 * @return this assertion
	 */
	public TokenRequestAssert presentedRefreshToken(String refreshToken) {
		return hasParameter("refresh_token", refreshToken);
	}

	/**
	 * Verify that the call was answered with a token.
	 * @return this assertion
	 */
	public TokenRequestAssert wasAnsweredWithToken() {
		isNotNull();
		if (this.actual.status() != 200) {
			failWithMessage("Expected a call answered with a token but it was %s", this.actual);
		}
		return this;
	}

	/**
	 * Verify that the call was refused with this OAuth 2.0 error.
	 * @param error the expected error, such as {@code invalid_grant}
	 * @return this assertion
	 */
	public TokenRequestAssert wasRefusedWith(String error) {
		isNotNull();
		if (!Objects.equals(this.actual.error(), error)) {
			failWithMessage("Expected a call refused with '%s' but it was %s", error, this.actual);
		}
		return this;
	}

}
