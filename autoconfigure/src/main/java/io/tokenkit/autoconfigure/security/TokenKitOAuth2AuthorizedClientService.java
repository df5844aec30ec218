package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NonBlockingThreadException;
import io.tokenkit.token.TokenManager;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Spring Security's authorized-client service of a servlet application, backed by
 * TokenKit for the {@code authorization_code} registrations TokenKit serves: a login's
 * tokens are {@link TokenManager#save saved} under (registration id, principal name), so
 * that TokenKit's store (Redis, encryption, hashed subjects) holds, refreshes and shares
 * them; a load answers with TokenKit's current token, refreshed through the manager when
 * it is due (never an expired one), without its refresh token; a removal
 * {@link TokenManager#remove removes} it. The clients of other registrations are kept in
 * memory, as Spring Boot's service does.
 * <p>
 * Its methods wait, as Spring Security's servlet API does. On a Reactor non-blocking
 * thread a load answers only the token held in memory while it is usable, and otherwise
 * fails with a {@link NonBlockingThreadException} rather than wait there: reactive code
 * uses {@link TokenKitReactiveOAuth2AuthorizedClientService}.
 */
public final class TokenKitOAuth2AuthorizedClientService implements OAuth2AuthorizedClientService {

	private final UserTokens users;

	private final ClientRegistrationRepository clientRegistrations;

	private final OAuth2AuthorizedClientService others;

	/**
	 * Create a service.
	 * @param manager the token manager
	 * @param clientRegistrations Spring Security's client registrations
	 * @param registrationIds the ids of the {@code authorization_code} registrations
	 * whose users' tokens TokenKit holds
	 */
	public TokenKitOAuth2AuthorizedClientService(TokenManager manager, ClientRegistrationRepository clientRegistrations,
			Collection<String> registrationIds) {
		this.users = new UserTokens(manager, registrationIds,
				(id) -> Mono.justOrEmpty(clientRegistrations.findByRegistrationId(id)));
		this.clientRegistrations = clientRegistrations;
		this.others = new InMemoryOAuth2AuthorizedClientService(clientRegistrations);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		if (!this.users.serves(clientRegistrationId)) {
			return this.others.loadAuthorizedClient(clientRegistrationId, principalName);
		}
		if (Schedulers.isInNonBlockingThread()) {
			return (T) loadHeld(clientRegistrationId, principalName);
		}
		return (T) this.users.load(clientRegistrationId, principalName).block();
	}

	private @Nullable OAuth2AuthorizedClient loadHeld(String registrationId, String principalName) {
		AccessToken held = this.users.cachedToken(registrationId, principalName);
		if (held == null) {
			throw NonBlockingThreadException.forBlockingCall(
					"TokenKitOAuth2AuthorizedClientService.loadAuthorizedClient",
					"TokenKitReactiveOAuth2AuthorizedClientService.loadAuthorizedClient",
					Thread.currentThread().getName());
		}
		ClientRegistration registration = this.clientRegistrations.findByRegistrationId(registrationId);
		return (registration != null) ? UserTokens.client(registration, principalName, held) : null;
	}

	@Override
	public void saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		if (!this.users.serves(authorizedClient.getClientRegistration().getRegistrationId())) {
			this.others.saveAuthorizedClient(authorizedClient, principal);
			return;
		}
		this.users.save(authorizedClient, principal.getName()).block();
	}

	@Override
	public void removeAuthorizedClient(String clientRegistrationId, String principalName) {
		if (!this.users.serves(clientRegistrationId)) {
			this.others.removeAuthorizedClient(clientRegistrationId, principalName);
			return;
		}
		this.users.remove(clientRegistrationId, principalName).block();
	}

	@Override
	public String toString() {
		return "TokenKitOAuth2AuthorizedClientService[registrations=" + this.users.registrationIds() + "]";
	}

}
