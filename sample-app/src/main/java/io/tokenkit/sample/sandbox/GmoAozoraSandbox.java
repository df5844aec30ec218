package io.tokenkit.sample.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * A sandbox of GMO Aozora Net Bank's authorization server and one personal API (see
 * {@code shared/reference/gmo-aozora-auth.md}):
 * <ul>
 * <li>{@code GET /gmo-aozora/auth/v1/authorization} checks {@code client_id}, the
 * registered {@code redirect_uri}, {@code response_type=code}, {@code scope} and
 * {@code state}, and shows a consent page; its form posts to
 * {@code /gmo-aozora/auth/v1/authorization/decision}, which redirects back with
 * {@code code} and {@code state} (or {@code error=access_denied});</li>
 * <li>{@code POST /gmo-aozora/auth/v1/token} (form) takes {@code authorization_code} and
 * {@code refresh_token} grants, with the client authenticated by
 * {@code client_secret_basic} or {@code client_secret_post}; answers
 * {@code access_token}, {@code refresh_token} (rotated on refresh), {@code scope},
 * {@code token_type}, {@code expires_in} (as a string, as the bank's Java and Node models
 * declare it) and, for the {@code openid} scope, an {@code id_token} signed HS256 with
 * the client secret ({@code iss}, {@code aud}, {@code azp}, {@code nonce}); errors are
 * RFC 6749 bodies;</li>
 * <li>{@code GET /gmo-aozora/personal/v1/accounts} needs a valid token with
 * {@code private:account} in {@code x-access-token}; errors are
 * {@code {"errorCode","errorMessage"}}.</li>
 * </ul>
 * Codes are valid for 60 seconds and usable once; access tokens live
 * {@code sandbox.gmo-aozora.token-ttl}.
 */
@Configuration(proxyBeanMethods = false)
class GmoAozoraSandbox {

	private static final Duration CODE_VALIDITY = Duration.ofSeconds(60);

	private final String clientId;

	private final String clientSecret;

	private final String redirectUri;

	private final String issuer;

	private final Duration tokenTtl;

	private final Clock clock = Clock.systemUTC();

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

	private final Map<String, Issued> accessTokens = new ConcurrentHashMap<>();

	GmoAozoraSandbox(Environment environment) {
		this.clientId = environment.getRequiredProperty("sandbox.gmo-aozora.client-id");
		this.clientSecret = environment.getRequiredProperty("sandbox.gmo-aozora.client-secret");
		this.redirectUri = environment.getRequiredProperty("sandbox.gmo-aozora.redirect-uri");
		this.issuer = environment.getRequiredProperty("sandbox.gmo-aozora.issuer");
		this.tokenTtl = environment.getProperty("sandbox.gmo-aozora.token-ttl", Duration.class, Duration.ofSeconds(60));
	}

	@Bean
	RouterFunction<ServerResponse> gmoAozoraRoutes() {
		return RouterFunctions.route()
			.GET("/gmo-aozora/auth/v1/authorization", this::authorization)
			.POST("/gmo-aozora/auth/v1/authorization/decision", this::decision)
			.POST("/gmo-aozora/auth/v1/token", this::token)
			.GET("/gmo-aozora/personal/v1/accounts", this::accounts)
			.build();
	}

