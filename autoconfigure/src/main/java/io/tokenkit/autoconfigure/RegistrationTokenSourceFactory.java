package io.tokenkit.autoconfigure;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenSource;

/**
 * Creates the {@link TokenSource} of a configured registration. TokenKit asks every bean
 * of this type, in order, before its built-in OAuth 2.0 grants; the first
 * non-{@code null} answer wins. Vendor auto-configurations contribute one for their grant
 * type, and an application can add its own.
 */
@FunctionalInterface
public interface RegistrationTokenSourceFactory {

	/**
	 * Create the source of a registration, or return {@code null} to leave it to the next
	 * factory.
	 * @param registrationId the registration id
	 * @param registration the registration's properties
	 * @return the source, or {@code null}
	 * @throws InvalidTokenKitPropertyException if the registration is this factory's but
	 * misconfigured
	 */
	@Nullable TokenSource create(String registrationId, TokenKitProperties.Registration registration);

}
