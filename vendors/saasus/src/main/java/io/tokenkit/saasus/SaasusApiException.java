package io.tokenkit.saasus;

import java.time.Duration;
import java.util.Collections;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenApiException;

/**
 * A SaaSus API call failed: SaaSus answered an error status with its {@code Error} body
 * ({@code type}, {@code message}, {@code data}), answered with a body that could not be
 * read, or could not be reached (status {@code 0}). Carries the operation, the HTTP
 * status, the error fields and the {@code X-SaaSus-Trace-Id} of the response, and never a
 * token, a code, a secret or the request URL.
 */
public class SaasusApiException extends TokenApiException {

	private final String operation;

	private final @Nullable String type;

	private final @Nullable String errorMessage;

	private final Map<String, Object> data;

	private final @Nullable String traceId;

	/**
	 * Create an exception.
	 * @param message the exception message; never a token, code, secret or URL
	 * @param statusCode the HTTP status, or {@code 0} when no response arrived
	 * @param operation the operation, for example {@code get-credentials}
	 * @param type the {@code type} of the error body, or {@code null} when there was none
	 * @param errorMessage the {@code message} of the error body, or {@code null}
	 * @param data the {@code data} of the error body, empty when absent
	 * @param traceId the {@code X-SaaSus-Trace-Id} of the response, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public SaasusApiException(String message, int statusCode, String operation, @Nullable String type,
			@Nullable String errorMessage, Map<String, Object> data, @Nullable String traceId,
			@Nullable Throwable cause) {
		this(message, statusCode, operation, type, errorMessage, data, traceId, null, cause);
	}

	/**
	 * Create an exception for an answer that may have said when to try again
	 * ({@code Retry-After} of a {@code 429} or {@code 503}).
	 * @param message the exception message; never a token, code, secret or URL
	 * @param statusCode the HTTP status, or {@code 0} when no response arrived
	 * @param operation the operation, for example {@code get-credentials}
	 * @param type the {@code type} of the error body, or {@code null} when there was none
	 * @param errorMessage the {@code message} of the error body, or {@code null}
	 * @param data the {@code data} of the error body, empty when absent
	 * @param traceId the {@code X-SaaSus-Trace-Id} of the response, or {@code null}
	 * @param retryAfter how long SaaSus asked to wait, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public SaasusApiException(String message, int statusCode, String operation, @Nullable String type,
			@Nullable String errorMessage, Map<String, Object> data, @Nullable String traceId,
			@Nullable Duration retryAfter, @Nullable Throwable cause) {
		super(message, statusCode, retryAfter, cause);
		this.operation = operation;
		this.type = type;
		this.errorMessage = errorMessage;
		this.data = Collections.unmodifiableMap(data);
		this.traceId = traceId;
	}

	/**
	 * Return the operation that failed: {@code save-credentials}, {@code get-credentials}
	 * or {@code refresh}.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * Return whether the refresh token sent is dead: a {@code refresh} answered
	 * {@code 404}, which SaaSus gives for an unknown or expired refresh token, so that
	 * the user must sign in again.
	 * @return whether a new authorization is needed
	 */
	@Override
	public boolean isReauthorizationRequired() {
		return getStatusCode() == 404 && SaasusClient.REFRESH.equals(this.operation);
	}

	/**
	 * Return the machine-readable {@code type} of the SaaSus error, for example
	 * {@code permission_denied}.
	 * @return the type, or {@code null} when the answer carried no SaaSus error body
	 */
	public @Nullable String getType() {
		return this.type;
	}

	/**
	 * Return the human-readable {@code message} of the SaaSus error.
	 * @return the message, or {@code null} when the answer carried none
	 */
	public @Nullable String getErrorMessage() {
		return this.errorMessage;
	}

	/**
	 * Return the free-form {@code data} of the SaaSus error.
	 * @return the data, empty when absent
	 */
	public Map<String, Object> getData() {
		return this.data;
	}

	/**
	 * Return the {@code X-SaaSus-Trace-Id} of the response, to quote to SaaSus support.
	 * @return the trace id, or {@code null}
	 */
	public @Nullable String getTraceId() {
		return this.traceId;
	}

}
