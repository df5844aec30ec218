package io.tokenkit.token;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code exp} claim of a token that is a JWT, <em>without verifying it</em>:
 * TokenKit only uses it to never hold a token past the expiry the token itself states;
 * whoever receives the token verifies it. A token that is not a JWT (not three
 * dot-separated Base64URL parts whose middle one is a JSON object with a numeric
 * {@code exp}) is an opaque token, never an error.
 */
public final class JwtExpiry {

	private static final JsonMapper json = JsonMapper.builder().build();

	/**
	 * The latest {@code exp} read, in epoch seconds: what epoch milliseconds can hold.
	 */
	private static final long LATEST_SECONDS = Long.MAX_VALUE / 1000 - 1;

	private JwtExpiry() {
	}

	/**
	 * Read the {@code exp} claim of a token.
	 * @param token the token
	 * @return the expiry, or {@code null} when the token is not a JWT with a positive
	 * numeric {@code exp} (an {@code exp} later than epoch milliseconds can hold is read
	 * as that latest time)
	 */
	public static @Nullable Instant read(String token) {
		int first = token.indexOf('.');
		int second = (first >= 0) ? token.indexOf('.', first + 1) : -1;
		if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
			return null;
		}
		try {
			byte[] payload = Base64.getUrlDecoder().decode(token.substring(first + 1, second));
			JsonNode claims = json.readTree(new String(payload, StandardCharsets.UTF_8));
			JsonNode exp = (claims != null && claims.isObject()) ? claims.get("exp") : null;
			if (exp == null || !exp.isNumber()) {
				return null;
			}
			BigDecimal seconds = exp.decimalValue().setScale(0, RoundingMode.FLOOR);
			if (seconds.signum() <= 0) {
				return null;
			}
			return Instant.ofEpochSecond(
					(seconds.compareTo(BigDecimal.valueOf(LATEST_SECONDS)) > 0) ? LATEST_SECONDS : seconds.longValue());
		}
		catch (IllegalArgumentException | ArithmeticException | JacksonException ex) {
			return null;
		}
	}

}
