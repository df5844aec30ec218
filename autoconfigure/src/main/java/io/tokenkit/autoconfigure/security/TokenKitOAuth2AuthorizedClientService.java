package io.tokenkit.autoconfigure.security;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.InMemoryOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;

/**
 * Spring Security's authorized-client service of a servlet application, backed by
 * TokenKit for the {@code authorization_code} registrations TokenKit serves: a login's
 * tokens are {@link TokenManager#save saved} under (registration id, principal name), so
 * that TokenKit's store (Redis, encryption, hashed subjects) holds, refreshes and shares
 * them; a load answers with the token TokenKit holds now, refreshed or rotated, without
 * its refresh token; a removal {@link TokenManager#remove removes} it. The clients of
 * other registrations are kept in memory, as Spring Boot's service does.
 */
public final class TokenKitOAuth2AuthorizedClientService implements OAuth2AuthorizedClientService {

	private final UserTokens users;

	private final OAuth2AuthorizedClientService others;

	/**
	 * Create a service.
	 * @param manager the token manager
	 * @param clientRegistrations Spring Security's client registrations
	 */
	public TokenKitOAuth2AuthorizedClientService(TokenManager manager,
			ClientRegistrationRepository clientRegistrations) {
		this.users = new UserTokens(manager, (id) -> Mono.justOrEmpty(clientRegistrations.findByRegistrationId(id)));
		this.others = new InMemoryOAuth2AuthorizedClientService(clientRegistrations);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> T loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		if (!this.users.serves(clientRegistrationId)) {
			return this.others.loadAuthorizedClient(clientRegistrationId, principalName);
		}
		return (T) this.users.load(clientRegistrationId, principalName).block();
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
