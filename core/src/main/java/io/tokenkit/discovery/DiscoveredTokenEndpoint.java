package io.tokenkit.discovery;

import java.net.URI;

import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;

/**
 * The token endpoint of a registration, found in its issuer's metadata: the mutual TLS
 * alias of the token endpoint when the client authenticates with a certificate and the
 * server lists one, else {@code token_endpoint}. While the metadata cannot be had, a
 * token call fails with a {@link ServerMetadataException} that names the registration and
 * the issuer.
 */
public final class DiscoveredTokenEndpoint implements TokenEndpointResolver {

	private final String registrationId;

	private final IssuerMetadata metadata;

	private final boolean mutualTls;

	/**
	 * Create a resolver.
	 * @param registrationId the registration, named in errors
	 * @param metadata the metadata of the registration's issuer
	 * @param mutualTls whether the client authenticates with a certificate (RFC 8705), so
	 * that the {@code mtls_endpoint_aliases} of the token endpoint is called when listed
	 */
	public DiscoveredTokenEndpoint(String registrationId, IssuerMetadata metadata, boolean mutualTls) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(metadata, "metadata must not be null");
		this.registrationId = registrationId;
		this.metadata = metadata;
		this.mutualTls = mutualTls;
	}

	@Override
	public Mono<URI> resolve() {
		return this.metadata.get()
			.map((found) -> found.tokenEndpoint(this.mutualTls))
			.onErrorMap(ServerMetadataException.class, (failure) -> failure.forRegistration(this.registrationId));
	}

	@Override
	public TokenSourceReadiness checkReadiness() {
		return this.metadata.checkReadiness();
	}

	/**
	 * Return the metadata of the registration's issuer.
	 * @return the issuer's metadata
	 */
	public IssuerMetadata getMetadata() {
		return this.metadata;
	}

	/**
	 * Return whether the mutual TLS alias of the token endpoint is preferred.
	 * @return whether the client authenticates with a certificate
	 */
	public boolean isMutualTls() {
		return this.mutualTls;
	}

	@Override
	public String toString() {
		return "DiscoveredTokenEndpoint[issuer=" + BaseUrls.describe(this.metadata.getIssuer()) + ", mutualTls="
				+ this.mutualTls + "]";
	}

}
