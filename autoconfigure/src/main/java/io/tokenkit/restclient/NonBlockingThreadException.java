package io.tokenkit.restclient;

import io.tokenkit.token.TokenKitException;

/**
 * Raised by {@link BearerTokenClientHttpRequestInterceptor} when it would have to wait
 * for a token call on a Reactor non-blocking thread (an event loop or a parallel
 * scheduler thread), where waiting would stall every other task of that thread. Reactive
 * code sends its requests with a {@code WebClient} and the TokenKit filter instead.
 */
public class NonBlockingThreadException extends TokenKitException {

	private final String registrationId;

	/**
	 * Create an exception.
	 * @param registrationId the registration whose token was needed
	 * @param threadName the name of the non-blocking thread
	 */
	public NonBlockingThreadException(String registrationId, String threadName) {
		super("The RestClient interceptor of registration '" + registrationId
				+ "' has no usable token and will not wait for a token call on the Reactor non-blocking thread '"
				+ threadName + "'. In reactive code, use a WebClient with TokenKit's filter "
				+ "(BearerTokenFilters or the tokenkit.clients WebClient bean); or call the RestClient from a "
				+ "thread that may block, such as Schedulers.boundedElastic().");
		this.registrationId = registrationId;
	}

	/**
	 * Return the registration whose token was needed.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

}
