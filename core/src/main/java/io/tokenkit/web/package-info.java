/**
 * The bearer-token ExchangeFilterFunction that puts a registration's token into WebClient
 * requests and retries once on a 401.
 */
@NullMarked
package io.tokenkit.web;

import org.jspecify.annotations.NullMarked;
