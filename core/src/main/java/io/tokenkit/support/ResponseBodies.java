package io.tokenkit.support;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;

/**
 * Reads the bodies of token and credential API answers leniently into {@link JsonNode}s:
 * a body that is empty or not JSON gives {@code null} instead of an exception, so that
 * each client can say clearly what it got instead. Internal to TokenKit.
 */
public final class ResponseBodies {

	private static final JsonMapper json = JsonMapper.builder().build();

	private ResponseBodies() {
	}

	/**
	 * Parse a body as JSON.
	 * @param body the body
	 * @return the JSON tree, or {@code null} when the body is blank or not JSON
	 */
	public static @Nullable JsonNode parse(String body) {
		if (body.isBlank()) {
			return null;
		}
		try {
			return json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Parse a body as JSON.
	 * @param body the body bytes
	 * @return the JSON tree, or {@code null} when the body is empty or not JSON
	 */
	public static @Nullable JsonNode parse(byte[] body) {
		if (body.length == 0) {
			return null;
		}
		try {
			return json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	/**
	 * Return a member of a JSON object as text: a string as it is, a number or boolean in
	 * its JSON form, an object or array as JSON text.
	 * @param node the object
	 * @param field the member name
	 * @return the text, or {@code null} when the member is absent or {@code null}
	 */
	public static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		return value.isValueNode() ? value.asString() : value.toString();
	}

	/**
	 * Describe the content type of a response, for error messages.
	 * @param response the response
	 * @return the content type, or {@code "no content type"}
	 */
	public static String contentType(ClientResponse response) {
		return response.headers().contentType().map(MediaType::toString).orElse("no content type");
	}

}
