/**
 * Auto-configuration that hands the tokens of Spring Security's login to TokenKit: an
 * authorized-client service and a manager provider backed by TokenKit's
 * {@code TokenManager}, the subject of each request from the logged-in user, and the
 * removal of a user's tokens on logout.
 */
@NullMarked
package io.tokenkit.autoconfigure.security;

import org.jspecify.annotations.NullMarked;
