/**
 * Spring Boot Actuator health of TokenKit's registrations: one indicator per
 * registration, from what the {@link io.tokenkit.token.TokenManager} of this instance
 * knows of its tokens (optional dependency on {@code spring-boot-health}).
 */
@NullMarked
package io.tokenkit.health;

import org.jspecify.annotations.NullMarked;
