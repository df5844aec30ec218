/**
 * Local stand-ins of the sample application (profile {@code local}): Spring Authorization
 * Server, an orders API it protects, and sandboxes following the wire formats of SaaSus
 * Auth, GMO Aozora Net Bank and Authlete, run as a second, servlet application on a
 * loopback port. Not scanned by the sample application.
 */
@NullMarked
package io.tokenkit.sample.sandbox;

import org.jspecify.annotations.NullMarked;
