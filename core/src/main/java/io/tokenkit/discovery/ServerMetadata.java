package io.tokenkit.discovery;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What TokenKit reads of an authorization server's metadata (RFC 8414 §2, OpenID Connect
 * Discovery 1.0 §3, RFC 8705 §5, RFC 9126 §5, RFC 9449 §5.1): its issuer, token endpoint,
 * revocation endpoint, pushed authorization request endpoint, the mutual TLS aliases of
 * its endpoints, and the JWS algorithms it takes for DPoP proofs.
 *
 * @param issuer the issuer, equal to the one configured
 * @param metadataUri where the metadata was fetched from
 * @param tokenEndpoint {@code token_endpoint}
 * @param revocationEndpoint {@code revocation_endpoint}, or {@code null}
 * @param pushedAuthorizationRequestEndpoint
 * {@code pushed_authorization_request_endpoint}, or {@code null}
 * @param mtlsEndpointAliases {@code mtls_endpoint_aliases}: the endpoints to call with a
 * client certificate, by metadata name (for example {@code token_endpoint}); empty when
 * the server lists none
 * @param dpopSigningAlgValuesSupported {@code dpop_signing_alg_values_supported}, empty
 * when the server lists none
 * @param unusableEndpoints the endpoints listed that cannot be used (not an absolute
 * https URL, or plain http where TokenKit's transport rule refuses it) and are left out
 * above, by member name (for example {@code revocation_endpoint} or
 * {@code mtls_endpoint_aliases.token_endpoint}), with why; empty when every one can be
 * used
 * @param authorizationResponseIssParameterSupported
 * {@code authorization_response_iss_parameter_supported} (RFC 9207 §3): whether the
 * server sends {@code iss} with every authorization response, so that a client refuses
 * one without it; {@code false} when absent
 */
public record ServerMetadata(String issuer, URI metadataUri, URI tokenEndpoint, @Nullable URI revocationEndpoint,
		@Nullable URI pushedAuthorizationRequestEndpoint, Map<String, URI> mtlsEndpointAliases,
		List<String> dpopSigningAlgValuesSupported, Map<String, String> unusableEndpoints,
		boolean authorizationResponseIssParameterSupported) {

	/** The metadata name of the token endpoint. */
	public static final String TOKEN_ENDPOINT = "token_endpoint";

	/** The member name of the mutual TLS alias of the token endpoint. */
	public static final String MTLS_TOKEN_ENDPOINT = "mtls_endpoint_aliases." + TOKEN_ENDPOINT;

	public ServerMetadata {
		Assert.hasText(issuer, "issuer must not be empty");
		Assert.notNull(metadataUri, "metadataUri must not be null");
		Assert.notNull(tokenEndpoint, "tokenEndpoint must not be null");
		Assert.notNull(mtlsEndpointAliases, "mtlsEndpointAliases must not be null");
		Assert.notNull(dpopSigningAlgValuesSupported, "dpopSigningAlgValuesSupported must not be null");
		Assert.notNull(unusableEndpoints, "unusableEndpoints must not be null");
		unusableEndpoints = Collections.unmodifiableMap(new LinkedHashMap<>(unusableEndpoints));
		mtlsEndpointAliases = Collections.unmodifiableMap(new LinkedHashMap<>(mtlsEndpointAliases));
		dpopSigningAlgValuesSupported = List.copyOf(dpopSigningAlgValuesSupported);
	}

	/** The metadata name of the revocation endpoint. */
	public static final String REVOCATION_ENDPOINT = "revocation_endpoint";

	/**
	 * Return the revocation endpoint to call (RFC 7009): its mutual TLS alias when the
	 * client authenticates with a certificate and the server lists one (RFC 8705 §5),
	 * else {@code revocation_endpoint}.
	 * @param mutualTls whether the client presents a certificate
	 * @return the revocation endpoint, or {@code null} when the server lists none
	 * @throws ServerMetadataException when the endpoint to call is listed but cannot be
	 * used ({@link #unusableEndpoints()}), so that the revocation fails and is reported
	 * instead of being skipped
	 */
	public @Nullable URI revocationEndpoint(boolean mutualTls) {
		String unusable = mutualTls ? this.unusableEndpoints.get("mtls_endpoint_aliases." + REVOCATION_ENDPOINT) : null;
		URI alias = mutualTls ? this.mtlsEndpointAliases.get(REVOCATION_ENDPOINT) : null;
		if (unusable == null && alias == null) {
			unusable = this.unusableEndpoints.get(REVOCATION_ENDPOINT);
		}
		if (unusable != null) {
			throw new ServerMetadataException(this.issuer, 200, unusable, null);
		}
		return (alias != null) ? alias : this.revocationEndpoint;
	}

	/**
	 * Create metadata of a server that does not say it sends {@code iss} with its
	 * authorization responses.
	 * @param issuer the issuer
	 * @param metadataUri where the metadata was fetched from
	 * @param tokenEndpoint {@code token_endpoint}
	 * @param revocationEndpoint {@code revocation_endpoint}, or {@code null}
	 * @param pushedAuthorizationRequestEndpoint
	 * {@code pushed_authorization_request_endpoint}, or {@code null}
	 * @param mtlsEndpointAliases {@code mtls_endpoint_aliases}
	 * @param dpopSigningAlgValuesSupported {@code dpop_signing_alg_values_supported}
	 * @param unusableEndpoints the endpoints listed that cannot be used, with why
	 */
	public ServerMetadata(String issuer, URI metadataUri, URI tokenEndpoint, @Nullable URI revocationEndpoint,
			@Nullable URI pushedAuthorizationRequestEndpoint, Map<String, URI> mtlsEndpointAliases,
			List<String> dpopSigningAlgValuesSupported, Map<String, String> unusableEndpoints) {
		this(issuer, metadataUri, tokenEndpoint, revocationEndpoint, pushedAuthorizationRequestEndpoint,
				mtlsEndpointAliases, dpopSigningAlgValuesSupported, unusableEndpoints, false);
	}

	/**
	 * Return the token endpoint to call: its mutual TLS alias when the client
	 * authenticates with a certificate and the server lists one (RFC 8705 §5), else
	 * {@code token_endpoint}.
	 * @param mutualTls whether the client presents a certificate
	 * @return the token endpoint
	 * @throws ServerMetadataException when the client presents a certificate and the
	 * server lists a mutual TLS alias of the token endpoint that cannot be used
	 */
	public URI tokenEndpoint(boolean mutualTls) {
		String unusable = mutualTls ? this.unusableEndpoints.get(MTLS_TOKEN_ENDPOINT) : null;
		if (unusable != null) {
			throw new ServerMetadataException(this.issuer, 200, unusable, null);
		}
		URI alias = mutualTls ? this.mtlsEndpointAliases.get(TOKEN_ENDPOINT) : null;
		return (alias != null) ? alias : this.tokenEndpoint;
	}

}
