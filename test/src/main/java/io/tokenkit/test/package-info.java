/**
 * TokenKit's test kit: plain servers on loopback that stand in for token endpoints,
 * resource servers and vendor APIs in an application's own tests, a test annotation that
 * points TokenKit's properties at them, and AssertJ assertions on what they received.
 */
package io.tokenkit.test;
