package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenRegistration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Creates the {@link TokenRegistration token registrations} of a list of definitions,
 * each through the first {@link RegistrationTokenSourceFactory} that serves its grant
 * type, with the longest lifetime the manager stores their tokens with and the authorizer
 * and key resolver each definition names.
 */
final class TokenRegistrations {

	private TokenRegistrations() {
	}

	static List<TokenRegistration> create(List<RegistrationDefinition> definitions,
			List<RegistrationTokenSourceFactory> factories, @Nullable Duration maxLifetime, boolean sharedStore) {
		List<TokenRegistration> registrations = new ArrayList<>(definitions.size());
		for (RegistrationDefinition definition : definitions) {
			RegistrationTokenSourceFactory factory = factoryOf(definition, factories);
			TokenAuthorizer authorizer = authorizer(definition, factory, factories, sharedStore);
			registrations.add(new TokenRegistration(definition.getId(), factory.create(definition),
					definition.getRefreshSkew(), maxLifetime, authorizer, definition.getKeyResolver()));
		}
		return registrations;
	}

	/**
	 * Return the authorizer of a registration: with {@code dpop: true}, the one of the
	 * proofs its token calls send, which a shared store needs a configured key for (a
	 * static token gets no proofs, and needs none).
	 */
	private static TokenAuthorizer authorizer(RegistrationDefinition definition, RegistrationTokenSourceFactory factory,
			List<RegistrationTokenSourceFactory> factories, boolean sharedStore) {
		if (!definition.isDpop()) {
			return definition.getAuthorizer();
		}
		if (!(factory instanceof DpopRegistrationTokenSourceFactory dpop)) {
			throw new InvalidTokenKitPropertyException(definition.property("dpop"), "true",
					"grant type '" + definition.getGrantType() + "' is not one TokenKit sends DPoP proofs for",
					"Use a grant type whose token calls send DPoP proofs (" + dpopGrantTypes(factories)
							+ "), or set dpop to false.");
		}
		DpopProofs proofs = dpop.dpop(definition);
		if (proofs == null) {
			return definition.getAuthorizer();
		}
		DpopKeys.requireSharedKey(definition, sharedStore);
		return boundOrConfigured(proofs.authorizer(), definition.getAuthorizer());
	}

	/**
	 * The authorizer of a DPoP registration: a DPoP-bound token goes with a proof, a
	 * token the server answered the DPoP token request with as {@code Bearer} goes in the
	 * registration's own header ({@code header-name}, {@code header-format}), as without
	 * DPoP: a server that binds no tokens still reads the header it documents.
	 */
	private static TokenAuthorizer boundOrConfigured(TokenAuthorizer dpop, TokenAuthorizer configured) {
		return new TokenAuthorizer() {

			@Override
			public void authorize(AccessToken token, HttpMethod method, URI uri, HttpHeaders headers) {
				(DpopProofs.DPOP.equalsIgnoreCase(token.getTokenType()) ? dpop : configured).authorize(token, method,
						uri, headers);
			}

			@Override
			public boolean fits(AccessToken token) {
				return dpop.fits(token);
			}

			@Override
			public boolean readsAnswers() {
				return dpop.readsAnswers();
			}

			@Override
			public boolean answered(URI uri, int status, HttpHeaders headers) {
				return dpop.answered(uri, status, headers);
			}

			@Override
			public String toString() {
				return dpop.toString();
			}

		};
	}

	/**
	 * Return the grant types served here whose token calls send DPoP proofs: the ones of
	 * TokenKit's OAuth 2 factory that do, and every grant type of the other DPoP
	 * factories (a configured vendor's).
	 */
	private static String dpopGrantTypes(List<RegistrationTokenSourceFactory> factories) {
		Set<String> grantTypes = new LinkedHashSet<>(List.of("client_credentials", "refresh_token"));
		for (RegistrationTokenSourceFactory factory : factories) {
			if (factory instanceof DpopRegistrationTokenSourceFactory
					&& !(factory instanceof OAuth2RegistrationTokenSourceFactory)) {
				grantTypes.addAll(factory.grantTypes());
			}
		}
		return String.join(", ", grantTypes);
	}

	private static RegistrationTokenSourceFactory factoryOf(RegistrationDefinition definition,
			List<RegistrationTokenSourceFactory> factories) {
		String grantType = definition.getGrantType();
		String property = definition.property("grant-type");
		if (grantType == null || grantType.isBlank()) {
			throw new InvalidTokenKitPropertyException(property, null, "it is not set",
					"Set it to one of the grant types served here: " + served(factories) + ".");
		}
		for (RegistrationTokenSourceFactory factory : factories) {
			if (factory.serves(grantType)) {
				return factory;
			}
		}
		throw new InvalidTokenKitPropertyException(property, grantType,
				"no RegistrationTokenSourceFactory bean serves this grant type (served: " + served(factories) + ")",
				"Set it to one of the grant types served. A vendor's grant type is served once that vendor is "
						+ "configured (tokenkit.<vendor>.*); a grant type of your own needs a "
						+ "RegistrationTokenSourceFactory bean that serves it.");
	}

	private static String served(List<RegistrationTokenSourceFactory> factories) {
		Set<String> served = new LinkedHashSet<>();
		factories.forEach((factory) -> served.addAll(factory.grantTypes()));
		return String.join(", ", served);
	}

}
