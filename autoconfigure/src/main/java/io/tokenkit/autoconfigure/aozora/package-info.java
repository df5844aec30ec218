/**
 * Auto-configuration of the GMO Aozora Net Bank client and its properties
 * ({@code tokenkit.gmo-aozora.*}).
 */
@NullMarked
package io.tokenkit.autoconfigure.aozora;

import org.jspecify.annotations.NullMarked;
