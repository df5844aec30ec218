package io.tokenkit.test.sandbox;

import java.io.IOException;
import java.net.URLEncoder;
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

import io.tokenkit.test.server.Answer;
import io.tokenkit.test.server.Request;
import io.tokenkit.test.server.Tokens;

/**
 * A sandbox of GMO Aozora Net Bank's authorization server and one personal API, a plain
 * HTTP server on a loopback port:
 * <ul>
 * <li>{@code GET /auth/v1/authorization} checks {@code client_id}, the registered
 * {@code redirect_uri}, {@code response_type=code}, {@code scope} and {@code state}, and
 * shows a consent page (buttons {@code #approve} and {@code #deny}); its form posts to
 * {@code /auth/v1/authorization/decision}, which redirects back with {@code code} and
 * {@code state} (or {@code error=access_denied});</li>
 * <li>{@code POST /auth/v1/token} (form) takes {@code authorization_code} and
 * {@code refresh_token} grants, the client authenticated by {@code client_secret_basic}
 * or {@code client_secret_post}; answers {@code access_token}, {@code refresh_token}
 * (rotated on every refresh: the old one is refused afterwards), {@code scope},
 * {@code token_type}, {@code expires_in} (a string, as the bank's Java and Node models
 * declare it) and, for the {@code openid} scope, an {@code id_token} signed HS256 with
 * the client secret ({@code iss}, {@code sub}, {@code aud}, {@code azp}, {@code nonce});
 * errors are RFC 6749 bodies;</li>
 * <li>{@code GET /personal/v1/accounts} needs a valid access token with
 * {@code private:account} in {@code x-access-token}; errors are
 * {@code {"errorCode","errorMessage"}}.</li>
 * </ul>
 * Codes are valid for 60 seconds and usable once. Start one with {@link #start()} or
 * {@link #builder()}; {@link #properties()} points TokenKit's GMO Aozora client at it.
 * <p>
 * The FAPI 2.0 protections the bank does not document today can be switched on in the
 * builder, each also switching it on in {@link #properties()}:
 * <ul>
 * <li>{@link Builder#requirePkce() PKCE} (RFC 7636): an authorization request without a
 * {@code code_challenge} of method {@code S256} is refused. A challenge, required or not,
 * is always checked: the code exchange must send the {@code code_verifier} whose
 * {@code S256} it is;</li>
 * <li>{@link Builder#requirePushedAuthorization() PAR} (RFC 9126): the authorization
 * endpoint takes only a {@code request_uri} from {@code POST /auth/v1/par}, which always
 * answers (the client authenticated as at the token endpoint) with a {@code request_uri}
 * valid 60 seconds and usable once;</li>
 * <li>{@link Builder#sendIss() iss} (RFC 9207): every redirect to the callback carries
 * the issuer in {@code iss}.</li>
 * </ul>
 * The sandbox publishes its metadata ({@code issuer}, its endpoints,
 * {@code pushed_authorization_request_endpoint},
 * {@code code_challenge_methods_supported},
 * {@code authorization_response_iss_parameter_supported}) at
 * {@code /.well-known/openid-configuration}, found by its issuer when the builder makes
 * it {@link Builder#selfIssued() self-issued}.
 */
public final class GmoAozoraSandbox extends SandboxServer {

	private static final Duration CODE_VALIDITY = Duration.ofSeconds(60);

	private static final Duration REQUEST_URI_VALIDITY = Duration.ofSeconds(60);

	private static final String REQUEST_URI_PREFIX = "urn:ietf:params:oauth:request_uri:";

	private final String clientId;

	private final String clientSecret;

	private final String redirectUri;

	private final String issuer;

	private final Duration tokenLifetime;

	private final Clock clock;

	private final boolean requirePkce;

	private final boolean requirePushedAuthorization;

	private final boolean sendIss;

	private final boolean selfIssued;

