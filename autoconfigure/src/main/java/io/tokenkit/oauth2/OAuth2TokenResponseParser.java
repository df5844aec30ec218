package io.tokenkit.oauth2;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.support.ResponseBodies;

import org.springframework.util.Assert;

/**
 * Reads a successful token endpoint answer (RFC 6749 §5.1) into an
 * {@link OAuth2TokenResponse}, or raises an {@link OAuth2TokenException} that says what
 * was wrong with it. Stateless: one instance serves every client.
 * <p>
 * {@code token_type} defaults to {@code Bearer}; {@code expires_in} may be a number or a
 * string of digits; members other than the standard ones are kept as additional
 * parameters.
 */
public final class OAuth2TokenResponseParser {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Read a success answer.
	 * @param registrationId the registration (or client name), named in errors
	 * @param statusCode the HTTP status of the answer
	 * @param body the body as JSON, or {@code null} when it was empty or not JSON
	 * @param contentType the content type of the answer, for messages
	 * @return the token response
	 * @throws OAuth2TokenException when the body is not a JSON object, has no
	 * {@code access_token}, or has an {@code expires_in} that is not a whole number
	 */
	public OAuth2TokenResponse parse(String registrationId, int statusCode, @Nullable JsonNode body,
			String contentType) {
		Assert.notNull(registrationId, "registrationId must not be null");
		Assert.notNull(contentType, "contentType must not be null");
		if (body == null || !body.isObject()) {
			throw new OAuth2TokenException(registrationId, statusCode, null, null, null,
					"Token endpoint of '" + registrationId + "' answered " + statusCode
							+ " with a body that is not a JSON object (" + contentType + "); check its token-uri");
		}
		String accessToken = ResponseBodies.text(body, "access_token");
		if (accessToken == null || accessToken.isEmpty()) {
			throw new OAuth2TokenException(registrationId, statusCode, null, null, null,
					"Token endpoint of '" + registrationId + "' answered " + statusCode + " without an access_token");
		}
		String tokenType = ResponseBodies.text(body, "token_type");
		Map<String, Object> additional = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			switch (field.getKey()) {
				case "access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token" -> {
				}
				default -> additional.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
			}
		}
		return new OAuth2TokenResponse(accessToken, (tokenType != null) ? tokenType : "Bearer",
				expiresIn(registrationId, statusCode, body.get("expires_in")),
				ResponseBodies.text(body, "refresh_token"), ResponseBodies.text(body, "scope"),
				ResponseBodies.text(body, "id_token"), Collections.unmodifiableMap(additional));
	}

	/**
	 * Read a success answer from its text.
	 * @param registrationId the registration (or client name), named in errors
	 * @param statusCode the HTTP status of the answer
	 * @param body the body text, empty when there was none
	 * @param contentType the content type of the answer, for messages
	 * @return the token response
	 * @throws OAuth2TokenException when the body is not a usable token response
	 */
	public OAuth2TokenResponse parse(String registrationId, int statusCode, String body, String contentType) {
		Assert.notNull(body, "body must not be null");
		return parse(registrationId, statusCode, ResponseBodies.parse(body), contentType);
	}

	private static @Nullable Long expiresIn(String registrationId, int statusCode, @Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isIntegralNumber()) {
			return value.longValue();
		}
		if (value.isString()) {
			try {
				return Long.parseLong(value.stringValue().trim());
			}
			catch (NumberFormatException ex) {
				// fall through
			}
		}
		throw new OAuth2TokenException(registrationId, statusCode, null, null, null, "Token endpoint of '"
				+ registrationId + "' answered an expires_in that is not a whole number of seconds");
	}

	@Override
	public String toString() {
		return "OAuth2TokenResponseParser";
	}

}
