package io.tokenkit.support;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.WebClientException;

/**
 * A call that ended without an answer, described safely: by the simple class name of the
 * most specific cause of its {@link Throwable} (of the timeout, when it timed out), with
 * a cause to keep only when it cannot hold the request. Internal to TokenKit.
 * <p>
 * Spring's {@link WebClientException}s carry the request URI (whose query or path may
 * hold codes, tokens and identifiers) and the request headers (with credentials), so they
 * are never kept. The most specific cause is kept only when it is a connection failure,
 * an unknown host or a timeout, has no suppressed exceptions, and its message holds
 * nothing that looks like a URL or a query; otherwise the caller gets no cause.
 */
public final class TransportFailure {

	private final String description;

	private final @Nullable Throwable cause;

	private final boolean notSent;

	private final boolean timeout;

	private TransportFailure(String description, @Nullable Throwable cause, boolean notSent, boolean timeout) {
		this.description = description;
		this.cause = cause;
		this.notSent = notSent;
		this.timeout = timeout;
	}

	/**
	 * Describe a failure.
	 * @param failure the failure, typically a {@code WebClientRequestException}
	 * @return the description
	 */
	public static TransportFailure of(Throwable failure) {
		Assert.notNull(failure, "failure must not be null");
		Throwable root = NestedExceptionUtils.getMostSpecificCause(failure);
		boolean notSent = false;
		Throwable timeout = null;
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable candidate = failure; candidate != null
				&& seen.add(candidate); candidate = candidate.getCause()) {
			notSent |= candidate instanceof ConnectException || candidate instanceof UnknownHostException;
			if (timeout == null && isTimeout(candidate)) {
				timeout = candidate;
			}
		}
		// A timeout is described by its own exception: the JDK client's
		// HttpTimeoutException may have the IOException of the closed connection below it
		Class<?> described = (timeout != null) ? timeout.getClass() : root.getClass();
		String name = described.getSimpleName();
		return new TransportFailure(name.isEmpty() ? described.getName() : name, isSafe(root) ? root : null, notSent,
				timeout != null);
	}

	private static boolean isTimeout(Throwable candidate) {
		// Netty's ReadTimeoutException and the JDK client's HttpTimeoutException are not
		// TimeoutExceptions
		return candidate instanceof TimeoutException || candidate instanceof SocketTimeoutException
				|| candidate.getClass().getSimpleName().endsWith("TimeoutException");
	}

	private static boolean isSafe(Throwable root) {
		if (root instanceof WebClientException || root.getCause() != null || root.getSuppressed().length > 0) {
			return false;
		}
		boolean known = root instanceof ConnectException || root instanceof UnknownHostException
				|| root instanceof SocketTimeoutException || root instanceof TimeoutException;
		String message = root.getMessage();
		return known && (message == null || (!message.contains("://") && !message.contains("?")));
	}

	/**
	 * Return the simple class name of the timeout, when the call timed out, or of the
	 * most specific cause otherwise, for example {@code ConnectException}.
	 * @return the description
	 */
	public String getDescription() {
		return this.description;
	}

	/**
	 * Return the cause an exception may keep.
	 * @return the most specific cause when it is safe to keep, otherwise {@code null}
	 */
	public @Nullable Throwable getCause() {
		return this.cause;
	}

	/**
	 * Return whether the request was certainly not sent: a connection was refused or the
	 * host is unknown ({@link ConnectException} or {@link UnknownHostException} anywhere
	 * in the cause chain), so that even a single-use credential may be sent again.
	 * @return whether nothing reached the server
	 */
	public boolean isNotSent() {
		return this.notSent;
	}

	/**
	 * Return whether the call timed out, connecting or waiting for the answer.
	 * @return whether the call timed out
	 */
	public boolean isTimeout() {
		return this.timeout;
	}

	/**
	 * Describe what happened for a message: {@code "timed out (ReadTimeoutException)"} or
	 * {@code "could not be reached (ConnectException)"}.
	 * @return the description
	 */
	public String describe() {
		return (this.timeout ? "timed out (" : "could not be reached (") + this.description + ")";
	}

	@Override
	public String toString() {
		return "TransportFailure[" + this.description + ", notSent=" + this.notSent + ", timeout=" + this.timeout + "]";
	}

}
