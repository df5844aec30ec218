/**
 * A typed client of the SaaSus Auth credentials API ({@code POST /credentials},
 * {@code GET /credentials}) with SAASUSSIGV1 request signing, its models and errors, and
 * a per-user {@link io.tokenkit.token.TokenSource} that refreshes SaaSus tokens through
 * {@code auth-flow=refreshTokenAuth}.
 */
@NullMarked
package io.tokenkit.saasus;

import org.jspecify.annotations.NullMarked;
