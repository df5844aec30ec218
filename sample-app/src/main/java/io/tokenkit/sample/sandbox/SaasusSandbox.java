package io.tokenkit.sample.sandbox;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.StreamUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A sandbox of the SaaSus Auth credentials API under {@code /saasus/v1/auth} (see
 * {@code shared/reference/saasus-auth.md}):
 * <ul>
 * <li>every call must carry
 * {@code Authorization: SAASUSSIGV1 Sig=<hex>, SaaSID=<id>, APIKey=<key>}; the signature
 * is recomputed (HMAC-SHA256 with the secret key over minute timestamp, API key, method,
 * host and path with query, body) and accepted for the current minute and the one before
 * or after, with or without the port in the host;</li>
 * <li>{@code POST /credentials} stores an ID/access/refresh token triple and answers
 * {@code 201} with a temporary code valid for 10 seconds (and usable once);</li>
 * <li>{@code GET /credentials?code=…} ({@code auth-flow=tempCodeAuth}, the default)
 * returns the triple; {@code GET /credentials?auth-flow=refreshTokenAuth&refresh-token=…}
 * returns new ID and access tokens for a known refresh token, without a
 * {@code refresh_token} member (the case the reference leaves open);</li>
 * <li>errors use the SaaSus {@code Error} body: {@code {"type","message"}}.</li>
 * </ul>
 * Not a vendor endpoint: {@code POST /saasus/sandbox/login} stands for the SaaSus hosted
 * login page, which stores a signed-in user's tokens and sends the browser to the
 * application's callback with a temp code; it answers {@code {"code": …}}.
 */
@Configuration(proxyBeanMethods = false)
class SaasusSandbox {

	static final Duration TEMP_CODE_VALIDITY = Duration.ofSeconds(10);

	private static final Pattern SIGNATURE = Pattern
		.compile("^SAASUSSIGV1 Sig=([0-9a-f]{64}), SaaSID=([^,\\s]+), APIKey=([^,\\s]+)$");

	private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
		.withZone(ZoneOffset.UTC);

	private final String saasId;

	private final String apiKey;

	private final String secretKey;

	private final Duration tokenTtl;

	private final Clock clock = Clock.systemUTC();

	private final ObjectMapper json = new ObjectMapper();

	private final Map<String, TempCode> codes = new ConcurrentHashMap<>();

	private final Map<String, String> refreshTokens = new ConcurrentHashMap<>();

	SaasusSandbox(Environment environment) {
		this.saasId = environment.getRequiredProperty("sandbox.saasus.saas-id");
		this.apiKey = environment.getRequiredProperty("sandbox.saasus.api-key");
		this.secretKey = environment.getRequiredProperty("sandbox.saasus.secret-key");
		this.tokenTtl = environment.getProperty("sandbox.saasus.token-ttl", Duration.class, Duration.ofSeconds(60));
	}

	@Bean
	RouterFunction<ServerResponse> saasusRoutes() {
		return RouterFunctions.route()
			.POST("/saasus/v1/auth/credentials", this::createCredentials)
			.GET("/saasus/v1/auth/credentials", this::getCredentials)
			.POST("/saasus/sandbox/login", this::login)
			.build();
	}

