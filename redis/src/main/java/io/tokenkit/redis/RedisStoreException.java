package io.tokenkit.redis;

import io.tokenkit.token.TokenKitException;

/**
 * Raised when a Redis call of a {@link RedisOneTimeValueStore} fails or does not answer
 * within its time limit, so that the store can tell neither yes nor no. The message names
 * Redis and the operation, never a key or a value; the cause is the client's own
 * exception.
 */
public class RedisStoreException extends TokenKitException {

	private final String operation;

	/**
	 * Create an exception.
	 * @param operation the operation that failed, for example {@code one-time-consume}
	 * @param message what went wrong and what to do
	 * @param cause the client's exception
	 */
	public RedisStoreException(String operation, String message, Throwable cause) {
		super(message, cause);
		this.operation = operation;
	}

	/**
	 * Return the operation that failed.
	 * @return the operation, for example {@code one-time-consume}
	 */
	public String getOperation() {
		return this.operation;
	}

}