	private final Map<String, Pushed> pushedRequests = new ConcurrentHashMap<>();

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private final Map<String, Grant> refreshTokens = new ConcurrentHashMap<>();

	private final Map<String, Issued> accessTokens = new ConcurrentHashMap<>();

	private GmoAozoraSandbox(Builder builder) {
		super("gmo-aozora-sandbox");
		this.clientId = builder.clientId;
		this.clientSecret = builder.clientSecret;
		this.redirectUri = builder.redirectUri;
		this.selfIssued = builder.selfIssued;
		this.issuer = this.selfIssued ? url("/") : builder.issuer;
		this.tokenLifetime = builder.tokenLifetime;
		this.clock = builder.clock;
		this.requirePkce = builder.requirePkce;
		this.requirePushedAuthorization = builder.requirePushedAuthorization;
		this.sendIss = builder.sendIss;
		route("GET", "/.well-known/openid-configuration", this::metadata);
		route("POST", "/auth/v1/par", this::pushedAuthorization);
		route("GET", "/auth/v1/authorization", this::authorization);
		route("POST", "/auth/v1/authorization/decision", this::decision);
		route("POST", "/auth/v1/token", this::token);
		route("GET", "/personal/v1/accounts", this::accounts);
	}

	/**
	 * Start a sandbox with the {@link #builder() builder's} defaults.
	 * @return the running sandbox
	 */
	public static GmoAozoraSandbox start() {
		return builder().start();
	}

	/**
	 * Return a builder of a sandbox with its own client, redirect URI, issuer and token
	 * lifetime.
	 * @return the builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the base URL of the authorization API, ending in {@code /auth/v1} like
	 * {@code https://api.gmo-aozora.com/ganb/api/auth/v1}.
	 * @return the base URL
	 */
	public String authBaseUrl() {
		return url("/auth/v1");
	}

	/**
	 * Return the base URL of the personal API, ending in {@code /personal/v1}; its
	 * {@code /accounts} takes the access token in {@code x-access-token}.
	 * @return the base URL
	 */
	public String personalApiBaseUrl() {
		return url("/personal/v1");
	}

	/**
	 * Return the issuer: of the ID tokens, of the metadata, and the {@code iss} of
	 * callbacks.
	 * @return the issuer
	 */
	public String issuer() {
		return this.issuer;
	}

	/**
	 * Return the pushed authorization request endpoint, {@code POST /auth/v1/par}.
	 * @return its URL
	 */
	public String pushedAuthorizationRequestUri() {
		return url("/auth/v1/par");
	}

	/**
	 * Return the TokenKit properties that point an application's GMO Aozora client at
	 * this sandbox: {@code tokenkit.gmo-aozora.base-url}, {@code client-id},
	 * {@code client-secret}, {@code redirect-uri} and {@code issuer}; and for each
	 * protection switched on in the builder, {@code pkce=true}, {@code par=true} (with
	 * {@code par-uri} unless the sandbox is self-issued, whose metadata names it) and
	 * {@code check-iss=true}.
	 * @return the properties by name
	 */
	public Map<String, String> properties() {
		Map<String, String> properties = new LinkedHashMap<>();
		properties.put("tokenkit.gmo-aozora.base-url", authBaseUrl());
		properties.put("tokenkit.gmo-aozora.client-id", this.clientId);
		properties.put("tokenkit.gmo-aozora.client-secret", this.clientSecret);
		properties.put("tokenkit.gmo-aozora.redirect-uri", this.redirectUri);
		properties.put("tokenkit.gmo-aozora.issuer", this.issuer);
		if (this.requirePkce) {
			properties.put("tokenkit.gmo-aozora.pkce", "true");
		}
		if (this.requirePushedAuthorization) {
			properties.put("tokenkit.gmo-aozora.par", "true");
			if (!this.selfIssued) {
				properties.put("tokenkit.gmo-aozora.par-uri", pushedAuthorizationRequestUri());
			}
		}
		if (this.sendIss) {
			properties.put("tokenkit.gmo-aozora.check-iss", "true");
		}
		return properties;
	}

