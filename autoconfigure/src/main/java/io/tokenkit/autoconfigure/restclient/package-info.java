/**
 * Auto-configuration of the {@code RestClient} interceptors.
 */
@NullMarked
package io.tokenkit.autoconfigure.restclient;

import org.jspecify.annotations.NullMarked;
