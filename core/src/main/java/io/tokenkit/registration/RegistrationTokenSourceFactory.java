package io.tokenkit.registration;

import java.util.Set;
import java.util.function.Function;

import io.tokenkit.token.TokenSource;

import org.springframework.util.Assert;

/**
 * Creates the {@link TokenSource} of the registrations whose grant type it serves. Every
 * bean of this type is asked, in order, which grant types it serves; the first one that
 * serves a registration's grant type creates its source. TokenKit's own OAuth 2.0 grants
 * ({@code client_credentials}, {@code refresh_token}, {@code static}) are a factory like
 * any other, ordered last, so an application bean can serve one of them differently or
 * add a grant type of its own. A grant type that no factory serves stops start-up with a
 * failure analysis.
 */
public interface RegistrationTokenSourceFactory {

	/**
	 * Return the grant types this factory serves, for example {@code client_credentials}.
	 * Names are matched ignoring case, with {@code -} and {@code _} alike
	 * ({@link RegistrationDefinition#sameGrantType(String, String)}).
	 * @return the grant types, not empty
	 */
	Set<String> grantTypes();

	/**
	 * Create the source of a registration whose grant type this factory serves.
	 * @param registration the registration
	 * @return the source
	 * @throws InvalidTokenKitPropertyException if the registration is misconfigured
	 */
	TokenSource create(RegistrationDefinition registration);

	/**
	 * Return whether this factory serves a grant type.
	 * @param grantType the grant type, as configured
	 * @return whether one of {@link #grantTypes()} names it
	 */
	default boolean serves(String grantType) {
		for (String served : grantTypes()) {
			if (RegistrationDefinition.sameGrantType(served, grantType)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Return a factory that serves one grant type.
	 * @param grantType the grant type, for example {@code my-exchange}
	 * @param create creates the source of a registration of that grant type
	 * @return the factory
	 */
	static RegistrationTokenSourceFactory of(String grantType, Function<RegistrationDefinition, TokenSource> create) {
		Assert.hasText(grantType, "grantType must not be empty");
		Assert.notNull(create, "create must not be null");
		Set<String> grantTypes = Set.of(grantType);
		return new RegistrationTokenSourceFactory() {

			@Override
			public Set<String> grantTypes() {
				return grantTypes;
			}

			@Override
			public TokenSource create(RegistrationDefinition registration) {
				return create.apply(registration);
			}

			@Override
			public String toString() {
				return "RegistrationTokenSourceFactory[grantTypes=" + grantTypes + "]";
			}

		};
	}

}
