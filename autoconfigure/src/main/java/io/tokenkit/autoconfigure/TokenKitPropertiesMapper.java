package io.tokenkit.autoconfigure;

import java.util.ArrayList;
import java.util.List;

/**
 * Maps {@link TokenKitProperties} to the {@link RegistrationDefinition registration
 * definitions} that token source factories are given, so that no factory sees where a
 * registration was configured.
 */
final class TokenKitPropertiesMapper {

	private static final String PREFIX = "tokenkit.registrations.";

	private final TokenKitProperties properties;

	TokenKitPropertiesMapper(TokenKitProperties properties) {
		this.properties = properties;
	}

	List<RegistrationDefinition> asRegistrationDefinitions() {
		List<RegistrationDefinition> definitions = new ArrayList<>();
		this.properties.getRegistrations()
			.forEach((id,
					registration) -> definitions.add(RegistrationDefinition.withId(id, PREFIX + id + ".")
						.grantType(registration.getGrantType())
						.tokenUri((registration.getTokenUri() != null) ? registration.getTokenUri().toString() : null)
						.clientId(registration.getClientId())
						.clientSecret(registration.getClientSecret())
						.clientAuthentication(registration.getClientAuthentication())
						.scopes(registration.getScopes())
						.additionalParameters(registration.getAdditionalParameters())
						.token(registration.getToken())
						.refreshToken(registration.getRefreshToken())
						.refreshSkew(InvalidTokenKitPropertyException.requireNotNegative(PREFIX + id + ".refresh-skew",
								registration.getRefreshSkew()))
						.build()));
		return definitions;
	}

}
