/**
 * Discovery of an authorization server from its issuer identifier: the
 * ServerMetadataClient that fetches its metadata (OpenID Connect Discovery first, then
 * RFC 8414) and checks its issuer, the typed ServerMetadata it reads, the IssuerMetadata
 * that fetches it once when first needed and again after a cool-down when that failed,
 * the ServerMetadataRegistry that holds one per issuer for the application's life, and
 * the DiscoveredEndpoint that an OAuth2TokenClient asks for its token endpoint and an
 * OAuth2TokenRevoker for its revocation endpoint.
 */
@NullMarked
package io.tokenkit.discovery;

import org.jspecify.annotations.NullMarked;
