package io.tokenkit.authlete;

import org.jspecify.annotations.Nullable;

/**
 * The answer of {@code POST /api/{serviceId}/auth/token/revoke}.
 *
 * @param resultCode the result code, for example {@code A312001}
 * @param resultMessage the result message, for example {@code Revoked 1 access token(s).}
 * @param action the action; the API documents none, so this is {@code null} unless
 * Authlete sends one
 * @param count how many tokens were revoked
 */
public record TokenRevokeResponse(@Nullable String resultCode, @Nullable String resultMessage,
		@Nullable AuthleteAction action, @Nullable Integer count) {
}
