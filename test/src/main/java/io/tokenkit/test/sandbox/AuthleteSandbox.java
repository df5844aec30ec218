package io.tokenkit.test.sandbox;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.test.server.Answer;
import io.tokenkit.test.server.Request;
import io.tokenkit.test.server.Tokens;

/**
 * A sandbox of Authlete's v3 token-management API for one service, a plain HTTP server on
 * a loopback port, under {@code /api/{serviceId}}: create, list, update, delete and
 * revoke access tokens, and reissue an ID token. Every call needs
 * {@code Authorization: Bearer <service access token>} ({@code 401}
 * {@code A001202}/{@code A001203} otherwise) and the sandbox's service ID in the path
 * ({@code 403} otherwise). Bodies are JSON; times are epoch milliseconds and durations
 * seconds. Errors carry {@code resultCode} and {@code resultMessage}; a call that reaches
 * a non-{@code OK} {@code action} answers with the matching 4xx status and the
 * {@code action} in the body. Tokens are listed by their SHA-256 hash (base64url), and a
 * hash identifies a token wherever its value does.
 * <p>
 * Start one with {@link #start()} or {@link #builder()}; {@link #properties()} points
 * TokenKit's Authlete client at it.
 */
public final class AuthleteSandbox extends SandboxServer {

	private final String serviceId;

	private final String accessToken;

	private final Duration defaultDuration;

	private final Clock clock;

	private final List<StoredToken> tokens = new CopyOnWriteArrayList<>();

	private AuthleteSandbox(Builder builder) {
		super("authlete-sandbox");
		this.serviceId = builder.serviceId;
		this.accessToken = builder.accessToken;
		this.defaultDuration = builder.tokenLifetime;
		this.clock = builder.clock;
		guarded("POST", "/auth/token/create", "", this::create);
		guarded("GET", "/auth/token/get/list", "", this::list);
		guarded("POST", "/auth/token/update", "", this::update);
		guarded("DELETE", "/auth/token/delete", "/([^/]+)", this::delete);
		guarded("POST", "/auth/token/revoke", "", this::revoke);
		guarded("POST", "/idtoken/reissue", "", this::reissue);
	}

	/**
	 * Start a sandbox with the {@link #builder() builder's} defaults.
	 * @return the running sandbox
	 */
	public static AuthleteSandbox start() {
		return builder().start();
	}

	/**
	 * Return a builder of a sandbox with its own service ID, service access token and
	 * default token lifetime.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the base URL, the counterpart of {@code https://us.authlete.com}: the API is
	 * under {@code /api/{serviceId}}.
	 * @return the base URL
	 */
	public String baseUrl() {
		return url("");
	}

