package io.tokenkit.saasus;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.util.Assert;

/**
 * The SaaSus {@code AuthorizationTempCode} model: the temporary code
 * {@code POST /credentials} answers with. The code is valid for 10 seconds from issuance;
 * exchange it with {@link SaasusClient#getCredentials(String)}. {@link #toString()} does
 * not show the code.
 *
 * @param code the temporary code (a UUID), never empty
 */
public record AuthorizationTempCode(@JsonProperty("code") String code) {

	public AuthorizationTempCode {
		Assert.hasText(code, "code must not be empty");
	}

	@Override
	public String toString() {
		return "AuthorizationTempCode[code=[REDACTED]]";
	}

}
