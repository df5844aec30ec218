package io.tokenkit.test.sandbox;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tokenkit.test.server.Answer;
import io.tokenkit.test.server.Request;
import io.tokenkit.test.server.Tokens;

/**
 * A sandbox of the SaaSus Auth credentials API, a plain HTTP server on a loopback port
 * (base URL {@link #baseUrl()}, ending in {@code /v1/auth} like
 * {@code https://api.saasus.io/v1/auth}):
 * <ul>
 * <li>every call must carry
 * {@code Authorization: SAASUSSIGV1 Sig=<hex>, SaaSID=<id>, APIKey=<key>}; the signature
 * is recomputed (HMAC-SHA256 with the secret key over the UTC minute
 * {@code yyyyMMddHHmm}, API key, method, host and path with the query as sent, body) and
 * accepted for the current minute and the one before or after, with or without the port
 * in the host; otherwise {@code 401} with {@code type} {@code permission_denied};</li>
 * <li>{@code POST /credentials} stores an ID/access/refresh token triple and answers
 * {@code 201} with a temporary code valid for 10 seconds, usable once;</li>
 * <li>{@code GET /credentials?code=…} ({@code auth-flow=tempCodeAuth}, the default)
 * returns the triple; {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}
 * returns new ID and access tokens for a known refresh token, without a
 * {@code refresh_token} member;</li>
 * <li>errors are SaaSus {@code Error} bodies: {@code {"type","message"}}.</li>
 * </ul>
 * Not a vendor endpoint: {@code POST /sandbox/login?user=…} ({@link #loginUrl()}) stands
 * for the SaaSus hosted login page, which signs a user in and hands the application a
 * temporary code; it answers {@code {"code": …}}. {@link #signIn(String)} does the same
 * from Java.
 * <p>
 * Start one with {@link #start()} or {@link #builder()}; {@link #properties()} points
 * TokenKit's SaaSus client at it.
 */
public final class SaasusSandbox extends SandboxServer {

	/** How long a temporary code is valid. */
	public static final Duration TEMP_CODE_VALIDITY = Duration.ofSeconds(10);

	private static final Pattern SIGNATURE = Pattern
		.compile("^SAASUSSIGV1 Sig=([0-9a-f]{64}), SaaSID=([^,\\s]+), APIKey=([^,\\s]+)$");

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
		.withZone(ZoneOffset.UTC);

	private static final String CREDENTIALS = "/v1/auth/credentials";

	private final String saasId;

	private final String apiKey;

	private final String secretKey;

	private final Duration tokenLifetime;

	private final Clock clock;

	private final Map<String, TempCode> codes = new ConcurrentHashMap<>();

	private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

	private SaasusSandbox(Builder builder) {
		super("saasus-sandbox");
		this.saasId = builder.saasId;
		this.apiKey = builder.apiKey;
		this.secretKey = builder.secretKey;
		this.tokenLifetime = builder.tokenLifetime;
		this.clock = builder.clock;
		route("POST", CREDENTIALS, this::createCredentials);
		route("GET", CREDENTIALS, this::getCredentials);
		route("POST", "/sandbox/login", this::login);
	}

	/**
	 * Start a sandbox with the {@link #builder() builder's} defaults.
	 * @return the running sandbox
	 */
	public static SaasusSandbox start() {
		return builder().start();
	}

	/**
	 * Return a builder of a sandbox with its own SaaS ID, keys and token lifetime.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the base URL of the Auth API, ending in {@code /v1/auth}.
	 * @return the base URL
	 */
	public String baseUrl() {
		return url("/v1/auth");
	}

	/**
	 * Return the URL of the stand-in for the SaaSus hosted login ({@code POST}, optional
	 * query parameter {@code user}): not a vendor endpoint.
	 * @return the login URL
	 */
	public String loginUrl() {
		return url("/sandbox/login");
	}

	/**
	 * Return the TokenKit properties that point an application's SaaSus client at this
	 * sandbox: {@code tokenkit.saasus.base-url}, {@code saas-id}, {@code api-key} and
	 * {@code secret-key}.
	 * @return the properties by name
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tokenkit.saasus.base-url", baseUrl());
		properties.put("tokenkit.saasus.saas-id", this.saasId);
		properties.put("tokenkit.saasus.api-key", this.apiKey);
		properties.put("tokenkit.saasus.secret-key", this.secretKey);
		return properties;
	}

	/**
	 * Sign a user in, as the SaaSus hosted login does: store new tokens for the user
	 * (with a refresh token) and return the temporary code the login callback receives.
	 * @param user the user's id, the {@code sub} of the tokens
	 * @return the temporary code
	 */
	public String signIn(String user) {
		String refreshToken = Tokens.opaque("saasus-rt-");
		this.refreshTokens.put(refreshToken, user);
		return tempCode(mint(user, refreshToken));
	}

	private Answer createCredentials(Request request) throws IOException {
		Answer refused = checkSignature(request);
		if (refused != null) {
			return refused;
		}
		Map<String, Object> credentials = request.jsonBody();
		if (credentials == null) {
			return error(400, "invalid_request", "The body is not a JSON Credentials object");
		}
		if (!(credentials.get("id_token") instanceof String idToken)
				|| !(credentials.get("access_token") instanceof String accessToken)) {
			return error(400, "invalid_request", "id_token and access_token are required");
		}
		String refreshToken = (credentials.get("refresh_token") instanceof String value) ? value : null;
		if (refreshToken != null) {
			this.refreshTokens.putIfAbsent(refreshToken, "user");
		}
		return Answer.jsonOf(201, Map.of("code", tempCode(new Triple(idToken, accessToken, refreshToken))));
	}

