/**
 * Internal plumbing of the kit's servers ({@code MockTokenServer},
 * {@code MockResourceServer} and the vendor sandboxes): the loopback HTTP server, its
 * routes, requests and answers, and the token values and signatures they issue. Not API:
 * these types are public only so that the kit's packages share them, and may change in
 * any release.
 */
package io.tokenkit.test.server;
