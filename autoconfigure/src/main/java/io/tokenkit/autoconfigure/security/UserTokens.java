package io.tokenkit.autoconfigure.security;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NoTokenForSubjectException;
import io.tokenkit.token.ReauthorizationRequiredException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.security.oauth2.client.ClientAuthorizationRequiredException;
import org.springframework.security.oauth2.client.OAuth2AuthorizationContext;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.util.StringUtils;

/**
 * The users' tokens of the registrations TokenKit serves from Spring Security's
 * {@code authorization_code} registrations, as Spring Security's authorized clients: held
 * by the {@link TokenManager} under (registration id, principal name). A client handed
 * out carries the access token TokenKit holds and no refresh token, which stays in
 * TokenKit's store: Spring Security's own refresh provider finds nothing to refresh, and
 * {@link #authorize} refreshes through the manager (one token call per key, whoever
 * asks).
 */
final class UserTokens {

	private final TokenManager manager;

	private final Function<String, Mono<ClientRegistration>> clientRegistrations;

	private final List<String> registrationIds;

	/**
	 * Create the users' tokens of a manager.
	 * @param manager the token manager
	 * @param clientRegistrations finds Spring Security's client registration of an id
	 */
	UserTokens(TokenManager manager, Function<String, Mono<ClientRegistration>> clientRegistrations) {
		this.manager = manager;
		this.clientRegistrations = clientRegistrations;
		this.registrationIds = manager.getRegistrations()
			.values()
			.stream()
			.filter((registration) -> registration.keyResolver() instanceof PrincipalKeyResolver)
			.map((registration) -> registration.id())
			.toList();
	}

	/**
	 * Return whether TokenKit holds the users' tokens of a registration.
	 * @param registrationId the registration id
	 * @return whether it does
	 */
	boolean serves(String registrationId) {
		return this.registrationIds.contains(registrationId);
	}

	/**
	 * Return the ids of the registrations whose users' tokens TokenKit holds.
	 * @return the ids
	 */
	List<String> registrationIds() {
		return this.registrationIds;
	}

	/**
	 * Return the user's authorized client of a served registration: the token held,
	 * expired or not, without a token call.
	 * @param registrationId the registration id
	 * @param principalName the principal's name
	 * @return the client, or empty when TokenKit holds no token for the user
	 */
	Mono<OAuth2AuthorizedClient> load(String registrationId, String principalName) {
		return this.manager.getHeldToken(key(registrationId, principalName))
			.flatMap((token) -> this.clientRegistrations.apply(registrationId)
				.map((registration) -> client(registration, principalName, token)));
	}

	/**
	 * Hold an authorized client's tokens for its principal: the first tokens of a login,
	 * or a token another provider obtained. A client TokenKit handed out, unchanged,
	 * writes nothing; a client without a refresh token keeps the one held.
	 * @param client the authorized client
	 * @param principalName the principal's name
	 * @return completion
	 */
	Mono<Void> save(OAuth2AuthorizedClient client, String principalName) {
		TokenKey key = key(client.getClientRegistration().getRegistrationId(), principalName);
		AccessToken token = SpringSecurityTokens.from(client);
		if (token.getRefreshToken() != null) {
			return this.manager.save(key, token);
		}
		return this.manager.getHeldToken(key)
			.map(Optional::of)
			.defaultIfEmpty(Optional.empty())
			.flatMap((held) -> held.isEmpty() ? this.manager.save(key, token)
					: held.get().getTokenValue().equals(token.getTokenValue()) ? Mono.<Void>empty() : this.manager
						.save(key, token.mutate().refreshToken(held.get().getRefreshToken()).build()));
	}

	/**
	 * Stop holding the user's token of a registration.
	 * @param registrationId the registration id
	 * @param principalName the principal's name
	 * @return completion
	 */
	Mono<Void> remove(String registrationId, String principalName) {
		return this.manager.remove(key(registrationId, principalName));
	}

	/**
	 * Stop holding the user's tokens of every served registration: a logout.
	 * @param principalName the principal's name
	 * @return completion
	 */
	Mono<Void> removeAll(String principalName) {
		return Flux.fromIterable(this.registrationIds).concatMap((id) -> remove(id, principalName)).then();
	}

	/**
	 * Answer Spring Security's authorized-client manager for a served registration whose
	 * user has a client: TokenKit's usable token, refreshed through the manager when it
	 * is due (one token call per key, shared by TokenKit's clients and every manager).
	 * @param context the manager's context
	 * @return a client with another token than the context's, or empty when the context's
	 * is current or the registration is not served
	 */
	Mono<OAuth2AuthorizedClient> authorize(OAuth2AuthorizationContext context) {
		ClientRegistration registration = context.getClientRegistration();
		OAuth2AuthorizedClient current = context.getAuthorizedClient();
		String id = registration.getRegistrationId();
		if (current == null || !serves(id)) {
			return Mono.empty();
		}
		String principalName = current.getPrincipalName();
		return this.manager.getToken(key(id, principalName))
			.onErrorMap(
					(ex) -> ex instanceof ReauthorizationRequiredException || ex instanceof NoTokenForSubjectException,
					(ex) -> new ClientAuthorizationRequiredException(id))
			.filter((token) -> !token.getTokenValue().equals(current.getAccessToken().getTokenValue()))
			.map((token) -> client(registration, principalName, token));
	}

	private static TokenKey key(String registrationId, String principalName) {
		if (!StringUtils.hasLength(principalName)) {
			throw new IllegalArgumentException("principalName must not be empty");
		}
		return TokenKey.of(registrationId, principalName);
	}

	/**
	 * Return the authorized client of a token: its access token, and no refresh token.
	 */
	static OAuth2AuthorizedClient client(ClientRegistration registration, String principalName, AccessToken token) {
		long issuedAt = token.getIssuedAtMillis();
		Instant expiresAt = token.getExpiresAt();
		OAuth2AccessToken access = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, token.getTokenValue(),
				Instant.ofEpochMilli(issuedAt),
				(expiresAt != null && expiresAt.toEpochMilli() > issuedAt) ? expiresAt : null, token.getScopes());
		return new OAuth2AuthorizedClient(registration, principalName, access);
	}

}
