/**
 * Sandboxes of the vendor APIs TokenKit's clients call: SaaSus Auth
 * ({@link io.tokenkit.test.sandbox.SaasusSandbox}), GMO Aozora Net Bank
 * ({@link io.tokenkit.test.sandbox.GmoAozoraSandbox}) and Authlete
 * ({@link io.tokenkit.test.sandbox.AuthleteSandbox}). Each is a plain HTTP server on a
 * loopback port that follows its vendor's wire format, started alone with {@code start()}
 * and stopped with {@code close()}, and gives the TokenKit properties that point an
 * application at it.
 */
package io.tokenkit.test.sandbox;
