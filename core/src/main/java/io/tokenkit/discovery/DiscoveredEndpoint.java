package io.tokenkit.discovery;

import java.net.URI;
import java.util.function.BiFunction;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.support.BaseUrls;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;

/**
 * An endpoint of a registration found in its issuer's metadata by one of
 * {@link ServerMetadata}'s accessors: {@link ServerMetadata#tokenEndpoint(boolean)} for
 * the token endpoint of an {@link io.tokenkit.oauth2.OAuth2TokenClient},
 * {@link ServerMetadata#revocationEndpoint(boolean)} for the revocation endpoint (RFC
 * 7009) of an {@link io.tokenkit.oauth2.OAuth2TokenRevoker}. The accessor picks the
 * mutual TLS alias when the client authenticates with a certificate and the server lists
 * one. Answers empty when the accessor finds none (a server that lists no revocation
 * endpoint, so that nothing is revoked). While the metadata cannot be had, or when the
 * endpoint listed cannot be used, fails with a {@link ServerMetadataException} that names
 * the registration and the issuer. Once the metadata is held (it is kept for the
 * application's life) the endpoint found is answered on every later attempt without
 * reading the metadata again.
 */
public final class DiscoveredEndpoint implements TokenEndpointResolver {

	private final String registrationId;

	private final IssuerMetadata metadata;

	private final boolean mutualTls;

	/** Reads the endpoint, or the alias the client calls, from the metadata. */
	private final Function<ServerMetadata, @Nullable URI> endpoint;

	/** The endpoint found in the metadata held, once found. */
	private volatile @Nullable Mono<URI> found;

	/**
	 * Create a resolver.
	 * @param registrationId the registration, named in errors
	 * @param metadata the metadata of the registration's issuer
	 * @param mutualTls whether the client authenticates with a certificate (RFC 8705), so
	 * that the endpoint's {@code mtls_endpoint_aliases} entry is called when listed
	 * @param accessor reads the endpoint from the metadata, for example
	 * {@code ServerMetadata::tokenEndpoint} or
	 * {@code ServerMetadata::revocationEndpoint}; {@code null} when the server lists none
	 */
	public DiscoveredEndpoint(String registrationId, IssuerMetadata metadata, boolean mutualTls,
			BiFunction<ServerMetadata, Boolean, @Nullable URI> accessor) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(metadata, "metadata must not be null");
		Assert.notNull(accessor, "accessor must not be null");
		this.registrationId = registrationId;
		this.metadata = metadata;
		this.endpoint = (held) -> accessor.apply(held, mutualTls);
		this.mutualTls = mutualTls;
	}

	@Override
	public Mono<URI> resolve() {
		Mono<URI> found = this.found;
		if (found != null) {
			return found;
		}
		return this.metadata.get()
			.flatMap(this::find)
			.onErrorMap(ServerMetadataException.class, (failure) -> failure.forRegistration(this.registrationId));
	}

	/**
	 * Read the endpoint from the metadata held and keep it; an endpoint that cannot be
	 * used fails each time it is asked for.
	 */
	private Mono<URI> find(ServerMetadata held) {
		Mono<URI> found = Mono.justOrEmpty(this.endpoint.apply(held));
		this.found = found;
		return found;
	}

	@Override
	public TokenSourceReadiness checkReadiness() {
		return this.metadata.checkReadiness();
	}

	@Override
	public String toString() {
		return "DiscoveredEndpoint[issuer=" + BaseUrls.describe(this.metadata.getIssuer()) + ", mutualTls="
				+ this.mutualTls + "]";
	}

}
