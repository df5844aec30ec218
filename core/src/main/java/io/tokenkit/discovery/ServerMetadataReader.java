package io.tokenkit.discovery;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
			String shown = ServerText.truncate(BaseUrls.describe(answeredIssuer));
			throw new IssuerMismatchException(issuer, answeredIssuer,
					ServerMetadataClient.prefix(issuer) + where + " names issuer '" + shown + "', not the configured '"
							+ BaseUrls.describe(issuer)
							+ "'; the two must be equal exactly (RFC 8414 §3.3). Set issuer-uri to '" + shown
							+ "' if that is the authorization server you mean");
		}
		URI tokenEndpoint = endpoint(issuer, where, json, ServerMetadata.TOKEN_ENDPOINT);
		if (tokenEndpoint == null) {
			throw failure(issuer, where + " lists no token_endpoint; set token-uri instead");
		}
		Map<String, URI> aliases = new LinkedHashMap<>();
		JsonNode mtls = json.get("mtls_endpoint_aliases");
		if (mtls != null && mtls.isObject()) {
			for (String name : mtls.propertyNames()) {
				URI alias = endpoint(issuer, where, mtls, name);
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
		return new ServerMetadata(issuer, uri, tokenEndpoint, endpoint(issuer, where, json, "revocation_endpoint"),
				endpoint(issuer, where, json, "pushed_authorization_request_endpoint"), aliases, dpopAlgorithms);
	}

	private @Nullable URI endpoint(String issuer, String where, JsonNode json, String name) {
		JsonNode value = json.get(name);
		if (value == null || value.isNull()) {
			return null;
		}
		URI uri = (value.isString()) ? parse(value.asString()) : null;
		if (uri == null) {
			throw failure(issuer, where + " lists a " + name
					+ " that is not an absolute http or https URL without user info; set token-uri instead");
		}
		if (!this.allowInsecureHttp && PlainHttp.isInsecure(uri)) {
			throw failure(issuer,
					where + " lists a " + name + " over plain http to '" + uri.getHost()
							+ "', which is not a loopback address: tokens and secrets would cross the network in "
							+ "clear. Use an https issuer; only in tests, set tokenkit.allow-insecure-http=true");
		}
		return uri;
	}

	private static @Nullable URI parse(String value) {
		try {
			URI uri = new URI(value);
			boolean valid = uri.isAbsolute() && uri.getHost() != null && uri.getRawUserInfo() == null
					&& ("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()));
			return valid ? uri : null;
		}
		catch (URISyntaxException ex) {
			return null;
		}
	}

	private static ServerMetadataException failure(String issuer, String reason) {
		return new ServerMetadataException(issuer, 200, ServerMetadataClient.prefix(issuer) + reason, null);
	}

}
