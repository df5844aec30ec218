/**
 * The bearer-token ClientHttpRequestInterceptor that puts a registration's token into
 * RestClient and RestTemplate requests and replays a request once on a 401, with the
 * tokens of the same TokenManager as the WebClient filter.
 */
@NullMarked
package io.tokenkit.restclient;

import org.jspecify.annotations.NullMarked;
