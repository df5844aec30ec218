/**
 * Auto-configuration of the Redis token store, its encryption at rest and its shutdown.
 */
@NullMarked
package io.tokenkit.autoconfigure.redis;

import org.jspecify.annotations.NullMarked;
