package io.tokenkit.test.server;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * One answer of a {@link LoopbackServer}: status, headers, body and how long to wait
 * before sending it.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body, sent as UTF-8; empty for none
 * @param delay how long to wait before sending the answer
 */
public record Answer(int status, Map<String, String> headers, String body, Duration delay) {

	/**
	 * Return an answer with a JSON body as given.
	 * @param status the status
	 * @param body the JSON text
	 * @return the answer
	 */
	public static Answer json(int status, String body) {
		return of(status, "application/json", body);
	}

	/**
	 * Return an answer with a value written as JSON.
	 * @param status the status
	 * @param value the value to write
	 * @return the answer
	 */
	public static Answer jsonOf(int status, Object value) {
		return jsonOf(status, "application/json", value);
	}

	/**
	 * Return an answer with a value written as JSON and a content type of its own.
	 * @param status the status
	 * @param contentType the content type
	 * @param value the value to write
	 * @return the answer
	 */
	public static Answer jsonOf(int status, String contentType, Object value) {
		return of(status, contentType, JsonMapper.shared().writeValueAsString(value));
	}

	/**
	 * Return an answer with an HTML page.
	 * @param status the status
	 * @param html the page
	 * @return the answer
	 */
	public static Answer html(int status, String html) {
		return of(status, "text/html;charset=UTF-8", html);
	}

	/**
	 * Return a {@code 302} answer to a location.
	 * @param location the location
	 * @return the answer
	 */
	public static Answer redirect(String location) {
		return empty(302).withHeader("Location", location);
	}

	/**
	 * Return an answer without a body.
	 * @param status the status
	 * @return the answer
	 */
	public static Answer empty(int status) {
		return new Answer(status, Map.of(), "", Duration.ZERO);
	}

	private static Answer of(int status, String contentType, String body) {
		return new Answer(status, Map.of("Content-Type", contentType), body, Duration.ZERO);
	}

	/**
	 * Return this answer with one more header.
	 * @param name the header's name
	 * @param value the header's value
	 * @return the answer
	 */
	public Answer withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new Answer(this.status, headers, this.body, this.delay);
	}

	/**
	 * Return this answer sent after a delay.
	 * @param delay the delay
	 * @return the answer
	 */
	public Answer delayedBy(Duration delay) {
		return new Answer(this.status, this.headers, this.body, delay);
	}

}
