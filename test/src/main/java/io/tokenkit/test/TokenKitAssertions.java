package io.tokenkit.test;

/**
 * Entry point of the kit's AssertJ assertions: {@code assertThat(tokenServer)},
 * {@code assertThat(resourceServer)} and {@code assertThat(tokenRequest)}.
 */
public final class TokenKitAssertions {

	private TokenKitAssertions() {
	}

	/**
	 * Assertions on the calls a mock token server received.
	 * @param actual the server
	 * @return the assertions
	 */
	public static MockTokenServerAssert assertThat(MockTokenServer actual) {
		return new MockTokenServerAssert(actual);
	}

	/**
	 * Assertions on the requests a resource-server stand-in received.
	 * @param actual the server
	 * @return the assertions
	 */
	public static MockResourceServerAssert assertThat(MockResourceServer actual) {
		return new MockResourceServerAssert(actual);
	}

	/**
	 * Assertions on one token call.
	 * @param actual the call
	 * @return the assertions
	 */
	public static TokenRequestAssert assertThat(TokenRequest actual) {
		return new TokenRequestAssert(actual);
	}

}
