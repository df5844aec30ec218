package io.tokenkit.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import io.tokenkit.support.BaseUrls;
import io.tokenkit.support.PlainHttp;
import io.tokenkit.support.ResponseContent;
import io.tokenkit.support.ServerText;

/**
 * Reads a success answer of a metadata endpoint into {@link ServerMetadata}: a JSON
 * object whose {@code issuer} equals the configured issuer exactly, with a
 * {@code token_endpoint}, and whose endpoints are absolute http or https URLs that follow
 * TokenKit's transport rule (https, or plain http to a loopback host only, unless
 * insecure http is allowed).
 */
final class ServerMetadataReader {

	private static final Log logger = LogFactory.getLog(ServerMetadataReader.class);

	private final boolean allowInsecureHttp;

	ServerMetadataReader(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	ServerMetadata read(String issuer, URI uri, ResponseContent content) {
		JsonNode json = content.getJsonObject();
		String where = ServerMetadataClient.describe(uri);
		if (json == null) {
			throw failure(issuer, where + " answered " + content.getStatusCode() + " with no JSON object ("
					+ content.getContentType() + "); check that issuer-uri is the issuer identifier");
		}
		JsonNode answered = json.get("issuer");
		if (answered == null || !answered.isString()) {
			throw failure(issuer, where + " answered metadata without an issuer; set token-uri instead");
		}
		String answeredIssuer = answered.asString();
		if (!issuer.equals(answeredIssuer)) {
			String shown = quoted(answeredIssuer);
			String action = (parse(answeredIssuer) != null && answeredIssuer.equals(answeredIssuer.strip()))
					? "Set issuer-uri to " + shown + " if that is the authorization server you mean"
					: "The answered issuer is not a URL TokenKit can use; check the server's issuer setting, or "
							+ "set token-uri instead";
			throw new IssuerMismatchException(issuer, answeredIssuer,
					ServerMetadataClient.prefix(issuer) + where + " names issuer " + shown + ", not the configured '"
							+ BaseUrls.describe(issuer) + "'; the two must be equal exactly (RFC 8414 §3.3). "
							+ action);
		}
		String refusal = refusal(issuer, where, json, ServerMetadata.TOKEN_ENDPOINT, ServerMetadata.TOKEN_ENDPOINT);
		if (refusal != null) {
			throw failure(issuer, refusal);
		}
		URI tokenEndpoint = endpoint(json, ServerMetadata.TOKEN_ENDPOINT);
		if (tokenEndpoint == null) {
			throw failure(issuer, where + " lists no token_endpoint; set token-uri instead");
		}
		Map<String, String> unusable = new LinkedHashMap<>();
		Map<String, URI> aliases = new LinkedHashMap<>();
		JsonNode mtls = json.get("mtls_endpoint_aliases");
		if (mtls != null && mtls.isObject()) {
			for (String name : mtls.propertyNames()) {
				URI alias = optional(issuer, where, mtls, name, "mtls_endpoint_aliases." + name, unusable);
				if (alias != null) {
					aliases.put(name, alias);
				}
			}
		}
		List<String> dpopAlgorithms = new ArrayList<>();
		JsonNode dpop = json.get("dpop_signing_alg_values_supported");
		if (dpop != null && dpop.isArray()) {
			for (JsonNode algorithm : dpop.values()) {
				if (algorithm.isString()) {
					dpopAlgorithms.add(algorithm.asString());
				}
			}
		}
		URI revocation = optional(issuer, where, json, "revocation_endpoint", "revocation_endpoint", unusable);
		URI par = optional(issuer, where, json, "pushed_authorization_request_endpoint",
				"pushed_authorization_request_endpoint", unusable);
		JsonNode iss = json.get("authorization_response_iss_parameter_supported");
		boolean issSupported = iss != null && iss.isBoolean() && iss.booleanValue();
		return new ServerMetadata(issuer, uri, tokenEndpoint, revocation, par, aliases, dpopAlgorithms, unusable,
				issSupported);
	}

	/**
	 * Read an endpoint no token call of every registration needs: one that cannot be used
	 * is left out (logged at debug, with why), so that it fails only what would call it.
	 */
	private @Nullable URI optional(String issuer, String where, JsonNode json, String name, String member,
			Map<String, String> unusable) {
		String refusal = refusal(issuer, where, json, name, member);
		if (refusal == null) {
			return endpoint(json, name);
		}
		unusable.put(member, ServerMetadataClient.prefix(issuer) + refusal);
		if (logger.isDebugEnabled()) {
			logger.debug("Left out " + member + " of the metadata of issuer '" + BaseUrls.describe(issuer) + "': "
					+ refusal);
		}
		return null;
	}

	private static @Nullable URI endpoint(JsonNode json, String name) {
		JsonNode value = json.get(name);
		return (value != null && value.isString()) ? parse(value.asString()) : null;
	}

	/**
	 * Return why the endpoint {@code name} of {@code json} cannot be used, or
	 * {@code null} when it can or is not listed. Plain http is taken only when the issuer
	 * itself is plain http on a loopback host (a test server) and the endpoint is on a
	 * loopback host too, or when insecure http is allowed: metadata fetched over https
	 * never sends a secret in clear, not even to a local port.
	 */
	private @Nullable String refusal(String issuer, String where, JsonNode json, String name, String member) {
		JsonNode value = json.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		URI uri = (value.isString()) ? parse(value.asString()) : null;
		if (uri == null) {
			return where + " lists a " + member + " that is not an absolute http or https URL without user info or "
					+ "fragment; set token-uri instead";
		}
		if (this.allowInsecureHttp || !"http".equalsIgnoreCase(uri.getScheme())) {
			return null;
		}
		if (PlainHttp.isInsecure(uri)) {
			return where + " lists a " + member + " over plain http to '" + uri.getHost()
					+ "', which is not a loopback address: tokens and secrets would cross the network in "
					+ "clear. Use an https issuer; only in tests, set tokenkit.allow-insecure-http=true";
		}
		URI issuerUri = URI.create(issuer);
		if (!"http".equalsIgnoreCase(issuerUri.getScheme()) || !PlainHttp.isLoopback(issuerUri.getHost())) {
			return where + " lists a " + member + " over plain http to '" + PlainHttp.origin(uri)
					+ "', which only an issuer on plain http to a loopback host (a test server) may list: the "
					+ "client secret would be sent in clear to a local port. Set token-uri to the https endpoint; "
					+ "only in tests, set tokenkit.allow-insecure-http=true";
		}
		return null;
	}

	private static @Nullable URI parse(String value) {
		try {
			URI uri = new URI(value);
			boolean valid = uri.isAbsolute() && uri.getHost() != null && uri.getRawUserInfo() == null
					&& uri.getRawFragment() == null
					&& ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
			return valid ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	/**
	 * Quote text a server wrote as an issuer so that a stray space or character shows:
	 * its query, fragment and user info left out (they may hold credentials), control
	 * characters escaped, at most {@link ServerText#MAX_LENGTH} characters.
	 */
	static String quoted(String text) {
		String shown = text;
		int cut = indexOfAny(shown, "?#");
		if (cut >= 0) {
			shown = shown.substring(0, cut) + "[…]";
		}
		int authority = shown.indexOf("//");
		if (authority >= 0) {
			int end = indexOfAny(shown.substring(authority + 2), "/");
			String host = (end >= 0) ? shown.substring(authority + 2, authority + 2 + end)
					: shown.substring(authority + 2);
			int at = host.lastIndexOf('@');
			if (at >= 0) {
				shown = shown.substring(0, authority + 2) + "[…]" + shown.substring(authority + 2 + at);
			}
		}
		StringBuilder escaped = new StringBuilder();
		shown.codePoints().forEach((c) -> {
			if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
				escaped.append(String.format("\\u%04x", c));
			}
			else {
				escaped.appendCodePoint(c);
			}
		});
		return "'" + ServerText.truncate(escaped.toString()) + "'";
	}

	private static int indexOfAny(String text, String characters) {
		for (int i = 0; i < text.length(); i++) {
			if (characters.indexOf(text.charAt(i)) >= 0) {
				return i;
			}
		}
		return -1;
	}

	private static ServerMetadataException failure(String issuer, String reason) {
		return new ServerMetadataException(issuer, 200, ServerMetadataClient.prefix(issuer) + reason, null);
	}

}