	private ServerResponse authorization(ServerRequest request) {
		String clientId = request.param("client_id").orElse("");
		String redirectUri = request.param("redirect_uri").orElse("");
		if (!this.clientId.equals(clientId) || !this.redirectUri.equals(redirectUri)) {
			// Never redirect to an unregistered URI: tell the user instead.
			return ServerResponse.badRequest()
				.contentType(MediaType.TEXT_HTML)
				.body(page("Invalid request", "<p>Unknown client or unregistered redirect_uri.</p>"));
		}
		String state = request.param("state").orElse("");
		String scope = request.param("scope").orElse("");
		if (!"code".equals(request.param("response_type").orElse(""))) {
			return redirectError(redirectUri, "unsupported_response_type", state);
		}
		if (!StringUtils.hasText(scope) || !StringUtils.hasText(state) || state.length() > 128) {
			return redirectError(redirectUri, "invalid_request", state);
		}
		String nonce = request.param("nonce").orElse("");
		StringBuilder scopes = new StringBuilder();
		for (String each : scope.trim().split("\\s+")) {
			scopes.append("<li>").append(HtmlUtils.htmlEscape(each)).append("</li>");
		}
		String form = "<form method=\"post\" action=\"/gmo-aozora/auth/v1/authorization/decision\">"
				+ hidden("client_id", clientId) + hidden("redirect_uri", redirectUri) + hidden("scope", scope)
				+ hidden("state", state) + hidden("nonce", nonce)
				+ "<button id=\"approve\" name=\"decision\" value=\"approve\" type=\"submit\">Approve</button> "
				+ "<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Deny</button></form>";
		return ServerResponse.ok()
			.contentType(MediaType.TEXT_HTML)
			.body(page("GMO Aozora Net Bank (sandbox) — consent",
					"<p>The application <b>" + HtmlUtils.htmlEscape(clientId)
							+ "</b> asks to access your account with these scopes:</p><ul>" + scopes + "</ul>" + form));
	}

	private ServerResponse decision(ServerRequest request) throws Exception {
		MultiValueMap<String, String> form = request.params();
		String redirectUri = form.getFirst("redirect_uri");
		if (!this.clientId.equals(form.getFirst("client_id")) || !this.redirectUri.equals(redirectUri)) {
			return ServerResponse.badRequest().contentType(MediaType.TEXT_HTML).body(page("Invalid request", ""));
		}
		String state = form.getFirst("state");
		if (!"approve".equals(form.getFirst("decision"))) {
			return redirectError(redirectUri, "access_denied", state);
		}
		String code = SandboxTokens.opaque("code-");
		this.codes.put(code, new Grant(scopes(form.getFirst("scope")), emptyToNull(form.getFirst("nonce")),
				this.clock.instant().plus(CODE_VALIDITY)));
		return ServerResponse.status(HttpStatus.FOUND)
			.location(UriComponentsBuilder.fromUriString(redirectUri)
				.queryParam("code", code)
				.queryParam("state", state)
				.encode()
				.build()
				.toUri())
			.build();
	}

	private ServerResponse token(ServerRequest request) throws Exception {
		MultiValueMap<String, String> form = request.params();
		if (!authenticated(request, form)) {
			return ServerResponse.status(HttpStatus.UNAUTHORIZED)
				.header(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"sandbox\"")
				.body(oauthError("invalid_client", "Client authentication failed"));
		}
		String grantType = String.valueOf(form.getFirst("grant_type"));
		Instant now = this.clock.instant();
		if ("authorization_code".equals(grantType)) {
			Grant grant = this.codes.remove(String.valueOf(form.getFirst("code")));
			if (grant == null || now.isAfter(grant.expiresAt())) {
				return ServerResponse.badRequest()
					.body(oauthError("invalid_grant", "The code is unknown, used or expired"));
			}
			if (!this.redirectUri.equals(form.getFirst("redirect_uri"))) {
				return ServerResponse.badRequest()
					.body(oauthError("invalid_grant", "redirect_uri does not match the authorization request"));
			}
			return ServerResponse.ok().body(issue(grant, now, true));
		}
		if ("refresh_token".equals(grantType)) {
			Grant grant = this.refreshTokens.remove(String.valueOf(form.getFirst("refresh_token")));
			if (grant == null) {
				return ServerResponse.badRequest().body(oauthError("invalid_grant", "The refresh token is unknown"));
			}
			return ServerResponse.ok().body(issue(grant, now, false));
		}
		return ServerResponse.badRequest()
			.body(oauthError("unsupported_grant_type", "Use authorization_code or refresh_token"));
	}

