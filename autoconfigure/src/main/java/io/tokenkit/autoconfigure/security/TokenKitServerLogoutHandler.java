package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.security.core.Authentication;
import org.springframework.security.web.server.WebFilterExchange;
import org.springframework.security.web.server.authentication.logout.ServerLogoutHandler;

/**
 * Removes a user's tokens of the {@code authorization_code} registrations TokenKit serves
 * when the user logs out of a WebFlux application, which has no logout event: add the
 * bean to the logout's handlers,
 * {@code http.logout((logout) -> logout.logoutHandler((handlers) -> handlers.add(tokenKitLogout)))}.
 * The tokens are held per registration and principal name, so the user's other sessions
 * lose them too. With {@code tokenkit.remove-on-logout=false} it removes nothing. A store
 * that fails (Redis down) does not fail the logout: the failure is logged as a warning,
 * without the principal.
 */
public final class TokenKitServerLogoutHandler implements ServerLogoutHandler {

	private final UserTokens users;

	private final boolean enabled;

	/**
	 * Create a handler.
	 * @param manager the token manager
	 * @param registrationIds the ids of the {@code authorization_code} registrations
	 * whose users' tokens TokenKit holds
	 * @param enabled whether a logout removes the user's tokens
	 */
	public TokenKitServerLogoutHandler(TokenManager manager, Collection<String> registrationIds, boolean enabled) {
		this.users = new UserTokens(manager, registrationIds, (id) -> Mono.empty());
		this.enabled = enabled;
	}

	@Override
	public Mono<Void> logout(WebFilterExchange exchange, Authentication authentication) {
		if (!this.enabled || authentication == null) {
			return Mono.empty();
		}
		return this.users.removeAllOnLogout(authentication.getName());
	}

}
