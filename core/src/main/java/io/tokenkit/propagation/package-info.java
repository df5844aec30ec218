/**
 * Token propagation: the bearer token of the request being served, read in the caller's
 * context, forwarded as it is or handed to a token-exchange or JWT-bearer grant that
 * turns it into a token for the next API.
 */
@NullMarked
package io.tokenkit.propagation;

import org.jspecify.annotations.NullMarked;
