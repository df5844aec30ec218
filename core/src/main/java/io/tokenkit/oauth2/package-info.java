/**
 * A generic OAuth 2.0 token-endpoint client in three parts (the OAuth2TokenClient that
 * sends, the OAuth2TokenResponseParser that reads a success answer, the
 * OAuth2TokenErrorMapper that maps an error answer), the ClientAuthentication strategies,
 * and the client_credentials, refresh_token and static token sources.
 */
@NullMarked
package io.tokenkit.oauth2;

import org.jspecify.annotations.NullMarked;
