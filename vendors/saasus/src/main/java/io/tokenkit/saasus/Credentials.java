package io.tokenkit.saasus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The SaaSus {@code Credentials} model: the ID, access and (optional) refresh token of
 * one user. It is the request body of {@code POST /credentials} and the response body of
 * {@code GET /credentials}.
 * <p>
 * {@link #toString()} never shows a token. Serialized with the wire names
 * {@code id_token}, {@code access_token} and {@code refresh_token}, in that order; an
 * absent refresh token is omitted.
 *
 * @param idToken the ID token, never empty
 * @param accessToken the access token, never empty
 * @param refreshToken the refresh token, or {@code null} when absent
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Credentials(@JsonProperty("id_token") String idToken, @JsonProperty("access_token") String accessToken,
		@JsonProperty("refresh_token") @Nullable String refreshToken) {

	public Credentials {
		Assert.hasText(idToken, "idToken must not be empty");
		Assert.hasText(accessToken, "accessToken must not be empty");
	}

	@Override
	public String toString() {
		return "Credentials[idToken=[REDACTED], accessToken=[REDACTED], refreshToken="
				+ ((this.refreshToken != null) ? "[REDACTED]" : "none") + "]";
	}

}
