package io.tokenkit.oauth2;

import java.net.URI;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.support.BaseUrls;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;

/**
 * Tells an {@link OAuth2TokenClient} where its token endpoint is, asked on each attempt
 * of a token call: a {@link #fixed(URI) fixed} URI, or one found in an authorization
 * server's metadata (see {@code io.tokenkit.discovery}). A resolver that cannot tell yet
 * fails with a {@link io.tokenkit.token.TokenApiException} of status {@code 0}, which the
 * token manager treats like an unreachable token endpoint.
 */
@FunctionalInterface
public interface TokenEndpointResolver {

	/**
	 * Return the token endpoint. Must not block.
	 * @return the token endpoint, or an error when it is not known
	 */
	Mono<URI> resolve();

	/**
	 * Return the token endpoint when it never changes, so that a token call asks for
	 * nothing more.
	 * @return the fixed URI, or {@code null} when it is resolved on each call
	 */
	default @Nullable URI getFixedUri() {
		return null;
	}

	/**
	 * Return whether the endpoint is known, for a health check; may start learning it in
	 * the background, never waiting for it. The default answers
	 * {@link TokenSourceReadiness#READY}.
	 * @return the readiness
	 */
	default TokenSourceReadiness checkReadiness() {
		return TokenSourceReadiness.READY;
	}

	/**
	 * Return a resolver of a fixed token endpoint.
	 * @param tokenUri the token endpoint
	 * @return the resolver
	 */
	static TokenEndpointResolver fixed(URI tokenUri) {
		Assert.notNull(tokenUri, "tokenUri must not be null");
		Mono<URI> resolved = Mono.just(tokenUri);
		return new TokenEndpointResolver() {

			@Override
			public Mono<URI> resolve() {
				return resolved;
			}

			@Override
			public URI getFixedUri() {
				return tokenUri;
			}

			@Override
			public String toString() {
				return "TokenEndpointResolver[" + BaseUrls.describe(tokenUri.toString()) + "]";
			}

		};
	}

}
