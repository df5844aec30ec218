package io.tokenkit.autoconfigure.security;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Finds the key of each request's token of a per-user registration served from Spring
 * Security: the request's {@link TokenRequestAttributes#SUBJECT} attribute wins, else the
 * name of the authenticated, non-anonymous principal of the caller (Spring Security's
 * {@link SecurityContextHolder} on the caller's thread, its
 * {@link ReactiveSecurityContextHolder} in the caller's reactive chain, then the thread
 * that subscribed); with neither, the request needs a subject as before. Reads no more
 * than the principal's name and never logs it.
 */
final class PrincipalKeyResolver implements TokenKeyResolver {

	@Override
	public TokenKey resolve(Map<String, Object> attributes, TokenKey applicationKey) {
		if (attributes.get(TokenRequestAttributes.SUBJECT) == null) {
			String name = nameOf(SecurityContextHolder.getContext().getAuthentication());
			if (name != null) {
				return userKey(attributes, applicationKey, name);
			}
		}
		return TokenRequestAttributes.keyOf(attributes, applicationKey);
	}

	@Override
	public Mono<TokenKey> resolveReactive(Map<String, Object> attributes, TokenKey applicationKey) {
		if (attributes.get(TokenRequestAttributes.SUBJECT) != null) {
			return Mono.just(TokenRequestAttributes.keyOf(attributes, applicationKey));
		}
		return ReactiveSecurityContextHolder.getContext()
			.map(SecurityContext::getAuthentication)
			.mapNotNull(PrincipalKeyResolver::nameOf)
			.map((name) -> userKey(attributes, applicationKey, name))
			// a WebClient blocked on in a servlet request: the subscriber's thread
			.switchIfEmpty(Mono.fromSupplier(() -> resolve(attributes, applicationKey)));
	}

	/**
	 * Return the principal's key, with what else the request's attributes say of the key
	 * (the parameters of a per-call token) as {@link TokenRequestAttributes#keyOf} reads
	 * them.
	 */
	private static TokenKey userKey(Map<String, Object> attributes, TokenKey applicationKey, String name) {
		TokenKey requested = TokenRequestAttributes.keyOf(attributes, applicationKey);
		return new TokenKey(requested.registrationId(), name, requested.parameters());
	}

	private static @Nullable String nameOf(@Nullable Authentication authentication) {
		if (authentication == null || authentication instanceof AnonymousAuthenticationToken
				|| !authentication.isAuthenticated()) {
			return null;
		}
		String name = authentication.getName();
		return (name != null && !name.isEmpty()) ? name : null;
	}

	@Override
	public String toString() {
		return "TokenKeyResolver[request attributes, then Spring Security's principal]";
	}

}