	private ServerResponse accounts(ServerRequest request) {
		String token = request.headers().firstHeader("x-access-token");
		Issued issued = (token != null) ? this.accessTokens.get(token) : null;
		if (issued == null || this.clock.instant().isAfter(issued.expiresAt())) {
			return ServerResponse.status(HttpStatus.UNAUTHORIZED)
				.body(Map.of("errorCode", "WG_ERR_401", "errorMessage",
						"The access token is missing, invalid or expired"));
		}
		if (!issued.scopes().contains("private:account")) {
			return ServerResponse.status(HttpStatus.FORBIDDEN)
				.body(Map.of("errorCode", "WG_ERR_403", "errorMessage", "The token lacks the private:account scope"));
		}
		Map<String, Object> account = new LinkedHashMap<>();
		account.put("accountId", "101011234567");
		account.put("branchCode", "101");
		account.put("branchName", "Hojin Eigyobu");
		account.put("accountTypeCode", "01");
		account.put("accountTypeName", "Ordinary deposit");
		account.put("accountNumber", "1234567");
		account.put("currencyCode", "JPY");
		account.put("balance", "1250000");
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("baseDate", LocalDate.now(ZoneId.of("Asia/Tokyo")).toString());
		body.put("accounts", List.of(account));
		return ServerResponse.ok().contentType(MediaType.parseMediaType("application/json;charset=UTF-8")).body(body);
	}

	private Map<String, Object> issue(Grant grant, Instant now, boolean withIdToken) {
		String accessToken = SandboxTokens.opaque("aozora-at-");
		String refreshToken = SandboxTokens.opaque("aozora-rt-");
		this.accessTokens.put(accessToken, new Issued(grant.scopes(), now.plus(this.tokenTtl)));
		this.refreshTokens.put(refreshToken, grant);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", accessToken);
		body.put("refresh_token", refreshToken);
		body.put("scope", String.join(" ", grant.scopes()));
		body.put("token_type", "Bearer");
		body.put("expires_in", Long.toString(this.tokenTtl.toSeconds()));
		if (withIdToken && grant.scopes().contains("openid")) {
			Map<String, Object> claims = new LinkedHashMap<>();
			claims.put("iss", this.issuer);
			claims.put("sub", "customer-0001");
			claims.put("aud", this.clientId);
			claims.put("azp", this.clientId);
			if (grant.nonce() != null) {
				claims.put("nonce", grant.nonce());
			}
			body.put("id_token", SandboxTokens.hs256(this.clientSecret, now, now.plus(Duration.ofMinutes(10)), claims));
		}
		return body;
	}

	private boolean authenticated(ServerRequest request, MultiValueMap<String, String> form) {
		String authorization = request.headers().firstHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.startsWith("Basic ")) {
			String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
					StandardCharsets.UTF_8);
			return decoded.equals(this.clientId + ":" + this.clientSecret) && form.getFirst("client_secret") == null;
		}
		return authorization == null && this.clientId.equals(form.getFirst("client_id"))
				&& this.clientSecret.equals(form.getFirst("client_secret"));
	}

	private static ServerResponse redirectError(String redirectUri, String error, @Nullable String state) {
		UriComponentsBuilder uri = UriComponentsBuilder.fromUriString(redirectUri).queryParam("error", error);
		if (StringUtils.hasText(state)) {
			uri.queryParam("state", state);
		}
		return ServerResponse.status(HttpStatus.FOUND).location(uri.encode().build().toUri()).build();
	}

	private static Map<String, String> oauthError(String error, String description) {
		return Map.of("error", error, "error_description", description);
	}

	private static Set<String> scopes(@Nullable String scope) {
		return (scope != null) ? new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+"))) : Set.of();
	}

	private static @Nullable String emptyToNull(@Nullable String value) {
		return StringUtils.hasText(value) ? value : null;
	}

	private static String hidden(String name, String value) {
		return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + HtmlUtils.htmlEscape(value) + "\">";
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + HtmlUtils.htmlEscape(title)
				+ "</title></head><body><h1>" + HtmlUtils.htmlEscape(title) + "</h1>" + body + "</body></html>";
	}

	private record Grant(Set<String> scopes, @Nullable String nonce, Instant expiresAt) {
	}

	private record Issued(Set<String> scopes, Instant expiresAt) {
	}

}
