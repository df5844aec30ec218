package io.tokenkit.autoconfigure;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.tokenkit.propagation.IncomingBearerToken;
import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.SubjectGrantSettings;
import io.tokenkit.token.TokenKeyResolver;
import org.jspecify.annotations.Nullable;

/**
 * Maps and checks the properties of token-exchange and JWT-bearer registrations
 * ({@code audiences}, {@code resources}, {@code token-exchange.*}) and gives them the key
 * resolver of their subject tokens: a token-exchange registration reads the incoming
 * request's bearer token, a JWT-bearer one takes an assertion given per call and signs
 * its own otherwise.
 */
final class SubjectGrantProperties {

	private static final String TOKEN_TYPE_PREFIX = "urn:ietf:params:oauth:token-type:";

	/** The token types of RFC 8693 §3 by the short names the properties take. */
	private static final Map<String, String> TOKEN_TYPES = Map.of("access-token", TOKEN_TYPE_PREFIX + "access_token",
			"refresh-token", TOKEN_TYPE_PREFIX + "refresh_token", "id-token", TOKEN_TYPE_PREFIX + "id_token", "jwt",
			TOKEN_TYPE_PREFIX + "jwt", "saml1", TOKEN_TYPE_PREFIX + "saml1", "saml2", TOKEN_TYPE_PREFIX + "saml2");

	private SubjectGrantProperties() {
	}

	/**
	 * Add a registration's subject grant settings and key resolver to its definition.
	 * @param definition the definition
	 * @param prefix the registration's property prefix,
	 * {@code tokenkit.registrations.<id>.}
	 * @param registration the registration's properties
	 * @param registrationIds the ids of every registration, which an actor token may name
	 * @return the definition
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	static RegistrationDefinition.Builder apply(RegistrationDefinition.Builder definition, String prefix,
			TokenKitProperties.Registration registration, Set<String> registrationIds) {
		String grantType = registration.getGrantType();
		SubjectGrantSettings settings = settings(prefix, grantType, null, registration, registrationIds);
		return (settings != null)
				? definition.subjectGrant(settings)
					.keyResolver(keyResolver(SubjectGrantRegistrationTokenSourceFactory.isTokenExchange(grantType)))
				: definition;
	}

	/**
	 * Add the subject grant settings of a registration served from Spring Security's
	 * ({@code audiences}, {@code resources}, {@code token-exchange.*} under
	 * {@code tokenkit.registrations.<id>}) to its definition, whose grant type and key
	 * resolver come from Spring Security's registration and stay as they are.
	 * @param definition the definition
	 * @param prefix the registration's property prefix,
	 * {@code tokenkit.registrations.<id>.}
	 * @param grantType the grant type TokenKit serves the registration with
	 * @param grantTypeProperty Spring Security's property that gave the grant type, named
	 * when a setting does not apply to it
	 * @param registration the registration's properties
	 * @param registrationIds the ids of every registration, which an actor token may name
	 * @return the definition
	 * @throws InvalidTokenKitPropertyException naming the first wrong property
	 */
	static RegistrationDefinition.Builder applyToReused(RegistrationDefinition.Builder definition, String prefix,
			String grantType, String grantTypeProperty, TokenKitProperties.Registration registration,
			Set<String> registrationIds) {
		SubjectGrantSettings settings = settings(prefix, grantType, grantTypeProperty, registration, registrationIds);
		return (settings != null) ? definition.subjectGrant(settings) : definition;
	}

	/**
	 * Return a registration's subject grant settings, or {@code null} when its grant is
	 * neither token exchange nor JWT bearer (and none of them is set).
	 */
	private static @Nullable SubjectGrantSettings settings(String prefix, @Nullable String grantType,
			@Nullable String reusedGrantTypeProperty, TokenKitProperties.Registration registration,
			Set<String> registrationIds) {
		boolean exchange = SubjectGrantRegistrationTokenSourceFactory.isTokenExchange(grantType);
		boolean jwtBearer = SubjectGrantRegistrationTokenSourceFactory.isJwtBearer(grantType);
		TokenKitProperties.TokenExchange properties = registration.getTokenExchange();
		if (!exchange) {
			Refusal refusal = new Refusal(List.of("token-exchange"), reusedGrantTypeProperty);
			refusal.unless(prefix + "token-exchange.subject-token-type", properties.getSubjectTokenType());
			refusal.unless(prefix + "token-exchange.requested-token-type", properties.getRequestedTokenType());
			refusal.unless(prefix + "token-exchange.actor-token-registration", properties.getActorTokenRegistration());
			refusal.unless(prefix + "token-exchange.actor-token-type", properties.getActorTokenType());
		}
		if (!exchange && !jwtBearer) {
			Refusal refusal = new Refusal(List.of("token-exchange", "jwt-bearer"), reusedGrantTypeProperty);
			refusal.unless(prefix + "audiences",
					registration.getAudiences().isEmpty() ? null : String.join(",", registration.getAudiences()));
			refusal.unless(prefix + "resources",
					registration.getResources().isEmpty() ? null : String.join(",", registration.getResources()));
			return null;
		}
		String actor = properties.getActorTokenRegistration();
		if (actor != null && (!registrationIds.contains(actor.strip()) || prefix.endsWith("." + actor.strip() + "."))) {
			throw new InvalidTokenKitPropertyException(prefix + "token-exchange.actor-token-registration", actor,
					"it must name another registration, whose application token is the actor token (known: "
							+ registrationIds + ")",
					"Name a registration of this service's own token, for example a client_credentials one, or "
							+ "remove it to exchange without an actor token.");
		}
		return new SubjectGrantSettings(audiences(prefix, registration.getAudiences()),
				resources(prefix + "resources", registration.getResources()),
				tokenType(prefix + "token-exchange.subject-token-type", properties.getSubjectTokenType()),
				tokenType(prefix + "token-exchange.requested-token-type", properties.getRequestedTokenType()),
				(actor != null) ? actor.strip() : null,
				tokenType(prefix + "token-exchange.actor-token-type", properties.getActorTokenType()));
	}

