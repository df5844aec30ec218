/**
 * Benchmarks that compare TokenKit's bearer filter with a plain WebClient and with Spring
 * Security's OAuth2 filter: per-request overhead (JMH), loopback throughput, expiry under
 * load and memory per token; and TokenKit's {@code RestClient} interceptor with Spring
 * Security's, for overhead and for expiry on virtual threads. Run them with
 * {@code benchmarks/run.sh}; the default build only compiles them.
 */
@NullMarked
package io.tokenkit.benchmarks;

import org.jspecify.annotations.NullMarked;
