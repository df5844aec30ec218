package io.tokenkit.support;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * An answer read once from a {@link ClientResponse}: its status, content type, headers,
 * body text and the body as JSON when it is JSON. The body is read up to a limit: a
 * larger one is not kept but marked {@link #isTooLarge() too large}. Internal to
 * TokenKit.
 */
public final class ResponseContent {

	private static final byte[] NO_BODY = new byte[0];

	private final int statusCode;

	private final boolean successful;

	private final String contentType;

	private final HttpHeaders headers;

	private final String body;

	private final @Nullable JsonNode json;

	private final boolean tooLarge;

	ResponseContent(int statusCode, boolean successful, @Nullable MediaType contentType, HttpHeaders headers,
			byte[] body) {
		this(statusCode, successful, contentType, headers, body, false);
	}

	private ResponseContent(int statusCode, boolean successful, @Nullable MediaType contentType, HttpHeaders headers,
			byte[] body, boolean tooLarge) {
		this.tooLarge = tooLarge;
		this.statusCode = statusCode;
		this.successful = successful;
		this.contentType = (contentType != null) ? contentType.toString() : "no content type";
		this.headers = HttpHeaders.readOnlyHttpHeaders(headers);
		Charset charset = (contentType != null && contentType.getCharset() != null) ? contentType.getCharset()
				: StandardCharsets.UTF_8;
		this.body = new String(body, charset);
		this.json = ResponseBodies.parse(this.body);
	}

	/**
	 * Read the body of a response, an empty body included, up to the default largest
	 * answer of {@link TokenCallPolicy#DEFAULT}.
	 * @param response the response
	 * @return the content, once the body has been read
	 */
	public static Mono<ResponseContent> read(ClientResponse response) {
		return read(response, TokenCallPolicy.DEFAULT.maxAnswerBytes());
	}

	/**
	 * Read the body of a response, an empty body included, holding no more than
	 * {@code maxBytes} of it: a larger body stops the reading (the rest is never
	 * buffered) and gives a content that is {@link #isTooLarge() too large}, without a
	 * body.
	 * @param response the response
	 * @param maxBytes the largest body to read
	 * @return the content, once the body has been read
	 */
	public static Mono<ResponseContent> read(ClientResponse response, int maxBytes) {
		Assert.notNull(response, "response must not be null");
		Assert.isTrue(maxBytes > 0, "maxBytes must be positive");
		int statusCode = response.statusCode().value();
		boolean successful = response.statusCode().is2xxSuccessful();
		MediaType contentType = response.headers().contentType().orElse(null);
		HttpHeaders headers = response.headers().asHttpHeaders();
		return DataBufferUtils.join(response.bodyToFlux(DataBuffer.class), maxBytes)
			.map(ResponseContent::bytes)
			.defaultIfEmpty(NO_BODY)
			.map((bytes) -> new ResponseContent(statusCode, successful, contentType, headers, bytes))
			.onErrorResume(DataBufferLimitException.class, (ex) -> Mono
				.just(new ResponseContent(statusCode, successful, contentType, headers, NO_BODY, true)));
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * Return the HTTP status.
	 * @return the status code
	 */
	public int getStatusCode() {
		return this.statusCode;
	}

	/**
	 * Return whether the status is 2xx.
	 * @return whether the answer is a success
	 */
	public boolean isSuccessful() {
		return this.successful;
	}

	/**
	 * Describe the content type, for error messages.
	 * @return the content type, or {@code "no content type"}
	 */
	public String getContentType() {
		return this.contentType;
	}

	/**
	 * Return the first value of a response header.
	 * @param name the header name
	 * @return the value, or {@code null} when the answer had none
	 */
	public @Nullable String getHeader(String name) {
		return this.headers.getFirst(name);
	}

	/**
	 * Return whether the body was larger than the limit it was read with; its text is
	 * then empty.
	 * @return whether the answer was too large
	 */
	public boolean isTooLarge() {
		return this.tooLarge;
	}

	/**
	 * Return how long the server asked to wait before the next call: the
	 * {@code Retry-After} of a {@code 429} or {@code 503}, an HTTP-date taken relative to
	 * the answer's own {@code Date}.
	 * @return the time to wait, or {@code null} when the answer is of another status or
	 * did not say
	 */
	public @Nullable Duration getRetryAfter() {
		if (this.statusCode != 429 && this.statusCode != 503) {
			return null;
		}
		return RetryAfter.parse(this.headers.getFirst(HttpHeaders.RETRY_AFTER),
				this.headers.getFirst(HttpHeaders.DATE));
	}

	/**
	 * Return the body as text, decoded with the charset of the content type (UTF-8 when
	 * it names none).
	 * @return the body, empty when there was none
	 */
	public String getBody() {
		return this.body;
	}

	/**
	 * Return the body as JSON.
	 * @return the JSON tree, or {@code null} when the body was empty or not JSON
	 */
	public @Nullable JsonNode getJson() {
		return this.json;
	}

	/**
	 * Return the body as a JSON object.
	 * @return the JSON object, or {@code null} when the body was not a JSON object
	 */
	public @Nullable JsonNode getJsonObject() {
		return (this.json != null && this.json.isObject()) ? this.json : null;
	}

	@Override
	public String toString() {
		return "ResponseContent[status=" + this.statusCode + ", contentType=" + this.contentType
				+ (this.tooLarge ? ", tooLarge" : "") + "]";
	}

}