	/**
	 * Return the key resolver of a subject grant: the incoming request's token for token
	 * exchange (and a reused Spring Security JWT-bearer registration, which asserts with
	 * the incoming JWT), else only the assertion a request gives.
	 * @param incoming whether the incoming request's token is the subject token
	 * @return the resolver, with subject tokens of its own
	 */
	static TokenKeyResolver keyResolver(boolean incoming) {
		SubjectTokens subjectTokens = new SubjectTokens(Clock.systemUTC());
		return incoming ? new SubjectTokenKeyResolver(IncomingBearerToken.fromRequest(), subjectTokens)
				: SubjectTokenKeyResolver.perCall(subjectTokens);
	}

	private static List<String> audiences(String prefix, List<String> audiences) {
		for (String audience : audiences) {
			if (audience == null || audience.isBlank()) {
				throw new InvalidTokenKitPropertyException(prefix + "audiences", String.valueOf(audiences),
						"an audience is empty", "Remove the empty entry.");
			}
		}
		return audiences.stream().map(String::strip).toList();
	}

	private static List<String> resources(String property, List<String> resources) {
		List<String> checked = new ArrayList<>(resources.size());
		for (String resource : resources) {
			URI uri = null;
			try {
				uri = (resource != null) ? new URI(resource.strip()) : null;
			}
			catch (URISyntaxException ex) {
				// refused below
			}
			if (uri == null || !uri.isAbsolute() || uri.getRawFragment() != null) {
				throw new InvalidTokenKitPropertyException(property, resource,
						"a resource indicator must be an absolute URI without a fragment (RFC 8707 §2)",
						"Write the URI of the API, for example https://api.example.com/orders.");
			}
			checked.add(resource.strip());
		}
		return checked;
	}

	/**
	 * Return a token type's URI from its short name or the URI itself.
	 */
	private static @Nullable String tokenType(String property, @Nullable String tokenType) {
		if (tokenType == null) {
			return null;
		}
		String name = tokenType.strip();
		String known = TOKEN_TYPES.get(name.toLowerCase(Locale.ROOT).replace('_', '-'));
		if (known != null) {
			return known;
		}
		try {
			if (new URI(name).isAbsolute()) {
				return name;
			}
		}
		catch (URISyntaxException ex) {
			// refused below
		}
		throw new InvalidTokenKitPropertyException(property, tokenType,
				"it is neither a token type TokenKit knows by name nor a token type URI",
				"Set it to access-token, jwt, id-token, refresh-token, saml1 or saml2, or to a full URI such as "
						+ TOKEN_TYPE_PREFIX + "access_token.");
	}

	/**
	 * Refuses a setting that applies to other grant types than the registration's: its
	 * own {@code grant-type}, or the grant type of the Spring Security registration it
	 * reuses.
	 *
	 * @param grantTypes the short names of the grant types the settings apply to
	 * @param reusedGrantTypeProperty Spring Security's grant type property of a reused
	 * registration, or {@code null} for a registration of TokenKit's
	 */
	private record Refusal(List<String> grantTypes, @Nullable String reusedGrantTypeProperty) {

		void unless(String property, @Nullable String value) {
			if (value == null) {
				return;
			}
			String grantTypes = String.join(" or ", this.grantTypes);
			if (this.reusedGrantTypeProperty == null) {
				throw new InvalidTokenKitPropertyException(property, value,
						"it applies to registrations of grant-type " + grantTypes + " only",
						"Remove it, or set the registration's grant-type to " + grantTypes + ".");
			}
			throw new InvalidTokenKitPropertyException(property, value,
					"it applies to registrations of grant-type " + grantTypes
							+ " only, and the Spring Security registration it reuses has another grant type ("
							+ this.reusedGrantTypeProperty + ")",
					"Remove it, or set " + this.reusedGrantTypeProperty + " to "
							+ String.join(" or ",
									this.grantTypes.stream().map("urn:ietf:params:oauth:grant-type:"::concat).toList())
							+ ".");
		}

	}

}
