/**
 * Auto-configuration of what reads the incoming request's bearer token in a WebFlux
 * application: Spring's {@code ServerWebExchangeContextFilter}, for token propagation and
 * token exchange without Spring Security.
 */
@NullMarked
package io.tokenkit.autoconfigure.propagation;

import org.jspecify.annotations.NullMarked;
