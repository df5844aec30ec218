/**
 * TokenKit for Spring's HTTP service groups ({@code @HttpExchange} interfaces imported
 * with {@code @ImportHttpServices}): which registration's token each method's requests
 * carry, chosen from {@code @TokenKitRegistration}, Spring Security's
 * {@code @ClientRegistrationId} or the group's property, and put into a request attribute
 * that the group client's TokenKit interceptor or filter reads.
 */
@NullMarked
package io.tokenkit.service;

import org.jspecify.annotations.NullMarked;
