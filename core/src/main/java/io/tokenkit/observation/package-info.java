/**
 * Observations of token calls (tokenkit.token.requests) and meters of the token cache and
 * bearer retries.
 */
@NullMarked
package io.tokenkit.observation;

import org.jspecify.annotations.NullMarked;
