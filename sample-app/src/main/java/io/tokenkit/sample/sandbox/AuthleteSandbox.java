package io.tokenkit.sample.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A sandbox of Authlete's v3 token-management API for one service, under
 * {@code /authlete/api/{serviceId}} (see
 * {@code shared/reference/authlete-token-management.md}): create, list, update, delete
 * and revoke access tokens, and reissue an ID token. Every call needs
 * {@code Authorization: Bearer <service access token>}. Bodies are JSON; times are epoch
 * milliseconds and durations seconds. Errors carry {@code resultCode} and
 * {@code resultMessage}; a call that reaches a non-{@code OK} {@code action} answers with
 * the matching 4xx status and the {@code action} in the body.
 */
@Configuration(proxyBeanMethods = false)
class AuthleteSandbox {

	private static final String PREFIX = "/authlete/api/{serviceId}";

	private final String serviceId;

	private final String accessToken;

	private final Duration defaultDuration;

	private final Clock clock = Clock.systemUTC();

	private final List<StoredToken> tokens = new CopyOnWriteArrayList<>();

	AuthleteSandbox(Environment environment) {
		this.serviceId = environment.getRequiredProperty("sandbox.authlete.service-id");
		this.accessToken = environment.getRequiredProperty("sandbox.authlete.access-token");
		this.defaultDuration = environment.getProperty("sandbox.authlete.token-ttl", Duration.class,
				Duration.ofSeconds(60));
	}

	@Bean
	RouterFunction<ServerResponse> authleteRoutes() {
		return RouterFunctions.route()
			.POST(PREFIX + "/auth/token/create", (request) -> guarded(request, "/auth/token/create", this::create))
			.GET(PREFIX + "/auth/token/get/list", (request) -> guarded(request, "/auth/token/get/list", this::list))
			.POST(PREFIX + "/auth/token/update", (request) -> guarded(request, "/auth/token/update", this::update))
			.DELETE(PREFIX + "/auth/token/delete/{id}",
					(request) -> guarded(request, "/auth/token/delete", this::delete))
			.POST(PREFIX + "/auth/token/revoke", (request) -> guarded(request, "/auth/token/revoke", this::revoke))
			.POST(PREFIX + "/idtoken/reissue", (request) -> guarded(request, "/idtoken/reissue", this::reissue))
			.build();
	}

	private ServerResponse guarded(ServerRequest request, String path, Handler handler) throws Exception {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (authorization == null) {
			return result(HttpStatus.UNAUTHORIZED, "A001202", path + ", Authorization header is missing.", null);
		}
		if (!authorization.equals("Bearer " + this.accessToken)) {
			return result(HttpStatus.UNAUTHORIZED, "A001203", path + ", The access token is invalid.", null);
		}
		if (!this.serviceId.equals(request.pathVariable("serviceId"))) {
			return result(HttpStatus.FORBIDDEN, "A001215", path + ", The access token is not for this service.", null);
		}
		return handler.handle(request, path);
	}

	private ServerResponse create(ServerRequest request, String path) throws Exception {
		Map<String, Object> body = jsonBody(request);
		Object grantType = body.get("grantType");
		Object subject = body.get("subject");
		Object client = (body.get("clientIdentifier") != null) ? body.get("clientIdentifier") : body.get("clientId");
		if (grantType == null) {
			return result(HttpStatus.BAD_REQUEST, "A109201", path + ", grantType is missing.", "BAD_REQUEST");
		}
		if (client == null) {
			return result(HttpStatus.BAD_REQUEST, "A109202", path + ", clientId or clientIdentifier is missing.",
					"BAD_REQUEST");
		}
		boolean clientCredentials = "CLIENT_CREDENTIALS".equals(grantType);
		if (subject == null && !clientCredentials) {
			return result(HttpStatus.BAD_REQUEST, "A109203", path + ", subject is missing.", "BAD_REQUEST");
		}
		Instant now = this.clock.instant();
		long duration = number(body.get("accessTokenDuration"));
		Duration lifetime = (duration > 0) ? Duration.ofSeconds(duration) : this.defaultDuration;
		StoredToken token = new StoredToken(SandboxTokens.opaque(""),
				clientCredentials ? null : SandboxTokens.opaque(""), String.valueOf(client),
				(subject != null) ? subject.toString() : null, grantType.toString(), strings(body.get("scopes")),
				now.toEpochMilli(), now.plus(lifetime).toEpochMilli(),
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
		response.put("tokenId", SandboxTokens.hash(token.accessToken).substring(0, 16));
		return ServerResponse.ok().body(response);
	}

	private ServerResponse list(ServerRequest request, String path) {
		String client = request.param("clientIdentifier").orElse(null);
		String subject = request.param("subject").orElse(null);
		String status = request.param("tokenStatus").orElse("ALL");
		int start = Integer.parseInt(request.param("start").orElse("0"));
		int end = Integer.parseInt(request.param("end").orElse("5"));
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
				matching.subList(Math.min(start, matching.size()), Math.min(end, matching.size())));
		return ServerResponse.ok().body(response);
	}

