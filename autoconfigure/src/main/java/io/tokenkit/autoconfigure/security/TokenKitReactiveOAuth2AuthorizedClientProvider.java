package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientProvider;

/**
 * Answers Spring Security's reactive authorized-client manager for the
 * {@code authorization_code} registrations TokenKit serves, as
 * {@link TokenKitOAuth2AuthorizedClientProvider} does for a servlet one; never blocks.
 */
public final class TokenKitReactiveOAuth2AuthorizedClientProvider implements ReactiveOAuth2AuthorizedClientProvider {

	private final UserTokens users;

	/**
	 * Create a provider.
	 * @param manager the token manager
	 * @param registrationIds the ids of the {@code authorization_code} registrations
	 * whose users' tokens TokenKit holds
	 */
	public TokenKitReactiveOAuth2AuthorizedClientProvider(TokenManager manager, Collection<String> registrationIds) {
		// the context carries the client registration: the provider never looks it up
		this.users = new UserTokens(manager, registrationIds, (id) -> Mono.empty());
	}

	@Override
	public Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
		return this.users.authorize(context);
	}

}
