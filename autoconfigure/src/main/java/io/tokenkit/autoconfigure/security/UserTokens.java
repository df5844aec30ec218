package io.tokenkit.autoconfigure.security;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
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
 * out carries TokenKit's current access token, refreshed through the manager when it is
 * due, and no refresh token, which stays in TokenKit's store: Spring Security's own
 * refresh provider finds nothing to refresh, so that a refresh is one token call per key,
 * whoever asks (a TokenKit client, Spring Security's manager or an application's own).
 */
final class UserTokens {

	private static final Log logger = LogFactory.getLog(UserTokens.class);

	private final TokenManager manager;

	private final Function<String, Mono<ClientRegistration>> clientRegistrations;

	private final List<String> registrationIds;

	/**
	 * Create the users' tokens of a manager.
	 * @param manager the token manager
	 * @param registrationIds the ids of the registrations whose users' tokens TokenKit
	 * holds ({@link ServedRegistrations})
	 * @param clientRegistrations finds Spring Security's client registration of an id
	 */
	UserTokens(TokenManager manager, Collection<String> registrationIds,
			Function<String, Mono<ClientRegistration>> clientRegistrations) {
		this.manager = manager;
		this.clientRegistrations = clientRegistrations;
		this.registrationIds = List.copyOf(registrationIds);
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
	 * Return the user's authorized client of a served registration: TokenKit's current
	 * token, through {@link TokenManager#getToken} (the token held while it is usable,
	 * else the refresh every caller of the key shares), never an expired one. An
	 * application's own authorized-client manager, which cannot refresh a client without
	 * a refresh token, gets a usable token all the same.
	 * @param registrationId the registration id
	 * @param principalName the principal's name
	 * @return the client, or empty when TokenKit holds no token for the user or the user
	 * must authorize again (so that Spring Security starts a new login)
	 */
	Mono<OAuth2AuthorizedClient> load(String registrationId, String principalName) {
		TokenKey key = key(registrationId, principalName);
		// nothing held: no token call, the user logs in
		return this.manager.getHeldToken(key)
			.flatMap((held) -> this.manager.getToken(key))
			.onErrorResume(UserTokens::needsAuthorization, (ex) -> Mono.empty())
			.flatMap((token) -> client(registrationId, principalName, token));
	}

	/**
	 * Return the user's token TokenKit holds in memory while it is usable, with no I/O
	 * and no wait: what a caller on a Reactor non-blocking thread may have.
	 * @param registrationId the registration id
	 * @param principalName the principal's name
	 * @return the token, or {@code null} when none is held in memory or it has expired
	 */
	@Nullable AccessToken cachedToken(String registrationId, String principalName) {
		return this.manager.getCachedToken(key(registrationId, principalName));
	}

	private Mono<OAuth2AuthorizedClient> client(String registrationId, String principalName, AccessToken token) {
		return this.clientRegistrations.apply(registrationId)
			.map((registration) -> client(registration, principalName, token));
	}

	private static boolean needsAuthorization(Throwable ex) {
		return ex instanceof ReauthorizationRequiredException || ex instanceof NoTokenForSubjectException;
	}

	/**
	 * Hold an authorized client's tokens for its principal: the first tokens of a login,
	 * or a token another provider obtained. A client without a refresh token writes
	 * nothing unless its token was issued after the one held (a client TokenKit handed
	 * out, whose token TokenKit holds or has already refreshed, never puts back an older
	 * token over a newer one), and then keeps the refresh token held.
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
			.flatMap((held) -> held.isEmpty() ? this.manager.save(key, token) : !issuedAfter(token, held.get())
					? Mono.<Void>empty()
					: this.manager.save(key, token.mutate().refreshToken(held.get().getRefreshToken()).build()));
	}

	private static boolean issuedAfter(AccessToken token, AccessToken held) {
		return token.getIssuedAtMillis() > held.getIssuedAtMillis();
	}

	/**
	 * Stop holding the user's tokens of a registration: the token with the registration's
	 * defaults and each one asked with per-call parameters, each revoked where the
	 * registration revokes ({@link TokenManager#removeAll}).
	 * @param registrationId the registration id
	 * @param principalName the principal's name
	 * @return completion
	 */
	Mono<Void> remove(String registrationId, String principalName) {
		return this.manager.removeAll(registrationId, key(registrationId, principalName).subject());
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
	 * Stop holding the user's tokens of every served registration on a logout, which
	 * completes whatever the store answers: a removal that fails, or takes longer than
	 * the manager's acquire timeout, is logged as a warning (naming the registrations,
	 * never the principal) and the logout goes on.
	 * @param principalName the principal's name
	 * @return completion, never an error
	 */
	Mono<Void> removeAllOnLogout(String principalName) {
		return removeAll(principalName).timeout(this.manager.getAcquireTimeout()).onErrorResume((ex) -> {
			logger.warn("A logout did not remove the user's tokens of registrations " + this.registrationIds
					+ " from TokenKit's store (" + ex.getClass().getName() + "); they stay until they expire "
					+ "or are removed: check the store (Redis) connection", ex);
			return Mono.empty();
		});
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
			.onErrorMap(UserTokens::needsAuthorization, (ex) -> new ClientAuthorizationRequiredException(id))
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
	 * Return the authorized client of a token: its access token, of its own type (a
	 * DPoP-bound token stays {@code DPoP}), and no refresh token.
	 */
	static OAuth2AuthorizedClient client(ClientRegistration registration, String principalName, AccessToken token) {
		long issuedAt = token.getIssuedAtMillis();
		Instant expiresAt = token.getExpiresAt();
		OAuth2AccessToken access = new OAuth2AccessToken(SpringSecurityTokens.tokenType(token), token.getTokenValue(),
				Instant.ofEpochMilli(issuedAt),
				(expiresAt != null && expiresAt.toEpochMilli() > issuedAt) ? expiresAt : null, token.getScopes());
		return new OAuth2AuthorizedClient(registration, principalName, access);
	}

}