	/**
	 * Return the TokenKit properties that point an application's Authlete client at this
	 * sandbox: {@code tokenkit.authlete.base-url}, {@code service-id} and
	 * {@code access-token}.
	 * @return the properties by name
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tokenkit.authlete.base-url", baseUrl());
		properties.put("tokenkit.authlete.service-id", this.serviceId);
		properties.put("tokenkit.authlete.access-token", this.accessToken);
		return properties;
	}

	private void guarded(String method, String path, String suffix, ApiHandler handler) {
		route(method, "/api/([^/]+)" + path.replace(".", "\\.") + suffix, (request) -> {
			String authorization = request.header("Authorization");
			if (authorization == null) {
				return result(401, "A001202", path + ", Authorization header is missing.", null);
			}
			if (!authorization.equals("Bearer " + this.accessToken)) {
				return result(401, "A001203", path + ", The access token is invalid.", null);
			}
			if (!this.serviceId.equals(request.pathGroup(1))) {
				return result(403, "A001215", path + ", The access token is not for this service.", null);
			}
			return handler.handle(request, path);
		});
	}

	private Answer create(Request request, String path) throws IOException {
		Map<String, Object> body = jsonBody(request);
		Object grantType = body.get("grantType");
		Object subject = body.get("subject");
		Object client = (body.get("clientIdentifier") != null) ? body.get("clientIdentifier") : body.get("clientId");
		if (grantType == null) {
			return result(400, "A109201", path + ", grantType is missing.", "BAD_REQUEST");
		}
		if (client == null) {
			return result(400, "A109202", path + ", clientId or clientIdentifier is missing.", "BAD_REQUEST");
		}
		boolean clientCredentials = "CLIENT_CREDENTIALS".equals(grantType);
		if (subject == null && !clientCredentials) {
			return result(400, "A109203", path + ", subject is missing.", "BAD_REQUEST");
		}
		Instant now = this.clock.instant();
		long duration = number(body.get("accessTokenDuration"));
		Duration lifetime = (duration > 0) ? Duration.ofSeconds(duration) : this.defaultDuration;
		StoredToken token = new StoredToken(Tokens.opaque(""), clientCredentials ? null : Tokens.opaque(""),
				String.valueOf(client), (subject != null) ? subject.toString() : null, grantType.toString(),
				strings(body.get("scopes")), now.toEpochMilli(), now.plus(lifetime).toEpochMilli(),
				now.plus(lifetime.multipliedBy(24)).toEpochMilli());
		this.tokens.add(token);
		Map<String, Object> response = result("A109001", path + ", An access token was created successfully.");
		response.put("action", "OK");
		response.put("accessToken", token.accessToken);
		response.put("refreshToken", token.refreshToken);
		response.put("tokenType", "Bearer");
		response.put("expiresIn", lifetime.toSeconds());
		response.put("expiresAt", token.accessTokenExpiresAt);
		response.put("grantType", token.grantType);
		putClientId(response, token.client);
		response.put("clientIdentifier", token.client);
		response.put("subject", token.subject);
		response.put("scopes", token.scopes);
		response.put("tokenId", Tokens.hash(token.accessToken).substring(0, 16));
		return Answer.jsonOf(200, response);
	}

	private Answer list(Request request, String path) {
		Map<String, String> query = request.query();
		String client = query.get("clientIdentifier");
		String subject = query.get("subject");
		String status = query.getOrDefault("tokenStatus", "ALL");
		int start = Integer.parseInt(query.getOrDefault("start", "0"));
		int end = Integer.parseInt(query.getOrDefault("end", "5"));
		long now = this.clock.millis();
		List<Map<String, Object>> matching = new ArrayList<>();
		for (StoredToken token : this.tokens) {
			boolean valid = token.accessTokenExpiresAt > now;
			if ((client == null || client.equals(token.client)) && (subject == null || subject.equals(token.subject))
					&& ("ALL".equals(status) || ("VALID".equals(status) == valid))) {
				matching.add(token.toListItem());
			}
		}
		Map<String, Object> response = new LinkedHashMap<>();
		response.put("start", start);
		response.put("end", end);
		response.put("totalCount", matching.size());
		response.put("subject", subject);
		response.put("accessTokens",
				matching.subList(Math.min(start, matching.size()), Math.min(Math.max(start, end), matching.size())));
		return Answer.jsonOf(200, response);
	}

	private Answer update(Request request, String path) throws IOException {
		Map<String, Object> body = jsonBody(request);
		StoredToken token = find(body.get("accessToken"), body.get("accessTokenHash"));
		if (token == null) {
			return result(404, "A135301", path + ", The access token does not exist.", "NOT_FOUND");
		}
		long expiresAt = number(body.get("accessTokenExpiresAt"));
		if (expiresAt > 0) {
			token.accessTokenExpiresAt = expiresAt;
		}
		if (body.get("scopes") != null) {
			token.scopes = strings(body.get("scopes"));
		}
		Map<String, Object> response = result("A135001", path + ", Updated the access token successfully.");
		response.put("action", "OK");
		response.put("accessToken", token.accessToken);
		response.put("tokenType", "Bearer");
		response.put("accessTokenExpiresAt", token.accessTokenExpiresAt);
		response.put("refreshTokenExpiresAt", token.refreshTokenExpiresAt);
		response.put("scopes", token.scopes);
		return Answer.jsonOf(200, response);
	}

	private Answer delete(Request request, String path) {
		StoredToken token = find(request.pathGroup(2), null);
		if (token == null) {
			return result(404, "A131301", path + ", The access token does not exist.", null);
		}
		this.tokens.remove(token);
		return Answer.empty(204);
	}

	private Answer revoke(Request request, String path) throws IOException {
		Map<String, Object> body = jsonBody(request);
		Object accessToken = body.get("accessTokenIdentifier");
		Object refreshToken = body.get("refreshTokenIdentifier");
		Object client = body.get("clientIdentifier");
		Object subject = body.get("subject");
		if (accessToken == null && refreshToken == null && client == null && subject == null) {
			return result(400, "A312201", path + ", No token identifier, client or subject given.", null);
		}
		List<StoredToken> revoked = new ArrayList<>();
		for (StoredToken token : this.tokens) {
			if ((accessToken == null || token.identifiedBy(accessToken.toString()))
					&& (refreshToken == null || token.refreshIdentifiedBy(refreshToken.toString()))
					&& (client == null || client.toString().equals(token.client))
					&& (subject == null || subject.toString().equals(token.subject))) {
				revoked.add(token);
			}
		}
		this.tokens.removeAll(revoked);
		Map<String, Object> response = result("A312001", path + ", Revoked " + revoked.size() + " access token(s).");
		response.put("count", revoked.size());
		return Answer.jsonOf(200, response);
	}

	private Answer reissue(Request request, String path) throws IOException {
		Map<String, Object> body = jsonBody(request);
		Object accessToken = body.get("accessToken");
		Object refreshToken = body.get("refreshToken");
		StoredToken token = find(accessToken, null);
		if (accessToken == null || refreshToken == null || token == null
				|| !refreshToken.toString().equals(token.refreshToken)) {
			Map<String, Object> response = result("A364201",
					path + ", accessToken and refreshToken must name a token of this service.");
			response.put("action", "CALLER_ERROR");
			return Answer.jsonOf(400, response);
		}
		Instant now = this.clock.instant();
		String sub = (body.get("sub") != null) ? body.get("sub").toString() : String.valueOf(token.subject);
		String idToken = Tokens.hs256(this.accessToken + this.serviceId + "-id-token-signing-key", now,
				now.plus(Duration.ofMinutes(10)), Map.of("iss", "authlete-sandbox", "sub", sub, "aud", token.client));
		Map<String, Object> content = new LinkedHashMap<>();
		content.put("access_token", token.accessToken);
		content.put("refresh_token", token.refreshToken);
		content.put("token_type", "Bearer");
		content.put("id_token", idToken);
		Map<String, Object> response = result("A364001", path + ", The ID token was reissued.");
		response.put("action", "OK");
		response.put("idToken", idToken);
		response.put("responseContent", JsonMapper.shared().writeValueAsString(content));
		return Answer.jsonOf(200, response);
	}

	private StoredToken find(Object value, Object hash) {
		for (StoredToken token : this.tokens) {
			if ((value != null && token.identifiedBy(value.toString()))
					|| (hash != null && token.identifiedBy(hash.toString()))) {
				return token;
			}
		}
		return null;
	}

	private static Map<String, Object> jsonBody(Request request) throws IOException {
		Map<String, Object> body = request.jsonBody();
		return (body != null) ? body : Map.of();
	}

	private static void putClientId(Map<String, Object> body, String client) {
		if (!client.isEmpty() && client.chars().allMatch(Character::isDigit)) {
			body.put("clientId", Long.parseLong(client));
		}
	}

	private static long number(Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	private static List<String> strings(Object value) {
		List<String> result = new ArrayList<>();
		if (value instanceof List<?> list) {
			list.forEach((each) -> result.add(String.valueOf(each)));
		}
		return result;
	}

	private static Map<String, Object> result(String code, String message) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("resultCode", code);
		result.put("resultMessage", "[" + code + "] " + message);
		return result;
	}

	private static Answer result(int status, String code, String message, String action) {
		Map<String, Object> body = result(code, message);
		if (action != null) {
			body.put("action", action);
		}
		return Answer.jsonOf(status, body);
	}

	@FunctionalInterface
	private interface ApiHandler {

		Answer handle(Request request, String path) throws IOException;

	}

	private static final class StoredToken {

		final String accessToken;

		final String refreshToken;

		final String client;

		final String subject;

		final String grantType;

		volatile List<String> scopes;

		final long createdAt;

		volatile long accessTokenExpiresAt;

		final long refreshTokenExpiresAt;

		StoredToken(String accessToken, String refreshToken, String client, String subject, String grantType,
				List<String> scopes, long createdAt, long accessTokenExpiresAt, long refreshTokenExpiresAt) {
			this.accessToken = accessToken;
			this.refreshToken = refreshToken;
			this.client = client;
			this.subject = subject;
			this.grantType = grantType;
			this.scopes = scopes;
			this.createdAt = createdAt;
			this.accessTokenExpiresAt = accessTokenExpiresAt;
			this.refreshTokenExpiresAt = refreshTokenExpiresAt;
		}

		boolean identifiedBy(String value) {
			return value.equals(this.accessToken) || value.equals(Tokens.hash(this.accessToken));
		}

		boolean refreshIdentifiedBy(String value) {
			return this.refreshToken != null
					&& (value.equals(this.refreshToken) || value.equals(Tokens.hash(this.refreshToken)));
		}

		Map<String, Object> toListItem() {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("accessTokenHash", Tokens.hash(this.accessToken));
			item.put("refreshTokenHash", (this.refreshToken != null) ? Tokens.hash(this.refreshToken) : null);
			putClientId(item, this.client);
			item.put("subject", this.subject);
			item.put("grantType", this.grantType);
			item.put("scopes", this.scopes);
			item.put("accessTokenExpiresAt", this.accessTokenExpiresAt);
			item.put("refreshTokenExpiresAt", this.refreshTokenExpiresAt);
			item.put("createdAt", this.createdAt);
			item.put("lastRefreshedAt", 0);
			item.put("properties", List.of());
			return item;
		}

	}

	/**
	 * Builds an {@link AuthleteSandbox}. None of its defaults is a real credential.
	 */
	public static final class Builder extends SandboxBuilder<Builder> {

		private String serviceId = "715948317";

		private String accessToken = "sandbox-authlete-service-access-token";

		private Builder() {
		}

		/**
		 * Set the service ID of the path ({@code 715948317} by default).
		 * @param serviceId the service ID
		 * @return this builder
		 */
		public Builder serviceId(String serviceId) {
			this.serviceId = serviceId;
			return this;
		}

		/**
		 * Set the service access token that calls must send as a bearer token.
		 * @param accessToken the service access token
		 * @return this builder
		 */
		public Builder accessToken(String accessToken) {
			this.accessToken = accessToken;
			return this;
		}

		/**
		 * Start the sandbox.
		 * @return the running sandbox
		 */
		public AuthleteSandbox start() {
			return new AuthleteSandbox(this);
		}

	}

}
