/**
 * What a person running the sample sees of TokenKit's work beside the library's own
 * {@code tokenkit} health contributor: one log line per token acquisition, from a
 * {@link io.tokenkit.token.TokenEventListener} bean.
 */
@NullMarked
package io.tokenkit.sample.observability;

import org.jspecify.annotations.NullMarked;
