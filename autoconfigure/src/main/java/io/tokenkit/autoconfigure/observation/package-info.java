/**
 * Auto-configuration of the Micrometer observations of token calls.
 */
@NullMarked
package io.tokenkit.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
