package io.tokenkit.aozora;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A verified OpenID Connect ID token of the bank.
 *
 * @param subject {@code sub}, the bank's id of the customer, or {@code null} when absent
 * @param issuer {@code iss}
 * @param audience {@code aud}
 * @param issuedAt {@code iat}
 * @param expiresAt {@code exp}
 * @param claims every claim of the token
 */
public record GmoAozoraIdToken(@Nullable String subject, String issuer, List<String> audience, Instant issuedAt,
		Instant expiresAt, Map<String, Object> claims) {

	@Override
	public String toString() {
		return "GmoAozoraIdToken[subject=[REDACTED], issuer=" + this.issuer + ", issuedAt=" + this.issuedAt
				+ ", expiresAt=" + this.expiresAt + ", claims=" + this.claims.keySet() + "]";
	}

}
