package io.tokenkit.autoconfigure.security;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.LogoutSuccessEvent;

/**
 * Removes a user's tokens of the {@code authorization_code} registrations TokenKit serves
 * when Spring Security says the user logged out (a servlet application's
 * {@link LogoutSuccessEvent}): Spring Security itself does not remove its authorized
 * clients on logout. The tokens are held per registration and principal name, so the
 * user's other sessions lose them too.
 */
final class TokenKitLogoutListener implements ApplicationListener<LogoutSuccessEvent> {

	private final UserTokens users;

	TokenKitLogoutListener(TokenManager manager) {
		this.users = new UserTokens(manager, (id) -> Mono.empty());
	}

	@Override
	public void onApplicationEvent(LogoutSuccessEvent event) {
		this.users.removeAll(event.getAuthentication().getName()).block();
	}

}
