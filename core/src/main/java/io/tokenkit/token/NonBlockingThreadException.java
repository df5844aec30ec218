package io.tokenkit.token;

import org.jspecify.annotations.Nullable;

/**
 * Raised when TokenKit code that would wait, for a token call or for a vendor API answer,
 * is called on a Reactor non-blocking thread (an event loop or a parallel scheduler
 * thread, those for which {@code Schedulers.isInNonBlockingThread()} is true), where
 * waiting would stall every other task of that thread. It is raised before anything is
 * sent. Two callers raise it: the {@code RestClient} interceptor, when it has no usable
 * token and would wait for a token call, and the blocking vendor clients
 * ({@code BlockingSaasusClient}, {@code BlockingGmoAozoraClient},
 * {@code BlockingAuthleteClient}), which always wait. Reactive code uses TokenKit's
 * reactive API instead: a {@code WebClient} with TokenKit's filter and the vendor clients
 * that return a {@code Mono}.
 */
public class NonBlockingThreadException extends TokenKitException {

	private final @Nullable String registrationId;

	private final String threadName;

	/**
	 * Create an exception for the {@code RestClient} interceptor, which would wait for a
	 * token of a registration.
	 * @param registrationId the registration whose token was needed
	 * @param threadName the name of the non-blocking thread
	 */
	public NonBlockingThreadException(String registrationId, String threadName) {
		this("The RestClient interceptor of registration '" + registrationId
				+ "' has no usable token and will not wait for a token call on the Reactor non-blocking thread '"
				+ threadName + "'. In reactive code, use a WebClient with TokenKit's filter "
				+ "(BearerTokenFilters or the tokenkit.clients WebClient bean); or call the RestClient from a "
				+ "thread that may block, such as Schedulers.boundedElastic().", registrationId, threadName);
	}

	private NonBlockingThreadException(String message, @Nullable String registrationId, String threadName) {
		super(message);
		this.registrationId = registrationId;
		this.threadName = threadName;
	}

	/**
	 * Create an exception for a blocking vendor client, which would wait for the answer
	 * of a vendor API.
	 * @param call the blocking call, for example
	 * {@code BlockingSaasusClient.getCredentials}
	 * @param reactiveCall the call that reactive code makes instead, for example
	 * {@code SaasusClient.getCredentials}
	 * @param threadName the name of the non-blocking thread
	 * @return the exception
	 */
	public static NonBlockingThreadException forBlockingCall(String call, String reactiveCall, String threadName) {
		return new NonBlockingThreadException(call + " waits for its answer and will not run on the Reactor "
				+ "non-blocking thread '" + threadName + "'. In reactive code, use " + reactiveCall
				+ ", which returns a Mono; or call " + call + " from a thread that may block, such as a "
				+ "servlet request thread, a virtual thread or Schedulers.boundedElastic().", null, threadName);
	}

	/**
	 * Return the registration whose token was needed.
	 * @return the registration id, or {@code null} when a vendor client would have waited
	 */
	public @Nullable String getRegistrationId() {
		return this.registrationId;
	}

	/**
	 * Return the name of the non-blocking thread the call was made on.
	 * @return the thread name
	 */
	public String getThreadName() {
		return this.threadName;
	}

}
