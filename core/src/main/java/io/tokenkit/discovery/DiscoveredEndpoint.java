package io.tokenkit.discovery;

import java.net.URI;
import java.util.function.BiFunction;

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

	private final String name;

	private final BiFunction<ServerMetadata, Boolean, @Nullable URI> accessor;

	/** The endpoint found in the metadata held, once found. */
	private volatile @Nullable Mono<URI> found;

	/**
	 * Create a resolver.
	 * @param registrationId the registration, named in errors
	 * @param metadata the metadata of the registration's issuer
	 * @param mutualTls whether the client authenticates with a certificate (RFC 8705), so
	 * that the endpoint's {@code mtls_endpoint_aliases} entry is called when listed
	 * @param name the metadata name of the endpoint, for example
	 * {@link ServerMetadata#TOKEN_ENDPOINT}, shown by {@link #toString()}
	 * @param accessor reads the endpoint from the metadata, for example
	 * {@code ServerMetadata::tokenEndpoint} or
	 * {@code ServerMetadata::revocationEndpoint}; {@code null} when the server lists none
	 */
	public DiscoveredEndpoint(String registrationId, IssuerMetadata metadata, boolean mutualTls, String name,
			BiFunction<ServerMetadata, Boolean, @Nullable URI> accessor) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		Assert.notNull(metadata, "metadata must not be null");
		Assert.hasText(name, "name must not be empty");
		Assert.notNull(accessor, "accessor must not be null");
		this.registrationId = registrationId;
		this.metadata = metadata;
		this.mutualTls = mutualTls;
		this.name = name;
		this.accessor = accessor;
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
		Mono<URI> found = Mono.justOrEmpty(this.accessor.apply(held, this.mutualTls));
		this.found = found;
		return found;
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
	 * Return whether the mutual TLS alias of the endpoint is preferred.
	 * @return whether the client authenticates with a certificate
	 */
	public boolean isMutualTls() {
		return this.mutualTls;
	}

	@Override
	public String toString() {
		return "DiscoveredEndpoint[" + this.name + ", issuer=" + BaseUrls.describe(this.metadata.getIssuer())
				+ ", mutualTls=" + this.mutualTls + "]";
	}

}
