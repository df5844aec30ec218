/**
 * Auto-configuration of the SaaSus Auth client and its properties
 * ({@code tokenkit.saasus.*}).
 */
@NullMarked
package io.tokenkit.autoconfigure.saasus;

import org.jspecify.annotations.NullMarked;