	private Answer metadata(Request request) {
		Map<String, Object> metadata = new LinkedHashMap<>();
		metadata.put("issuer", this.issuer);
		metadata.put("authorization_endpoint", url("/auth/v1/authorization"));
		metadata.put("token_endpoint", url("/auth/v1/token"));
		metadata.put("pushed_authorization_request_endpoint", pushedAuthorizationRequestUri());
		metadata.put("require_pushed_authorization_requests", this.requirePushedAuthorization);
		metadata.put("code_challenge_methods_supported", List.of("S256"));
		metadata.put("authorization_response_iss_parameter_supported", this.sendIss);
		metadata.put("response_types_supported", List.of("code"));
		metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
		metadata.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		return Answer.jsonOf(200, metadata);
	}

	private Answer pushedAuthorization(Request request) throws IOException {
		Map<String, String> form = request.form();
		if (!authenticated(request.header("Authorization"), form) || !this.clientId.equals(form.get("client_id"))) {
			return Answer.jsonOf(401, oauthError("invalid_client", "Client authentication failed"))
				.withHeader("WWW-Authenticate", "Basic realm=\"sandbox\"");
		}
		if (form.containsKey("request_uri")) {
			return Answer.jsonOf(400, oauthError("invalid_request", "request_uri is not allowed in a pushed request"));
		}
		if (!this.redirectUri.equals(form.get("redirect_uri"))) {
			return Answer.jsonOf(400, oauthError("invalid_request", "redirect_uri is not registered"));
		}
		String problem = problem(form);
		if (problem != null) {
			return Answer.jsonOf(400, oauthError("invalid_request", problem));
		}
		Map<String, String> parameters = new LinkedHashMap<>(form);
		parameters.remove("client_secret");
		String requestUri = REQUEST_URI_PREFIX + Tokens.random(24);
		this.pushedRequests.put(requestUri,
				new Pushed(Map.copyOf(parameters), this.clock.instant().plus(REQUEST_URI_VALIDITY)));
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("request_uri", requestUri);
		body.put("expires_in", REQUEST_URI_VALIDITY.toSeconds());
		return Answer.jsonOf(201, body);
	}

	/**
	 * Return what is wrong with the parameters of an authorization request whose client
	 * and redirect URI are right, or {@code null}.
	 */
	private String problem(Map<String, String> parameters) {
		if (!"code".equals(parameters.get("response_type"))) {
			return "response_type must be code";
		}
		String scope = parameters.getOrDefault("scope", "");
		String state = parameters.getOrDefault("state", "");
		if (scope.isBlank() || state.isBlank() || state.length() > 128) {
			return "scope and state (at most 128 characters) are required";
		}
		String challenge = parameters.get("code_challenge");
		if (challenge == null && this.requirePkce) {
			return "PKCE is required: send code_challenge with code_challenge_method S256";
		}
		if (challenge != null && (!"S256".equals(parameters.get("code_challenge_method"))
				|| !challenge.matches("[A-Za-z0-9_-]{43}"))) {
			return "code_challenge must be a base64url SHA-256 with code_challenge_method S256";
		}
		return null;
	}