	private Answer getCredentials(Request request) throws IOException {
		Answer refused = checkSignature(request);
		if (refused != null) {
			return refused;
		}
		Map<String, String> query = request.query();
		String flow = query.getOrDefault("auth-flow", "tempCodeAuth");
		if ("tempCodeAuth".equals(flow)) {
			TempCode tempCode = this.codes.remove(query.getOrDefault("code", ""));
			if (tempCode == null || this.clock.instant().isAfter(tempCode.expiresAt())) {
				return error(404, "not_found", "The temporary code is unknown, used or expired");
			}
			return Answer.jsonOf(200, tempCode.triple().toJson());
		}
		if ("refreshTokenAuth".equals(flow)) {
			String user = this.refreshTokens.get(query.getOrDefault("refresh-token", ""));
			if (user == null) {
				return error(404, "not_found", "The refresh token is unknown");
			}
			return Answer.jsonOf(200, mint(user, null).toJson());
		}
		return error(400, "invalid_request", "auth-flow must be tempCodeAuth or refreshTokenAuth");
	}

	private Answer login(Request request) {
		return Answer.jsonOf(200, Map.of("code", signIn(request.query().getOrDefault("user", "demo-user"))));
	}

	private String tempCode(Triple triple) {
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new TempCode(triple, this.clock.instant().plus(TEMP_CODE_VALIDITY)));
		return code;
	}

	private Triple mint(String user, String refreshToken) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.tokenLifetime);
		String idToken = Tokens.hs256(this.secretKey, now, expiresAt,
				Map.of("iss", "saasus-sandbox", "sub", user, "token_use", "id", "aud", this.saasId));
		String accessToken = Tokens.hs256(this.secretKey, now, expiresAt,
				Map.of("iss", "saasus-sandbox", "sub", user, "token_use", "access"));
		return new Triple(idToken, accessToken, refreshToken);
	}

	private Answer checkSignature(Request request) throws IOException {
		String header = request.header("Authorization");
		Matcher matcher = (header != null) ? SIGNATURE.matcher(header) : null;
		if (matcher == null || !matcher.matches()) {
			return error(401, "permission_denied",
					"Authorization must be 'SAASUSSIGV1 Sig=<hex>, SaaSID=<id>, APIKey=<key>'");
		}
		if (!this.saasId.equals(matcher.group(2)) || !this.apiKey.equals(matcher.group(3))) {
			return error(401, "permission_denied", "Unknown SaaSID or APIKey");
		}
		String host = String.valueOf(request.header("Host"));
		List<String> hosts = List.of(host, host.replaceFirst(":\\d+$", ""));
		byte[] given = HexFormat.of().parseHex(matcher.group(1));
		String body = request.body();
		Instant now = this.clock.instant();
		for (int minute = -1; minute <= 1; minute++) {
			String timestamp = MINUTE.format(now.plus(Duration.ofMinutes(minute)));
			for (String each : hosts) {
				String message = timestamp + this.apiKey + request.method() + each + request.pathAndQuery() + body;
				if (MessageDigest.isEqual(given, Tokens.hmacSha256(this.secretKey, message))) {
					return null;
				}
			}
		}
		return error(401, "permission_denied", "The signature does not match the request");
	}

	/**
	 * Return the SAASUSSIGV1 signature of a request, as the SaaSus SDKs compute it.
	 * @param secretKey the secret key
	 * @param timestamp the UTC minute, {@code yyyyMMddHHmm}
	 * @param apiKey the API key
	 * @param method the HTTP method
	 * @param hostAndPathAndQuery the host (and port, if sent), path and query as sent
	 * @param body the body as sent, empty when there is none
	 * @return the lower-case hex HMAC-SHA256
	 */
	static String signature(String secretKey, String timestamp, String apiKey, String method,
			String hostAndPathAndQuery, String body) {
		return HexFormat.of()
			.formatHex(Tokens.hmacSha256(secretKey, timestamp + apiKey + method + hostAndPathAndQuery + body));
	}

	private static Answer error(int status, String type, String message) {
		return Answer.jsonOf(status, Map.of("type", type, "message", message));
	}

	private record TempCode(Triple triple, Instant expiresAt) {
	}

	private record Triple(String idToken, String accessToken, String refreshToken) {

		Map<String, String> toJson() {
			Map<String, String> result = new LinkedHashMap<>();
			result.put("id_token", this.idToken);
			result.put("access_token", this.accessToken);
			if (this.refreshToken != null) {
				result.put("refresh_token", this.refreshToken);
			}
			return result;
		}

	}

	/**
	 * Builds a {@link SaasusSandbox}. None of its defaults is a real credential.
	 */
	public static final class Builder extends SandboxBuilder<Builder> {

		private String saasId = "sandbox-saas-id";

		private String apiKey = "sandbox-api-key";

		private String secretKey = "sandbox-secret-key-of-the-saasus-sandbox";

		private Builder() {
		}

		/**
		 * Set the SaaS ID that calls must name ({@code sandbox-saas-id} by default).
		 * @param saasId the SaaS ID
		 * @return this builder
		 */
		public Builder saasId(String saasId) {
			this.saasId = saasId;
			return this;
		}

		/**
		 * Set the API key that calls must name.
		 * @param apiKey the API key
		 * @return this builder
		 */
		public Builder apiKey(String apiKey) {
			this.apiKey = apiKey;
			return this;
		}

		/**
		 * Set the secret key that signs calls and the sandbox's tokens.
		 * @param secretKey the secret key
		 * @return this builder
		 */
		public Builder secretKey(String secretKey) {
			this.secretKey = secretKey;
			return this;
		}

		/**
		 * Start the sandbox.
		 * @return the running sandbox
		 */
		public SaasusSandbox start() {
			return new SaasusSandbox(this);
		}

	}

}
