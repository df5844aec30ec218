/**
 * Auto-configuration of the Authlete client and its properties
 * ({@code tokenkit.authlete.*}).
 */
@NullMarked
package io.tokenkit.autoconfigure.authlete;

import org.jspecify.annotations.NullMarked;
