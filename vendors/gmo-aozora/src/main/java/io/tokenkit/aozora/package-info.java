/**
 * The GMO Aozora Net Bank authorization client: authorization URLs for OAuth 2.0 and
 * OpenID Connect ({@code GET /authorization}), the token endpoint ({@code POST /token}:
 * authorization code and refresh token), the {@code state} and {@code nonce} the bank's
 * SDKs use, ID-token checks, and a per-user {@link io.tokenkit.token.TokenSource}.
 * <p>
 * The bank's resource APIs take the access token in the header {@code x-access-token},
 * not {@code Authorization}: a registration with {@code grant-type: gmo-aozora} should
 * set {@code header-name: x-access-token} and {@code header-format: "{token}"}.
 */
@NullMarked
package io.tokenkit.aozora;

import org.jspecify.annotations.NullMarked;
