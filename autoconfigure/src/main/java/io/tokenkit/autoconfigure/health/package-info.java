/**
 * Auto-configuration of the health indicator of the registrations.
 */
@NullMarked
package io.tokenkit.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