	private ServerResponse createCredentials(ServerRequest request) throws Exception {
		String body = StreamUtils.copyToString(request.servletRequest().getInputStream(), StandardCharsets.UTF_8);
		ServerResponse rejected = checkSignature(request, body);
		if (rejected != null) {
			return rejected;
		}
		Map<?, ?> credentials;
		try {
			credentials = this.json.readValue(body, Map.class);
		}
		catch (RuntimeException ex) {
			return error(HttpStatus.BAD_REQUEST, "invalid_request", "The body is not a JSON Credentials object");
		}
		if (!(credentials.get("id_token") instanceof String idToken)
				|| !(credentials.get("access_token") instanceof String accessToken)) {
			return error(HttpStatus.BAD_REQUEST, "invalid_request", "id_token and access_token are required");
		}
		String refreshToken = (credentials.get("refresh_token") instanceof String value) ? value : null;
		if (refreshToken != null) {
			this.refreshTokens.putIfAbsent(refreshToken, "user");
		}
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new TempCode(new Triple(idToken, accessToken, refreshToken),
				this.clock.instant().plus(TEMP_CODE_VALIDITY)));
		return ServerResponse.status(HttpStatus.CREATED).body(Map.of("code", code));
	}

	private ServerResponse getCredentials(ServerRequest request) throws Exception {
		ServerResponse rejected = checkSignature(request, "");
		if (rejected != null) {
			return rejected;
		}
		String flow = request.param("auth-flow").orElse("tempCodeAuth");
		if ("tempCodeAuth".equals(flow)) {
			String code = request.param("code").orElse("");
			TempCode tempCode = this.codes.remove(code);
			if (tempCode == null || this.clock.instant().isAfter(tempCode.expiresAt())) {
				return error(HttpStatus.NOT_FOUND, "not_found", "The temporary code is unknown, used or expired");
			}
			return ServerResponse.ok().body(tempCode.triple().toJson());
		}
		if ("refreshTokenAuth".equals(flow)) {
			String refreshToken = request.param("refresh-token").orElse("");
			String user = this.refreshTokens.get(refreshToken);
			if (user == null) {
				return error(HttpStatus.NOT_FOUND, "not_found", "The refresh token is unknown");
			}
			Triple fresh = mint(user, null);
			return ServerResponse.ok().body(fresh.toJson());
		}
		return error(HttpStatus.BAD_REQUEST, "invalid_request", "auth-flow must be tempCodeAuth or refreshTokenAuth");
	}

	private ServerResponse login(ServerRequest request) {
		String user = request.param("user").orElse("demo-user");
		String refreshToken = SandboxTokens.opaque("saasus-rt-");
		this.refreshTokens.put(refreshToken, user);
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new TempCode(mint(user, refreshToken), this.clock.instant().plus(TEMP_CODE_VALIDITY)));
		return ServerResponse.ok().body(Map.of("code", code));
	}

	private Triple mint(String user, @Nullable String refreshToken) {
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.tokenTtl);
		String idToken = SandboxTokens.hs256(this.secretKey, now, expiresAt,
				Map.of("iss", "saasus-sandbox", "sub", user, "token_use", "id", "aud", this.saasId));
		String accessToken = SandboxTokens.hs256(this.secretKey, now, expiresAt,
				Map.of("iss", "saasus-sandbox", "sub", user, "token_use", "access"));
		return new Triple(idToken, accessToken, refreshToken);
	}

	private @Nullable ServerResponse checkSignature(ServerRequest request, String body) {
		String header = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		Matcher matcher = (header != null) ? SIGNATURE.matcher(header) : null;
		if (matcher == null || !matcher.matches()) {
			return error(HttpStatus.UNAUTHORIZED, "permission_denied",
					"Authorization must be 'SAASUSSIGV1 Sig=<hex>, SaaSID=<id>, APIKey=<key>'");
		}
		if (!this.saasId.equals(matcher.group(2)) || !this.apiKey.equals(matcher.group(3))) {
			return error(HttpStatus.UNAUTHORIZED, "permission_denied", "Unknown SaaSID or APIKey");
		}
		HttpServletRequest servlet = request.servletRequest();
		String pathAndQuery = servlet.getRequestURI()
				+ ((servlet.getQueryString() != null) ? "?" + servlet.getQueryString() : "");
		List<String> hosts = List.of(servlet.getServerName(), servlet.getServerName() + ":" + servlet.getServerPort());
		byte[] given = HexFormat.of().parseHex(matcher.group(1));
		Instant now = this.clock.instant();
		for (int minute = -1; minute <= 1; minute++) {
			String timestamp = MINUTE.format(now.plus(Duration.ofMinutes(minute)));
			for (String host : hosts) {
				String message = timestamp + this.apiKey + servlet.getMethod() + host + pathAndQuery + body;
				if (MessageDigest.isEqual(given, hmac(message))) {
					return null;
				}
			}
		}
		return error(HttpStatus.UNAUTHORIZED, "permission_denied", "The signature does not match the request");
	}

	private byte[] hmac(String message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(this.secretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException | InvalidKeyException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static ServerResponse error(HttpStatus status, String type, String message) {
		return ServerResponse.status(status).body(Map.of("type", type, "message", message));
	}

	private record TempCode(Triple triple, Instant expiresAt) {
	}

	private record Triple(String idToken, String accessToken, @Nullable String refreshToken) {

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

}
