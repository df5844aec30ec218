/**
 * The token core: AccessToken, the TokenSource and TokenStore SPIs, and the TokenManager
 * that caches tokens, refreshes them ahead of expiry and lets one acquisition run per
 * key.
 */
@NullMarked
package io.tokenkit.token;

import org.jspecify.annotations.NullMarked;
