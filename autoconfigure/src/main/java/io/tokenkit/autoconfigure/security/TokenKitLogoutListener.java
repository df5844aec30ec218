package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authentication.event.LogoutSuccessEvent;

/**
 * Removes a user's tokens of the {@code authorization_code} registrations TokenKit serves
 * when Spring Security says the user logged out (a servlet application's
 * {@link LogoutSuccessEvent}): Spring Security itself does not remove its authorized
 * clients on logout. The tokens are held per registration and principal name, so the
 * user's other sessions lose them too. A store that fails (Redis down) does not fail the
 * logout: the failure is logged as a warning, without the principal.
 */
final class TokenKitLogoutListener implements ApplicationListener<LogoutSuccessEvent> {

	private final UserTokens users;

	TokenKitLogoutListener(TokenManager manager, Collection<String> registrationIds) {
		this.users = new UserTokens(manager, registrationIds, (id) -> Mono.empty());
	}

	@Override
	public void onApplicationEvent(LogoutSuccessEvent event) {
		this.users.removeAllOnLogout(event.getAuthentication().getName()).block();
	}

}
