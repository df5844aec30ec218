package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientProvider;

/**
 * Answers Spring Security's authorized-client manager (servlet) for the
 * {@code authorization_code} registrations TokenKit serves: the user's token TokenKit
 * holds, refreshed through the {@link TokenManager} when it is due, so that a refresh
 * asked by a TokenKit client, by Spring Security's interceptor or by application code
 * calling {@code OAuth2AuthorizedClientManager.authorize} is one token call. Spring
 * Security's manager registrar adds it to the manager it builds; an application that
 * builds its own manager adds it to its provider list. Answers nothing for other
 * registrations.
 */
public final class TokenKitOAuth2AuthorizedClientProvider implements OAuth2AuthorizedClientProvider {

	private final UserTokens users;

	/**
	 * Create a provider.
	 * @param manager the token manager
	 * @param registrationIds the ids of the {@code authorization_code} registrations
	 * whose users' tokens TokenKit holds
	 */
	public TokenKitOAuth2AuthorizedClientProvider(TokenManager manager, Collection<String> registrationIds) {
		// the context carries the client registration: the provider never looks it up
		this.users = new UserTokens(manager, registrationIds, (id) -> Mono.empty());
	}

	@Override
	public @Nullable OAuth2AuthorizedClient authorize(OAuth2AuthorizationContext context) {
		return this.users.authorize(context).block();
	}

}