	private Answer authorization(Request request) {
		Map<String, String> query = request.query();
		String requestUri = query.get("request_uri");
		if (requestUri != null) {
			Pushed pushed = this.pushedRequests.remove(requestUri);
			if (pushed == null || this.clock.instant().isAfter(pushed.expiresAt())
					|| !this.clientId.equals(query.get("client_id"))
					|| !this.clientId.equals(pushed.parameters().get("client_id"))) {
				return Answer.html(400, page("Invalid request",
						"<p>The request_uri is unknown, used, expired or not this client's.</p>"));
			}
			query = pushed.parameters();
		}
		String clientId = query.getOrDefault("client_id", "");
		String redirectUri = query.getOrDefault("redirect_uri", "");
		if (!this.clientId.equals(clientId) || !this.redirectUri.equals(redirectUri)) {
			// Never redirect to an unregistered URI: tell the user instead.
			return Answer.html(400, page("Invalid request", "<p>Unknown client or unregistered redirect_uri.</p>"));
		}
		String state = query.getOrDefault("state", "");
		String scope = query.getOrDefault("scope", "");
		if (!"code".equals(query.get("response_type"))) {
			return redirectError(redirectUri, "unsupported_response_type", state);
		}
		if (requestUri == null && this.requirePushedAuthorization) {
			return redirectError(redirectUri, "invalid_request", state);
		}
		if (problem(query) != null) {
			return redirectError(redirectUri, "invalid_request", state);
		}
		StringBuilder scopes = new StringBuilder();
		for (String each : scopes(scope)) {
			scopes.append("<li>").append(escape(each)).append("</li>");
		}
		String form = "<form method=\"post\" action=\"/auth/v1/authorization/decision\">"
				+ hidden("client_id", clientId) + hidden("redirect_uri", redirectUri) + hidden("scope", scope)
				+ hidden("state", state) + hidden("nonce", query.getOrDefault("nonce", ""))
				+ hidden("code_challenge", query.getOrDefault("code_challenge", ""))
				+ "<button id=\"approve\" name=\"decision\" value=\"approve\" type=\"submit\">Approve</button> "
				+ "<button id=\"deny\" name=\"decision\" value=\"deny\" type=\"submit\">Deny</button></form>";
		return Answer.html(200,
				page("GMO Aozora Net Bank (sandbox) \u2014 consent", "<p>The application <b>" + escape(clientId)
						+ "</b> asks to access your account with these scopes:</p><ul>" + scopes + "</ul>" + form));
	}

