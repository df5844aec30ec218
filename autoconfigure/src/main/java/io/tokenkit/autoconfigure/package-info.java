/**
 * Spring Boot auto-configuration of TokenKit, its configuration properties and failure
 * analysis.
 */
@NullMarked
package io.tokenkit.autoconfigure;

import org.jspecify.annotations.NullMarked;
