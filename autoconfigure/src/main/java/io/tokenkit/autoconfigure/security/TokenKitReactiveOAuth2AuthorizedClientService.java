package io.tokenkit.autoconfigure.security;

import java.util.Collection;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenManager;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.InMemoryReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.ReactiveOAuth2AuthorizedClientService;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;

/**
 * Spring Security's authorized-client service of a reactive application, backed by
 * TokenKit for the {@code authorization_code} registrations TokenKit serves, as
 * {@link TokenKitOAuth2AuthorizedClientService} is for a servlet one; never blocks. The
 * clients of other registrations are kept in memory, as Spring Boot's service does.
 */
public final class TokenKitReactiveOAuth2AuthorizedClientService implements ReactiveOAuth2AuthorizedClientService {

	private final UserTokens users;

	private final ReactiveOAuth2AuthorizedClientService others;

	/**
	 * Create a service.
	 * @param manager the token manager
	 * @param clientRegistrations Spring Security's client registrations
	 * @param registrationIds the ids of the {@code authorization_code} registrations
	 * whose users' tokens TokenKit holds
	 */
	public TokenKitReactiveOAuth2AuthorizedClientService(TokenManager manager,
			ReactiveClientRegistrationRepository clientRegistrations, Collection<String> registrationIds) {
		this.users = new UserTokens(manager, registrationIds, clientRegistrations::findByRegistrationId);
		this.others = new InMemoryReactiveOAuth2AuthorizedClientService(clientRegistrations);
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T extends OAuth2AuthorizedClient> Mono<T> loadAuthorizedClient(String clientRegistrationId,
			String principalName) {
		if (!this.users.serves(clientRegistrationId)) {
			return this.others.loadAuthorizedClient(clientRegistrationId, principalName);
		}
		return (Mono<T>) this.users.load(clientRegistrationId, principalName);
	}

	@Override
	public Mono<Void> saveAuthorizedClient(OAuth2AuthorizedClient authorizedClient, Authentication principal) {
		if (!this.users.serves(authorizedClient.getClientRegistration().getRegistrationId())) {
			return this.others.saveAuthorizedClient(authorizedClient, principal);
		}
		return this.users.save(authorizedClient, principal.getName());
	}

	@Override
	public Mono<Void> removeAuthorizedClient(String clientRegistrationId, String principalName) {
		if (!this.users.serves(clientRegistrationId)) {
			return this.others.removeAuthorizedClient(clientRegistrationId, principalName);
		}
		return this.users.remove(clientRegistrationId, principalName);
	}

	@Override
	public String toString() {
		return "TokenKitReactiveOAuth2AuthorizedClientService[registrations=" + this.users.registrationIds() + "]";
	}

}
