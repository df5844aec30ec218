package io.tokenkit.oauth2;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.support.ResponseBodies;

import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * Reads a successful token endpoint answer (RFC 6749 §5.1) into an
 * {@link OAuth2TokenResponse}, or raises an {@link OAuth2TokenException} that names the
 * registration and says what was wrong with it. Stateless: one instance serves every
 * client.
 * <p>
 * {@code token_type} defaults to {@code Bearer}; {@code expires_in} may be a number or a
 * string of digits, and must be a whole number of seconds from 1 to
 * {@value #MAX_EXPIRES_IN}; {@code scope} may be a string or an array of strings; the
 * other standard members must be strings when present. A success status whose body is an
 * OAuth 2.0 error ({@code error}) is raised as that error. Members other than the
 * standard ones are kept as additional parameters. An answer refused for any other reason
 * that has a {@code refresh_token} raises an exception that
 * {@linkplain io.tokenkit.token.TokenApiException#rotatedRefreshTokenOf(Throwable)
 * carries} it.
 */
public final class OAuth2TokenResponseParser {

	/**
	 * The largest {@code expires_in} read as a lifetime (2<sup>31</sup>-1 seconds, some
	 * 68 years); a larger one is not a lifetime but a broken answer.
	 */
	public static final long MAX_EXPIRES_IN = Integer.MAX_VALUE;

	private static final int MAX_SHOWN = 32;

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * Read a success answer.
	 * @param registrationId the registration (or client name), named in errors
	 * @param statusCode the HTTP status of the answer
	 * @param body the body as JSON, or {@code null} when it was empty or not JSON
	 * @param contentType the content type of the answer, for messages
	 * @return the token response
	 * @throws OAuth2TokenException when the body is not a JSON object, is an OAuth 2.0
	 * error, has no usable {@code access_token}, has a standard member of the wrong type,
	 * or has an {@code expires_in} that is not a whole number of seconds from 1 to
	 * {@value #MAX_EXPIRES_IN}
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
		JsonNode error = body.get("error");
		if (error != null && error.isString() && !error.stringValue().isBlank()) {
			throw errorInSuccess(registrationId, statusCode, error.stringValue());
		}
		try {
			return read(registrationId, statusCode, body);
		}
		catch (OAuth2TokenException ex) {
			// the server may have rotated to the refresh token of the answer refused
			JsonNode refreshToken = body.get("refresh_token");
			throw ex.carryingRefreshToken(
					(refreshToken != null && refreshToken.isString()) ? refreshToken.stringValue() : null);
		}
	}

	private static OAuth2TokenResponse read(String registrationId, int statusCode, JsonNode body) {
		String accessToken = string(registrationId, statusCode, body, "access_token");
		if (accessToken == null || !StringUtils.hasText(accessToken)) {
			throw new OAuth2TokenException(registrationId, statusCode, null, null, null,
					"Token endpoint of '" + registrationId + "' answered " + statusCode + " without an access_token");
		}
		if (!isVisibleAscii(accessToken)) {
			throw failure(registrationId, statusCode,
					"an access_token with characters a token cannot have (RFC 6749 A.12 allows visible ASCII and space only)");
		}
		String tokenType = string(registrationId, statusCode, body, "token_type");
		if (tokenType != null && !isVisibleAscii(tokenType)) {
			throw failure(registrationId, statusCode, "a token_type with characters a token type cannot have");
		}
		Map<String, Object> additional = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			switch (field.getKey()) {
				case "access_token", "token_type", "expires_in", "refresh_token", "scope", "id_token" -> {
				}
				default -> additional.put(field.getKey(), json.convertValue(field.getValue(), Object.class));
			}
		}
		return new OAuth2TokenResponse(accessToken, StringUtils.hasText(tokenType) ? tokenType.strip() : "Bearer",
				expiresIn(registrationId, statusCode, body.get("expires_in")),
				string(registrationId, statusCode, body, "refresh_token"), scope(registrationId, statusCode, body),
				string(registrationId, statusCode, body, "id_token"), Collections.unmodifiableMap(additional));
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

	private static OAuth2TokenException errorInSuccess(String registrationId, int statusCode, String error) {
		// the description may echo what the request sent, and this parser does not know
		// the secrets to redact: only an error code of RFC 6749's characters is kept
		String code = isErrorCode(error) ? error : null;
		return new OAuth2TokenException(registrationId, statusCode, code, null, null,
				"Token endpoint of '" + registrationId + "' answered " + statusCode + " with an OAuth 2.0 error"
						+ ((code != null) ? " (" + code + ")" : "") + " instead of a token");
	}

	private static @Nullable String string(String registrationId, int statusCode, JsonNode body, String member) {
		JsonNode value = body.get(member);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isString()) {
			throw failure(registrationId, statusCode, "a " + member + " that is not a string");
		}
		return value.stringValue();
	}

	private static @Nullable String scope(String registrationId, int statusCode, JsonNode body) {
		JsonNode value = body.get("scope");
		if (value != null && value.isArray()) {
			StringBuilder scope = new StringBuilder();
			for (JsonNode element : value) {
				if (!element.isString()) {
					throw failure(registrationId, statusCode, "a scope array with a member that is not a string");
				}
				scope.append((scope.length() > 0) ? " " : "").append(element.stringValue());
			}
			return scope.toString();
		}
		return string(registrationId, statusCode, body, "scope");
	}

	private static @Nullable Long expiresIn(String registrationId, int statusCode, @Nullable JsonNode value) {
		if (value == null || value.isNull()) {
			return null;
		}
		BigDecimal seconds = null;
		String shown;
		if (value.isNumber()) {
			shown = value.toString();
			try {
				seconds = value.decimalValue();
			}
			catch (RuntimeException ex) {
				// a number no decimal can hold: not a lifetime
			}
		}
		else if (value.isString()) {
			shown = value.stringValue().strip();
			if (!shown.isEmpty() && shown.length() <= 40) {
				try {
					seconds = new BigDecimal(shown);
				}
				catch (NumberFormatException ex) {
					// not a number
				}
			}
		}
		else {
			shown = "";
		}
		if (seconds == null || !isWhole(seconds)) {
			throw failure(registrationId, statusCode, "an expires_in that is not a whole number of seconds");
		}
		if (seconds.signum() <= 0) {
			throw failure(registrationId, statusCode,
					"an expires_in of " + show(shown) + "; a token must live at least one second");
		}
		if (seconds.compareTo(BigDecimal.valueOf(MAX_EXPIRES_IN)) > 0) {
			throw failure(registrationId, statusCode, "an expires_in of " + show(shown) + ", more than the "
					+ MAX_EXPIRES_IN + " seconds (68 years) any token lives");
		}
		return seconds.longValueExact();
	}

	private static boolean isWhole(BigDecimal value) {
		return value.signum() == 0 || value.scale() <= 0 || value.stripTrailingZeros().scale() <= 0;
	}

	private static String show(String value) {
		return (value.length() <= MAX_SHOWN) ? value : value.substring(0, MAX_SHOWN) + "…";
	}

	private static boolean isVisibleAscii(String value) {
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Whether a text is an error code as RFC 6749 §5.2 allows: %x20-21 / %x23-5B /
	 * %x5D-7E, short.
	 */
	private static boolean isErrorCode(String error) {
		if (error.length() > 64) {
			return false;
		}
		for (int i = 0; i < error.length(); i++) {
			char c = error.charAt(i);
			if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
				return false;
			}
		}
		return true;
	}

	private static OAuth2TokenException failure(String registrationId, int statusCode, String what) {
		return new OAuth2TokenException(registrationId, statusCode, null, null, null,
				"Token endpoint of '" + registrationId + "' answered " + statusCode + " with " + what);
	}

	@Override
	public String toString() {
		return "OAuth2TokenResponseParser";
	}

}
