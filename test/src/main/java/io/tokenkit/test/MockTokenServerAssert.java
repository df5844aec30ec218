package io.tokenkit.test;

import java.util.List;

import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on the token calls a {@link MockTokenServer} received, per
 * registration. Failure messages name the calls received, never a secret.
 */
public final class MockTokenServerAssert extends AbstractAssert<MockTokenServerAssert, MockTokenServer> {

	MockTokenServerAssert(MockTokenServer actual) {
		super(actual, MockTokenServerAssert.class);
	}

	/**
	 * Verify that a registration received exactly {@code expected} token calls, of any
	 * grant.
	 * @param registrationId the registration id
	 * @param expected the number of calls
	 * @return this assertion
	 */
	public MockTokenServerAssert receivedTokenCalls(String registrationId, int expected) {
		isNotNull();
		int calls = this.actual.tokenCalls(registrationId);
		if (calls != expected) {
			failWithMessage("Expected registration '%s' to have received %d token calls but it received %d: %s",
					registrationId, expected, calls, this.actual.requests(registrationId));
		}
		return this;
	}

	/**
	 * Verify that a registration received exactly {@code expected} token calls of one
	 * grant.
	 * @param registrationId the registration id
	 * @param grantType the grant type, such as {@code refresh_token}
	 * @param expected the number of calls
	 * @return this assertion
	 */
	public MockTokenServerAssert receivedTokenCalls(String registrationId, String grantType, int expected) {
		isNotNull();
		int calls = this.actual.tokenCalls(registrationId, grantType);
		if (calls != expected) {
			failWithMessage("Expected registration '%s' to have received %d %s calls but it received %d: %s",
					registrationId, expected, grantType, calls, this.actual.requests(registrationId));
		}
		return this;
	}

	/**
	 * Verify that every token call of a registration was answered with a token.
	 * @param registrationId the registration id
	 * @return this assertion
	 */
	public MockTokenServerAssert answeredEveryTokenCall(String registrationId) {
		isNotNull();
		List<TokenRequest> failed = this.actual.requests(registrationId)
			.stream()
			.filter((request) -> request.status() != 200)
			.toList();
		if (!failed.isEmpty()) {
			failWithMessage("Expected every token call of registration '%s' to have been answered with a token but "
					+ "these were not: %s", registrationId, failed);
		}
		return this;
	}

	/**
	 * Move on to the last token call a registration received.
	 * @param registrationId the registration id
	 * @return assertions on that call
	 */
	public TokenRequestAssert lastRequest(String registrationId) {
		isNotNull();
		TokenRequest last = this.actual.lastRequest(registrationId);
		if (last == null) {
			failWithMessage("Expected registration '%s' to have received a token call but it received none",
					registrationId);
		}
		return new TokenRequestAssert(last);
	}

}
