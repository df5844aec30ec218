/**
 * A TokenStore on Redis, for applications that run as several instances and should share
 * their tokens.
 */
@NullMarked
package io.tokenkit.redis;

import org.jspecify.annotations.NullMarked;
