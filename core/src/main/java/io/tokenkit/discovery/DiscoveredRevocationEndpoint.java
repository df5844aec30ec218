package io.tokenkit.discovery;

import java.net.URI;

import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.support.BaseUrls;

import org.springframework.util.Assert;

/**
 * The revocation endpoint of a registration (RFC 7009), found in its issuer's metadata:
 * the mutual TLS alias of {@code revocation_endpoint} when the client authenticates with
 * a certificate and the server lists one, else {@code revocation_endpoint}. Answers empty
 * when the server lists none, so that nothing is revoked; while the metadata cannot be
 * had, fails with a {@link ServerMetadataException} that names the registration and the
 * issuer.
 */
public final class DiscoveredRevocationEndpoint implements TokenEndpointResolver {

	private final String registrationId;

	private final IssuerMetadata metadata;

	private final boolean mutualTls;

	/**
	 * Create a resolver.
	 * @param registrationId the registration, named in errors
	 * @param metadata the metadata of the registration's issuer
	 * @param mutualTls whether the client authenticates with a certificate (RFC 8705)
	 */
	public DiscoveredRevocationEndpoint(String registrationId, IssuerMetadata metadata, boolean mutualTls) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(metadata, "metadata must not be null");
		this.registrationId = registrationId;
		this.metadata = metadata;
		this.mutualTls = mutualTls;
	}

	@Override
	public Mono<URI> resolve() {
		return this.metadata.get()
			.flatMap((found) -> Mono.justOrEmpty(found.revocationEndpoint(this.mutualTls)))
			.onErrorMap(ServerMetadataException.class, (failure) -> failure.forRegistration(this.registrationId));
	}

	@Override
	public String toString() {
		return "DiscoveredRevocationEndpoint[issuer=" + BaseUrls.describe(this.metadata.getIssuer()) + ", mutualTls="
				+ this.mutualTls + "]";
	}

}
