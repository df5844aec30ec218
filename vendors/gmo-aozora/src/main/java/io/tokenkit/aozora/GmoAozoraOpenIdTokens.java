package io.tokenkit.aozora;

import io.tokenkit.token.AccessToken;

/**
 * The tokens of an OpenID Connect authorization: the access token (with its refresh token
 * and the raw ID token) to save with {@link io.tokenkit.token.TokenManager#save}, and the
 * verified ID token.
 *
 * @param token the access token
 * @param idToken the verified ID token
 */
public record GmoAozoraOpenIdTokens(AccessToken token, GmoAozoraIdToken idToken) {

}
