package io.tokenkit.saasus;

import org.jspecify.annotations.Nullable;

/**
 * Optional headers of one SaaSus API call, none of them signed: {@code X-SaaSus-Trace-Id}
 * (SaaSus continues the given trace), {@code Referer} and {@code X-SaaSus-Referer}
 * (forwarded from the end user's request, as the SaaSus SDKs do). A {@code null} or empty
 * value sends no header.
 *
 * @param traceId the value of {@code X-SaaSus-Trace-Id}, or {@code null}
 * @param referer the value of {@code Referer}, or {@code null}
 * @param saasusReferer the value of {@code X-SaaSus-Referer}, or {@code null}
 */
public record SaasusRequestHeaders(@Nullable String traceId, @Nullable String referer, @Nullable String saasusReferer) {

	/** No optional header. */
	public static final SaasusRequestHeaders NONE = new SaasusRequestHeaders(null, null, null);

	/** The SaaSus trace header, sent on requests and answered on every response. */
	public static final String TRACE_ID_HEADER = "X-SaaSus-Trace-Id";

	/** The header SaaSus front-end SDKs set and back ends forward. */
	public static final String SAASUS_REFERER_HEADER = "X-SaaSus-Referer";

	/**
	 * Return headers that carry only a trace id.
	 * @param traceId the trace id
	 * @return the headers
	 */
	public static SaasusRequestHeaders traceId(String traceId) {
		return new SaasusRequestHeaders(traceId, null, null);
	}

}
