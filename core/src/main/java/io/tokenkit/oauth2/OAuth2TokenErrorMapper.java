package io.tokenkit.oauth2;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import io.tokenkit.support.ResponseBodies;
import io.tokenkit.support.SecretRedactor;
import io.tokenkit.support.ServerText;

import org.springframework.util.Assert;

/**
 * Turns a token endpoint's error answer (RFC 6749 §5.2) into an
 * {@link OAuth2TokenException}: {@code error}, {@code error_description},
 * {@code error_uri} and the other scalar members, with every secret the request sent
 * redacted, the description shortened in the message, and a hint per error code (for
 * {@code invalid_grant}, per grant type). Stateless: one instance serves every client.
 */
public final class OAuth2TokenErrorMapper {

	/**
	 * Map an error answer.
	 * @param registrationId the registration (or client name), named in the message
	 * @param statusCode the HTTP status of the answer
	 * @param body the body as JSON, or {@code null} when it was empty or not JSON
	 * @param contentType the content type of the answer, for messages
	 * @param secrets the secrets the request sent (client secret, code, refresh token,
	 * …), which some servers echo in their error answer
	 * @return the exception to raise
	 */
	public OAuth2TokenException map(String registrationId, int statusCode, @Nullable JsonNode body, String contentType,
			Collection<String> secrets) {
		return map(registrationId, statusCode, body, contentType, secrets, null);
	}

	/**
	 * Map an error answer that may have said when to try again.
	 * @param registrationId the registration (or client name), named in the message
	 * @param statusCode the HTTP status of the answer
	 * @param body the body as JSON, or {@code null} when it was empty or not JSON
	 * @param contentType the content type of the answer, for messages
	 * @param secrets the secrets the request sent, which some servers echo in their error
	 * answer
	 * @param retryAfter the {@code Retry-After} of a {@code 429} or {@code 503}, or
	 * {@code null}
	 * @return the exception to raise
	 */
	public OAuth2TokenException map(String registrationId, int statusCode, @Nullable JsonNode body, String contentType,
			Collection<String> secrets, @Nullable Duration retryAfter) {
		return map(registrationId, null, statusCode, body, contentType, secrets, retryAfter);
	}

	/**
	 * Map an error answer to a token request of a known grant type, whose
	 * {@code invalid_grant} hint names what the grant sent: the code, the refresh token,
	 * the subject token of a token exchange or the assertion of a JWT bearer grant.
	 * @param registrationId the registration (or client name), named in the message
	 * @param grantType the request's {@code grant_type}, or {@code null} when unknown
	 * @param statusCode the HTTP status of the answer
	 * @param body the body as JSON, or {@code null} when it was empty or not JSON
	 * @param contentType the content type of the answer, for messages
	 * @param secrets the secrets the request sent, which some servers echo in their error
	 * answer
	 * @param retryAfter the {@code Retry-After} of a {@code 429} or {@code 503}, or
	 * {@code null}
	 * @return the exception to raise
	 */
	public OAuth2TokenException map(String registrationId, @Nullable String grantType, int statusCode,
			@Nullable JsonNode body, String contentType, Collection<String> secrets, @Nullable Duration retryAfter) {
		Assert.notNull(registrationId, "registrationId must not be null");
		Assert.notNull(contentType, "contentType must not be null");
		Assert.notNull(secrets, "secrets must not be null");
		String error = (body != null && body.isObject()) ? ResponseBodies.text(body, "error") : null;
		if (body == null || error == null) {
			return new OAuth2TokenException(registrationId, statusCode, null, null, null, Map.of(), retryAfter,
					"Token endpoint of '" + registrationId + "' answered " + statusCode
							+ " with a body that is not an OAuth 2.0 error (" + contentType + ")"
							+ retryAfter(retryAfter));
		}
		SecretRedactor redactor = SecretRedactor.of(secrets);
		String description = redactor.redact(ResponseBodies.text(body, "error_description"));
		String uri = redactor.redact(ResponseBodies.text(body, "error_uri"));
		StringBuilder message = new StringBuilder("Token endpoint of '").append(registrationId)
			.append("' answered ")
			.append(statusCode)
			.append(" ")
			.append(error);
		if (description != null) {
			message.append(" (").append(ServerText.truncate(description)).append(")");
		}
		message.append(hint(error, grantType)).append(retryAfter(retryAfter));
		Map<String, String> additional = new LinkedHashMap<>();
		for (Map.Entry<String, JsonNode> field : body.properties()) {
			switch (field.getKey()) {
				case "error", "error_description", "error_uri" -> {
				}
				default -> {
					if (field.getValue().isValueNode() && !field.getValue().isNull()) {
						additional.put(field.getKey(), redactor.redact(field.getValue().asString()));
					}
				}
			}
		}
		return new OAuth2TokenException(registrationId, statusCode, error, description, uri, additional, retryAfter,
				message.toString());
	}

	/**
	 * Map an error answer from its text.
	 * @param registrationId the registration (or client name), named in the message
	 * @param statusCode the HTTP status of the answer
	 * @param body the body text, empty when there was none
	 * @param contentType the content type of the answer, for messages
	 * @param secrets the secrets the request sent
	 * @return the exception to raise
	 */
	public OAuth2TokenException map(String registrationId, int statusCode, String body, String contentType,
			Collection<String> secrets) {
		Assert.notNull(body, "body must not be null");
		return map(registrationId, statusCode, ResponseBodies.parse(body), contentType, secrets);
	}

	private static String retryAfter(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? "; the server asks to wait " + retryAfter.toSeconds() + "s (Retry-After)" : "";
	}

	private static String hint(String error, @Nullable String grantType) {
		return switch (error) {
			case "invalid_client", "unauthorized_client" ->
				": check the client id, client secret and client authentication method (basic or post)";
			case "invalid_grant" -> invalidGrantHint(grantType);
			case "invalid_scope" -> ": check the scopes requested";
			case "unsupported_grant_type" -> ": the server does not allow this grant type for the client";
			default -> "";
		};
	}

	/**
	 * Return the hint of an {@code invalid_grant}: what the grant type sent that the
	 * server refused (RFC 6749 §5.2, RFC 8693 §2.2.2, RFC 7523 §3.1).
	 */
	private static String invalidGrantHint(@Nullable String grantType) {
		if (grantType == null) {
			return ": the code or refresh token is invalid, expired or revoked; authorize again";
		}
		return switch (grantType) {
			case "authorization_code" ->
				": the authorization code is invalid, expired, already used or was issued for another redirect URI; "
						+ "start the login again";
			case "refresh_token" -> ": the refresh token is invalid, expired or revoked; authorize again";
			case TokenExchangeTokenSource.GRANT_TYPE ->
				": the subject token (or actor token) was refused: it is invalid, expired, or not "
						+ "meant for this client; check the incoming token's audience and expiry, and the "
						+ "subject-token-type";
			case JwtBearerTokenSource.GRANT_TYPE ->
				": the assertion was refused: its signature, issuer, subject or audience is not "
						+ "accepted for this client, or it has expired; check the key it is signed with and its claims";
			default -> ": the server refused the grant (" + grantType + ") for this client; check what the grant "
					+ "sends and that the client may use it";
		};
	}

	@Override
	public String toString() {
		return "OAuth2TokenErrorMapper";
	}

}
