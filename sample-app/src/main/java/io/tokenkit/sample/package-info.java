/**
 * The TokenKit sample application and its demo endpoints.
 */
@NullMarked
package io.tokenkit.sample;

import org.jspecify.annotations.NullMarked;
