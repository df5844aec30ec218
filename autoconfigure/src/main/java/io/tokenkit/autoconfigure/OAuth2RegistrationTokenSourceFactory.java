package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Clock;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.token.TokenSource;

import org.springframework.web.reactive.function.client.WebClient;

/**
 * Creates the sources of the built-in grant types: {@code client_credentials},
 * {@code refresh_token} and {@code static}.
 */
final class OAuth2RegistrationTokenSourceFactory implements RegistrationTokenSourceFactory {

	private final WebClient webClient;

	private final TokenRequestObserver observer;

	private final Clock clock;

	OAuth2RegistrationTokenSourceFactory(WebClient webClient, TokenRequestObserver observer, Clock clock) {
		this.webClient = webClient;
		this.observer = observer;
		this.clock = clock;
	}

	@Override
	public @Nullable TokenSource create(String id, TokenKitProperties.Registration registration) {
		String prefix = "tokenkit.registrations." + id + ".";
		GrantType grantType = registration.getGrantType();
		if (grantType == null) {
			throw new InvalidTokenKitPropertyException(prefix + "grant-type", null, "it is not set",
					"Set it to client_credentials, refresh_token, static, saasus or gmo-aozora.");
		}
		return switch (grantType) {
			case CLIENT_CREDENTIALS -> new ClientCredentialsTokenSource(client(id, registration, "client_credentials"),
					registration.getScopes(), registration.getAdditionalParameters(), this.clock);
			case REFRESH_TOKEN -> new RefreshTokenTokenSource(client(id, registration, "refresh_token"),
					registration.getScopes(), registration.getRefreshToken(), this.clock);
			case STATIC -> new StaticTokenSource(InvalidTokenKitPropertyException.require(prefix + "token",
					registration.getToken(), "for grant-type static"));
			default -> null;
		};
	}

	private OAuth2TokenClient client(String id, TokenKitProperties.Registration registration, String grant) {
		String prefix = "tokenkit.registrations." + id + ".";
		String when = "for grant-type " + grant;
		URI configured = registration.getTokenUri();
		URI tokenUri = InvalidTokenKitPropertyException
			.requireHttpUrl(prefix + "token-uri", (configured != null) ? configured.toString() : null, true, "Set "
					+ prefix
					+ "token-uri to the full URL of the token endpoint, for example https://auth.example.com/oauth2/token.");
		String clientId = InvalidTokenKitPropertyException.require(prefix + "client-id", registration.getClientId(),
				when);
		String clientSecret = InvalidTokenKitPropertyException.require(prefix + "client-secret",
				registration.getClientSecret(), when);
		return new OAuth2TokenClient(this.webClient, tokenUri, clientId, clientSecret,
				registration.getClientAuthentication(), id, "oauth2", this.observer);
	}

}
