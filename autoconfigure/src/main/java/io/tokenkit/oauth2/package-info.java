/**
 * A generic OAuth 2.0 token-endpoint client and the client_credentials, refresh_token and
 * static token sources.
 */
@NullMarked
package io.tokenkit.oauth2;

import org.jspecify.annotations.NullMarked;
