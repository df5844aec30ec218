package io.tokenkit.token;

import java.util.Map;

import reactor.core.publisher.Mono;

/**
 * Finds the {@link TokenKey} of the token one outgoing request carries: from the
 * request's attributes and, for a registration that needs it, from the caller's context
 * (the logged-in user, the incoming request's token). A registration's resolver is part
 * of its {@link TokenRegistration}; the bearer filter and interceptor ask it once per
 * request, before they look for a token. {@link #attributes()}, the default, reads
 * {@link TokenRequestAttributes}.
 * <p>
 * The {@code RestClient} interceptor calls {@link #resolve} on the caller's thread, so a
 * resolver may read thread-bound state there (Spring Security's
 * {@code SecurityContextHolder}); the {@code WebClient} filter subscribes to
 * {@link #resolveReactive} inside the caller's reactive chain, so a resolver may read the
 * subscriber's context there ({@code ReactiveSecurityContextHolder}). A resolver never
 * blocks, and never logs what it reads.
 * <p>
 * A resolver that finds the subject elsewhere still builds its key with
 * {@link TokenRequestAttributes#keyOf}, from the key of that subject, so that the
 * request's {@link TokenRequestAttributes#PARAMETERS per-call parameters} are kept.
 */
public interface TokenKeyResolver {

	/**
	 * Return the key of the token a request carries, on the caller's thread.
	 * @param attributes the request attributes
	 * @param applicationKey the key of the registration's application token
	 * @return the key
	 * @throws TokenKitException if the request cannot carry a token of the registration
	 * (for example, a per-user registration and no user)
	 */
	TokenKey resolve(Map<String, Object> attributes, TokenKey applicationKey);

	/**
	 * Return the key of the token a request carries, in the caller's reactive chain; by
	 * default {@link #resolve} called at subscription.
	 * @param attributes the request attributes
	 * @param applicationKey the key of the registration's application token
	 * @return the key, or an error as {@link #resolve} would throw it
	 */
	default Mono<TokenKey> resolveReactive(Map<String, Object> attributes, TokenKey applicationKey) {
		return Mono.fromSupplier(() -> resolve(attributes, applicationKey));
	}

	/**
	 * Return the resolver that reads {@link TokenRequestAttributes}: the per-user key of
	 * the {@link TokenRequestAttributes#SUBJECT} attribute, else the application key;
	 * always the same instance.
	 * @return the resolver
	 */
	static TokenKeyResolver attributes() {
		return AttributeKeyResolver.INSTANCE;
	}

	/**
	 * The resolver of {@link TokenKeyResolver#attributes()}.
	 */
	final class AttributeKeyResolver implements TokenKeyResolver {

		static final AttributeKeyResolver INSTANCE = new AttributeKeyResolver();

		private AttributeKeyResolver() {
		}

		@Override
		public TokenKey resolve(Map<String, Object> attributes, TokenKey applicationKey) {
			return TokenRequestAttributes.keyOf(attributes, applicationKey);
		}

		@Override
		public Mono<TokenKey> resolveReactive(Map<String, Object> attributes, TokenKey applicationKey) {
			return Mono.just(TokenRequestAttributes.keyOf(attributes, applicationKey));
		}

		@Override
		public String toString() {
			return "TokenKeyResolver[request attributes]";
		}

	}

}