	private ServerResponse update(ServerRequest request, String path) throws Exception {
		Map<String, Object> body = jsonBody(request);
		StoredToken token = find(body.get("accessToken"), body.get("accessTokenHash"));
		if (token == null) {
			return result(HttpStatus.NOT_FOUND, "A135301", path + ", The access token does not exist.", "NOT_FOUND");
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
		return ServerResponse.ok().body(response);
	}

	private ServerResponse delete(ServerRequest request, String path) {
		StoredToken token = find(request.pathVariable("id"), request.pathVariable("id"));
		if (token == null) {
			return result(HttpStatus.NOT_FOUND, "A131301", path + ", The access token does not exist.", null);
		}
		this.tokens.remove(token);
		return ServerResponse.noContent().build();
	}

	private ServerResponse revoke(ServerRequest request, String path) throws Exception {
		Map<String, Object> body = jsonBody(request);
		Object accessToken = body.get("accessTokenIdentifier");
		Object refreshToken = body.get("refreshTokenIdentifier");
		Object client = body.get("clientIdentifier");
		Object subject = body.get("subject");
		if (accessToken == null && refreshToken == null && client == null && subject == null) {
			return result(HttpStatus.BAD_REQUEST, "A312201", path + ", No token identifier, client or subject given.",
					null);
		}
		List<StoredToken> revoked = new ArrayList<>();
		for (StoredToken token : this.tokens) {
			boolean matches = (accessToken == null || token.identifiedBy(accessToken.toString()))
					&& (refreshToken == null || token.refreshIdentifiedBy(refreshToken.toString()))
					&& (client == null || client.toString().equals(token.client))
					&& (subject == null || subject.toString().equals(token.subject));
			if (matches) {
				revoked.add(token);
			}
		}
		this.tokens.removeAll(revoked);
		Map<String, Object> response = result("A312001", path + ", Revoked " + revoked.size() + " access token(s).");
		response.put("count", revoked.size());
		return ServerResponse.ok().body(response);
	}

	private ServerResponse reissue(ServerRequest request, String path) throws Exception {
		Map<String, Object> body = jsonBody(request);
		Object accessToken = body.get("accessToken");
		Object refreshToken = body.get("refreshToken");
		StoredToken token = find(accessToken, null);
		if (accessToken == null || refreshToken == null || token == null
				|| !refreshToken.toString().equals(token.refreshToken)) {
			Map<String, Object> response = result("A364201",
					path + ", accessToken and refreshToken must name a token of this service.");
			response.put("action", "CALLER_ERROR");
			return ServerResponse.badRequest().body(response);
		}
		Instant now = this.clock.instant();
		String sub = (body.get("sub") != null) ? body.get("sub").toString() : String.valueOf(token.subject);
		String idToken = SandboxTokens.hs256(this.accessToken + this.serviceId + "-id-token-signing-key", now,
				now.plus(Duration.ofMinutes(10)), Map.of("iss", "authlete-sandbox", "sub", sub, "aud", token.client));
		Map<String, Object> response = result("A364001", path + ", The ID token was reissued.");
		response.put("action", "OK");
		response.put("idToken", idToken);
		response.put("responseContent", "{\"access_token\":\"" + token.accessToken + "\",\"refresh_token\":\""
				+ token.refreshToken + "\",\"token_type\":\"Bearer\",\"id_token\":\"" + idToken + "\"}");
		return ServerResponse.ok().body(response);
	}

	private @Nullable StoredToken find(@Nullable Object value, @Nullable Object hash) {
		for (StoredToken token : this.tokens) {
			if ((value != null && token.identifiedBy(value.toString()))
					|| (hash != null && token.identifiedBy(hash.toString()))) {
				return token;
			}
		}
		return null;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> jsonBody(ServerRequest request) throws Exception {
		return request.body(Map.class);
	}

	private static void putClientId(Map<String, Object> body, String client) {
		if (client.chars().allMatch(Character::isDigit) && !client.isEmpty()) {
			body.put("clientId", Long.parseLong(client));
		}
	}

	private static long number(@Nullable Object value) {
		return (value instanceof Number number) ? number.longValue() : 0;
	}

	private static List<String> strings(@Nullable Object value) {
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

	private static ServerResponse result(HttpStatus status, String code, String message, @Nullable String action) {
		Map<String, Object> body = result(code, message);
		if (action != null) {
			body.put("action", action);
		}
		return ServerResponse.status(status).body(body);
	}

	@FunctionalInterface
	private interface Handler {

		ServerResponse handle(ServerRequest request, String path) throws Exception;

	}

	private static final class StoredToken {

		final String accessToken;

		final @Nullable String refreshToken;

		final String client;

		final @Nullable String subject;

		final String grantType;

		volatile List<String> scopes;

		final long createdAt;

		volatile long accessTokenExpiresAt;

		final long refreshTokenExpiresAt;

		StoredToken(String accessToken, @Nullable String refreshToken, String client, @Nullable String subject,
				String grantType, List<String> scopes, long createdAt, long accessTokenExpiresAt,
				long refreshTokenExpiresAt) {
			this.accessToken = accessToken;
			this.refreshToken = refreshToken;
			this.client = client;
			this.subject = subject;
			this.grantType = grantType;
			this.scopes = scopes;
			this.createdAt = createdAt;
			this.accessTokenExpiresAt = accessTokenExpiresAt;
			this.refreshTokenExpiresAt = (refreshToken != null) ? refreshTokenExpiresAt : 0;
		}

		boolean identifiedBy(String identifier) {
			return identifier.equals(this.accessToken) || identifier.equals(SandboxTokens.hash(this.accessToken));
		}

		boolean refreshIdentifiedBy(String identifier) {
			return this.refreshToken != null && (identifier.equals(this.refreshToken)
					|| identifier.equals(SandboxTokens.hash(this.refreshToken)));
		}

		Map<String, Object> toListItem() {
			Map<String, Object> item = new LinkedHashMap<>();
			item.put("accessTokenHash", SandboxTokens.hash(this.accessToken));
			item.put("refreshTokenHash", (this.refreshToken != null) ? SandboxTokens.hash(this.refreshToken) : null);
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

}
