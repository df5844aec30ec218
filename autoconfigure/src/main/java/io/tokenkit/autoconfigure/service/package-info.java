/**
 * Auto-configuration of HTTP service groups that send a registration's token.
 */
@NullMarked
package io.tokenkit.autoconfigure.service;

import org.jspecify.annotations.NullMarked;
