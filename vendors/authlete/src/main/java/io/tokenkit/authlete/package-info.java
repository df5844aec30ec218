/**
 * A typed client of the Authlete API v3 token-management endpoints
 * ({@link io.tokenkit.authlete.AuthleteClient}): reissue an ID token, list, create,
 * update, delete and revoke access tokens of one Authlete service, with its request and
 * response records and its {@link io.tokenkit.authlete.AuthleteApiException}.
 */
@NullMarked
package io.tokenkit.authlete;

import org.jspecify.annotations.NullMarked;
