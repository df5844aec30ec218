package io.tokenkit.test;

import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractStringAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on the requests a {@link MockResourceServer} received.
 */
public final class MockResourceServerAssert extends AbstractAssert<MockResourceServerAssert, MockResourceServer> {

	MockResourceServerAssert(MockResourceServer actual) {
		super(actual, MockResourceServerAssert.class);
	}

	/**
	 * Verify that exactly {@code expected} requests arrived.
	 * @param expected the number of requests
	 * @return this assertion
	 */
	public MockResourceServerAssert receivedRequests(int expected) {
		isNotNull();
		int received = this.actual.receivedRequests();
		if (received != expected) {
			failWithMessage("Expected %d requests but the resource server received %d: %s", expected, received,
					this.actual.requests());
		}
		return this;
	}

	/**
	 * Verify that exactly {@code expected} requests were answered with this status.
	 * @param status the status, such as 401
	 * @param expected the number of requests
	 * @return this assertion
	 */
	public MockResourceServerAssert answered(int status, int expected) {
		isNotNull();
		long answered = this.actual.requests().stream().filter((request) -> request.status() == status).count();
		if (answered != expected) {
			failWithMessage("Expected %d requests answered %d but there were %d: %s", expected, status, answered,
					this.actual.requests());
		}
		return this;
	}

	/**
	 * Move on to the token the last request carried.
	 * @return assertions on that token
	 */
	public AbstractStringAssert<?> lastToken() {
		isNotNull();
		return Assertions.assertThat(this.actual.lastToken())
			.as("the token of the last request")
			.withRepresentation(TokenFingerprints.INSTANCE);
	}

}