	private Answer decision(Request request) throws IOException {
		Map<String, String> form = request.form();
		String redirectUri = form.get("redirect_uri");
		if (!this.clientId.equals(form.get("client_id")) || !this.redirectUri.equals(redirectUri)) {
			return Answer.html(400, page("Invalid request", ""));
		}
		String state = form.get("state");
		if (!"approve".equals(form.get("decision"))) {
			return redirectError(redirectUri, "access_denied", state);
		}
		String code = Tokens.opaque("code-");
		String nonce = form.getOrDefault("nonce", "");
		String challenge = form.getOrDefault("code_challenge", "");
		this.codes.put(code, new Grant(scopes(form.get("scope")), nonce.isEmpty() ? null : nonce,
				challenge.isEmpty() ? null : challenge, this.clock.instant().plus(CODE_VALIDITY)));
		return Answer.redirect(redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code)
				+ "&state=" + encode(state) + iss());
	}

	/** The {@code iss} parameter of a callback, when the sandbox sends it. */
	private String iss() {
		return this.sendIss ? "&iss=" + encode(this.issuer) : "";
	}

	private Answer token(Request request) throws IOException {
		Map<String, String> form = request.form();
		if (!authenticated(request.header("Authorization"), form)) {
			return Answer.jsonOf(401, oauthError("invalid_client", "Client authentication failed"))
				.withHeader("WWW-Authenticate", "Basic realm=\"sandbox\"");
		}
		String grantType = form.getOrDefault("grant_type", "");
		Instant now = this.clock.instant();
		if ("authorization_code".equals(grantType)) {
			Grant grant = this.codes.remove(form.getOrDefault("code", ""));
			if (grant == null || now.isAfter(grant.expiresAt())) {
				return Answer.jsonOf(400, oauthError("invalid_grant", "The code is unknown, used or expired"));
			}
			if (!this.redirectUri.equals(form.get("redirect_uri"))) {
				return Answer.jsonOf(400,
						oauthError("invalid_grant", "redirect_uri does not match the authorization request"));
			}
			String verifier = form.get("code_verifier");
			if (grant.codeChallenge() != null && (verifier == null || !verifier.matches("[A-Za-z0-9._~-]{43,128}")
					|| !grant.codeChallenge().equals(Tokens.hash(verifier)))) {
				return Answer.jsonOf(400, oauthError("invalid_grant",
						"code_verifier is missing or does not match the code_challenge of the authorization request"));
			}
			return Answer.jsonOf(200, issue(grant, now, true));
		}
		if ("refresh_token".equals(grantType)) {
			Grant grant = this.refreshTokens.remove(form.getOrDefault("refresh_token", ""));
			if (grant == null) {
				return Answer.jsonOf(400, oauthError("invalid_grant", "The refresh token is unknown or used"));
			}
			return Answer.jsonOf(200, issue(grant, now, false));
		}
		return Answer.jsonOf(400, oauthError("unsupported_grant_type", "Use authorization_code or refresh_token"));
	}

	private Answer accounts(Request request) {
		String token = request.header("x-access-token");
		Issued issued = (token != null) ? this.accessTokens.get(token) : null;
		if (issued == null || this.clock.instant().isAfter(issued.expiresAt())) {
			return Answer.jsonOf(401, Map.of("errorCode", "WG_ERR_401", "errorMessage",
					"The access token is missing, invalid or expired"));
		}
		if (!issued.scopes().contains("private:account")) {
			return Answer.jsonOf(403,
					Map.of("errorCode", "WG_ERR_403", "errorMessage", "The token lacks the private:account scope"));
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
		body.put("baseDate", LocalDate.now(this.clock.withZone(ZoneId.of("Asia/Tokyo"))).toString());
		body.put("accounts", List.of(account));
		return Answer.jsonOf(200, "application/json;charset=UTF-8", body);
	}

	private Map<String, Object> issue(Grant grant, Instant now, boolean withIdToken) {
		String accessToken = Tokens.opaque("aozora-at-");
		String refreshToken = Tokens.opaque("aozora-rt-");
		this.accessTokens.put(accessToken, new Issued(grant.scopes(), now.plus(this.tokenLifetime)));
		this.refreshTokens.put(refreshToken, grant);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("access_token", accessToken);
		body.put("refresh_token", refreshToken);
		body.put("scope", String.join(" ", grant.scopes()));
		body.put("token_type", "Bearer");
		body.put("expires_in", Long.toString(this.tokenLifetime.toSeconds()));
		if (withIdToken && grant.scopes().contains("openid")) {
			Map<String, Object> claims = new LinkedHashMap<>();
			claims.put("iss", this.issuer);
			claims.put("sub", "customer-0001");
			claims.put("aud", this.clientId);
			claims.put("azp", this.clientId);
			if (grant.nonce() != null) {
				claims.put("nonce", grant.nonce());
			}
			body.put("id_token", Tokens.hs256(this.clientSecret, now, now.plus(Duration.ofMinutes(10)), claims));
		}
		return body;
	}

	private boolean authenticated(String authorization, Map<String, String> form) {
		if (authorization != null && authorization.startsWith("Basic ")) {
			String decoded;
			try {
				decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()),
						StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				return false;
			}
			return decoded.equals(this.clientId + ":" + this.clientSecret) && !form.containsKey("client_secret");
		}
		return authorization == null && this.clientId.equals(form.get("client_id"))
				&& this.clientSecret.equals(form.get("client_secret"));
	}

	private Answer redirectError(String redirectUri, String error, String state) {
		String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=" + encode(error);
		if (state != null && !state.isBlank()) {
			location += "&state=" + encode(state);
		}
		return Answer.redirect(location + iss());
	}

	private static Map<String, String> oauthError(String error, String description) {
		return Map.of("error", error, "error_description", description);
	}

	private static Set<String> scopes(String scope) {
		return (scope != null && !scope.isBlank()) ? new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")))
				: Set.of();
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
	}

	private static String hidden(String name, String value) {
		return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + escape(value) + "\">";
	}

	private static String page(String title, String body) {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>" + escape(title)
				+ "</title><style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;"
				+ "color:#1d2939}h1{font-size:1.3rem}button{padding:.5rem 1.2rem;border-radius:6px;"
				+ "border:1px solid #0b5cad;font:inherit;cursor:pointer}#approve{background:#0b5cad;color:#fff}"
				+ "#deny{background:#fff;color:#0b5cad}</style></head><body><h1>" + escape(title) + "</h1>" + body
				+ "</body></html>";
	}

	private record Grant(Set<String> scopes, String nonce, String codeChallenge, Instant expiresAt) {
	}

	private record Pushed(Map<String, String> parameters, Instant expiresAt) {
	}

	private record Issued(Set<String> scopes, Instant expiresAt) {
	}

	/**
	 * Builds a {@link GmoAozoraSandbox}. None of its defaults is a real credential.
	 */
	public static final class Builder extends SandboxBuilder<Builder> {

		private String clientId = "sandbox-bank-client";

		private String clientSecret = "sandbox-bank-client-secret-0123456789";

		private String redirectUri = "http://localhost:8080/callback";

		private String issuer = "https://sandbox.gmo-aozora.invalid/";

		private boolean selfIssued;

		private boolean requirePkce;

		private boolean requirePushedAuthorization;

		private boolean sendIss;

		private Builder() {
		}

		/**
		 * Set the client ID the bank registered.
		 * @param clientId the client ID
		 * @return this builder
		 */
		public Builder clientId(String clientId) {
			this.clientId = clientId;
			return this;
		}

		/**
		 * Set the client secret, which also signs the ID tokens (HS256): at least 32
		 * bytes.
		 * @param clientSecret the client secret
		 * @return this builder
		 */
		public Builder clientSecret(String clientSecret) {
			if (clientSecret.getBytes(StandardCharsets.UTF_8).length < 32) {
				throw new IllegalArgumentException(
						"clientSecret must have at least 32 bytes: it is the HS256 key of the ID tokens");
			}
			this.clientSecret = clientSecret;
			return this;
		}

		/**
		 * Set the one redirect URI registered for the client: the application's callback
		 * ({@code http://localhost:8080/callback} by default).
		 * @param redirectUri the redirect URI
		 * @return this builder
		 */
		public Builder redirectUri(String redirectUri) {
			this.redirectUri = redirectUri;
			return this;
		}

		/**
		 * Set the {@code iss} of the ID tokens.
		 * @param issuer the issuer
		 * @return this builder
		 */
		public Builder issuer(String issuer) {
			this.issuer = issuer;
			return this;
		}

		/**
		 * Make the sandbox's own address ({@code http://127.0.0.1:<port>/}) its issuer,
		 * in place of {@link #issuer(String)}, so that a client finds its metadata from
		 * the issuer.
		 * @return this builder
		 */
		public Builder selfIssued() {
			this.selfIssued = true;
			return this;
		}

		/**
		 * Refuse authorization requests without a PKCE {@code code_challenge} of method
		 * {@code S256}.
		 * @return this builder
		 */
		public Builder requirePkce() {
			this.requirePkce = true;
			return this;
		}

		/**
		 * Refuse authorization requests that were not pushed first ({@code request_uri}
		 * from {@code POST /auth/v1/par}).
		 * @return this builder
		 */
		public Builder requirePushedAuthorization() {
			this.requirePushedAuthorization = true;
			return this;
		}

		/**
		 * Put the issuer in the {@code iss} of every redirect to the callback.
		 * @return this builder
		 */
		public Builder sendIss() {
			this.sendIss = true;
			return this;
		}

		/**
		 * Start the sandbox.
		 * @return the running sandbox
		 */
		public GmoAozoraSandbox start() {
			return new GmoAozoraSandbox(this);
		}

	}

}
