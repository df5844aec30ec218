package io.tokenkit.token;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * Acquires tokens for one registration: the SPI behind the {@link TokenManager}.
 * <p>
 * A source only talks to a token endpoint; caching, expiry and single-flight belong to
 * the manager, and injection into requests belongs to the bearer filter. Implementations
 * must not block.
 * <p>
 * A source answers a {@link TokenAcquisitionException} only when it has nothing to
 * acquire from, such as a user who has not authorized yet; a failed token call is a
 * {@link TokenApiException} or the transport's own error. The manager hands the former to
 * its callers as a {@link NoTokenForSubjectException} for a key with a subject, and as a
 * {@link SubjectRequiredException} for a key without one (a registration of per-user
 * tokens asked for an application token); neither counts as a failure of the registration
 * ({@link TokenManager#getRegistrationStatus(String)}).
 *
 * @see io.tokenkit.oauth2.ClientCredentialsTokenSource
 * @see io.tokenkit.oauth2.RefreshTokenTokenSource
 * @see io.tokenkit.oauth2.StaticTokenSource
 */
public interface TokenSource {

	/**
	 * Obtain a new token when none is cached for the key.
	 * @param key the registration and optional subject
	 * @return the token; an error signal when none can be had
	 */
	Mono<AccessToken> obtain(TokenKey key);

	/**
	 * Obtain a replacement for a token that is about to expire, has expired or was
	 * rejected. The default obtains a new token; sources that hold refresh tokens use
	 * {@code current}'s refresh token.
	 * @param key the registration and optional subject
	 * @param current the token to replace, possibly already expired
	 * @return the new token
	 */
	default Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		return obtain(key);
	}

	/**
	 * Revoke a token that {@link TokenManager#remove(TokenKey)} has just removed from the
	 * store, at the authorization server that issued it (RFC 7009), so that a user who
	 * disconnects leaves no refresh token that still works. The manager calls it once per
	 * removed token, on the instance that removed it, after the store has removed it,
	 * detached from the caller of {@code remove} and bounded by the acquire timeout; a
	 * failure is reported ({@link TokenEventListener#revocationFailed}) and never brings
	 * the token back. The default revokes nothing.
	 * @param key the key the token was removed from
	 * @param removed the token removed
	 * @return whether a revocation was sent and accepted, {@code false} when there was
	 * nothing to revoke; an error when a revocation failed. Must not block
	 */
	default Mono<Boolean> revoke(TokenKey key, AccessToken removed) {
		return Mono.just(false);
	}

	/**
	 * Return whether a stored token still belongs to what this source is configured with.
	 * A source configured with a credential that starts a token's chain (an application's
	 * configured refresh token) answers {@code false} for a token acquired from another
	 * one: the manager then neither uses nor refreshes that token but obtains a new one.
	 * The manager asks when it acquires a token, not on the hot path: a cached token that
	 * is still valid is served without asking. The default answers {@code true}.
	 * @param key the registration and optional subject
	 * @param stored the token stored for the key
	 * @return whether the token may be used and refreshed
	 */
	default boolean isCurrent(TokenKey key, AccessToken stored) {
		return true;
	}

	/**
	 * Return the fingerprint that the tokens this source obtains for the key record
	 * ({@link AccessToken#getOrigin()}), so that a token the manager makes for them (one
	 * that keeps the refresh token of an answer it refused) records it too. The default
	 * answers {@code null}: no fingerprint.
	 * @param key the registration and optional subject
	 * @return the fingerprint, or {@code null}
	 */
	default @Nullable String originOf(TokenKey key) {
		return null;
	}

	/**
	 * Return whether this source asks for a token with the key's
	 * {@link TokenKey#parameters() parameters} (scope, audience, resource) instead of its
	 * registration's defaults. The manager refuses a key with parameters for a source
	 * that answers {@code false} (one refresh token cannot serve two parameter sets) with
	 * a {@link TokenParametersNotSupportedException}, before any token call. The default
	 * answers {@code false}.
	 * @return whether keys with parameters are served
	 */
	default boolean supportsParameters() {
		return false;
	}

	/**
	 * Return whether this source has what it needs to call its token endpoint, for a
	 * health check. A source that must first learn its endpoint (from an authorization
	 * server's metadata) answers what it waits for, and may start fetching it in the
	 * background, never waiting for it. The default answers
	 * {@link TokenSourceReadiness#READY}.
	 * @return the readiness
	 */
	default TokenSourceReadiness checkReadiness() {
		return TokenSourceReadiness.READY;
	}

}
