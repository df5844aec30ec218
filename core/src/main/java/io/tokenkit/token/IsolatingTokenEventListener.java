package io.tokenkit.token;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TokenEventListener} that calls another and keeps whatever it throws from the
 * caller; made by {@link TokenEventListener#isolating(TokenEventListener)}.
 * <p>
 * The first failure of each listener class in each event is logged at {@code WARN}, once
 * per class loaded, with the class name of the exception only: its message, and those of
 * its causes, may hold a token, so the stack trace is logged through a stand-in that
 * carries the frames without the messages.
 */
final class IsolatingTokenEventListener implements TokenEventListener {

	private static final Log logger = LogFactory.getLog(TokenEventListener.class);

	/** For each listener class, one bit per event whose failure was logged. */
	private static final ClassValue<AtomicInteger> LOGGED = new ClassValue<>() {

		@Override
		protected AtomicInteger computeValue(Class<?> type) {
			return new AtomicInteger();
		}

	};

	private static final int MAX_CAUSES = 8;

	private final TokenEventListener delegate;

	IsolatingTokenEventListener(TokenEventListener delegate) {
		this.delegate = delegate;
	}

	@Override
	public void cacheHit(String registrationId) {
		try {
			this.delegate.cacheHit(registrationId);
		}
		catch (Throwable ex) {
			failed(Event.CACHE_HIT, ex);
		}
	}

	@Override
	public void cacheMiss(String registrationId) {
		try {
			this.delegate.cacheMiss(registrationId);
		}
		catch (Throwable ex) {
			failed(Event.CACHE_MISS, ex);
		}
	}

	@Override
	public void refreshAhead(String registrationId) {
		try {
			this.delegate.refreshAhead(registrationId);
		}
		catch (Throwable ex) {
			failed(Event.REFRESH_AHEAD, ex);
		}
	}

	@Override
	public void acquisitionSucceeded(TokenKey key, AccessToken token, boolean refresh) {
		try {
			this.delegate.acquisitionSucceeded(key, token, refresh);
		}
		catch (Throwable ex) {
			failed(Event.ACQUISITION_SUCCEEDED, ex);
		}
	}

	@Override
	public void acquisitionFailed(TokenKey key, Throwable error, boolean refresh) {
		try {
			this.delegate.acquisitionFailed(key, error, refresh);
		}
		catch (Throwable ex) {
			failed(Event.ACQUISITION_FAILED, ex);
		}
	}

	@Override
	public void tokenSaved(TokenKey key, AccessToken token) {
		try {
			this.delegate.tokenSaved(key, token);
		}
		catch (Throwable ex) {
			failed(Event.TOKEN_SAVED, ex);
		}
	}

	@Override
	public void revocationSucceeded(TokenKey key) {
		try {
			this.delegate.revocationSucceeded(key);
		}
		catch (Throwable ex) {
			failed(Event.REVOCATION_SUCCEEDED, ex);
		}
	}

	@Override
	public void revocationFailed(TokenKey key, Throwable error) {
		try {
			this.delegate.revocationFailed(key, error);
		}
		catch (Throwable ex) {
			failed(Event.REVOCATION_FAILED, ex);
		}
	}

	@Override
	public void retried(String registrationId) {
		try {
			this.delegate.retried(registrationId);
		}
		catch (Throwable ex) {
			failed(Event.RETRIED, ex);
		}
	}

	private void failed(Event event, Throwable ex) {
		if (ex instanceof VirtualMachineError error) {
			throw error;
		}
		Class<?> listenerClass = this.delegate.getClass();
		AtomicInteger logged = LOGGED.get(listenerClass);
		int bit = 1 << event.ordinal();
		int before = logged.getAndAccumulate(bit, (current, update) -> current | update);
		if ((before & bit) == 0 && logger.isWarnEnabled()) {
			logger.warn(
					"TokenEventListener " + listenerClass.getName() + " failed in " + event.methodName + " ("
							+ ex.getClass().getName()
							+ "); TokenKit goes on; later failures of this listener in this event" + " are not logged",
					withoutMessages(ex, MAX_CAUSES));
		}
	}

	@Override
	public String toString() {
		return "IsolatingTokenEventListener[" + this.delegate.getClass().getName() + "]";
	}

	/**
	 * Return a stand-in for {@code ex} that keeps its class name and stack frames, and
	 * those of its causes, but none of their messages.
	 */
	private static Throwable withoutMessages(Throwable ex, int causes) {
		Throwable cause = ex.getCause();
		Throwable redactedCause = (cause != null && cause != ex && causes > 0) ? withoutMessages(cause, causes - 1)
				: null;
		ListenerFailure failure = new ListenerFailure(ex.getClass().getName(), redactedCause);
		failure.setStackTrace(ex.getStackTrace());
		return failure;
	}

	/**
	 * The events of a {@link TokenEventListener}, by method.
	 */
	private enum Event {

		CACHE_HIT("cacheHit"), CACHE_MISS("cacheMiss"), REFRESH_AHEAD("refreshAhead"),
		ACQUISITION_SUCCEEDED("acquisitionSucceeded"), ACQUISITION_FAILED("acquisitionFailed"),
		TOKEN_SAVED("tokenSaved"), RETRIED("retried"), REVOCATION_SUCCEEDED("revocationSucceeded"),
		REVOCATION_FAILED("revocationFailed");

		private final String methodName;

		Event(String methodName) {
			this.methodName = methodName;
		}

	}

	/**
	 * Stands in, in a log, for an exception a listener threw: its message is the class
	 * name of that exception, its stack trace that exception's.
	 */
	private static final class ListenerFailure extends RuntimeException {

		ListenerFailure(String exceptionClassName, @Nullable Throwable cause) {
			super(exceptionClassName + " (message withheld)", cause, false, true);
		}

	}

}
