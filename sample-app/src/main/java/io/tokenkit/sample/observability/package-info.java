/**
 * What a person running the sample sees of TokenKit's work: one log line per token
 * acquisition and the {@code tokenkit} health contributor, both fed by
 * {@link io.tokenkit.token.TokenEventListener} beans.
 */
@NullMarked
package io.tokenkit.sample.observability;

import org.jspecify.annotations.NullMarked;
