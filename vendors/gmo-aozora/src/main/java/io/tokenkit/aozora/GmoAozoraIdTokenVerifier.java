package io.tokenkit.aozora;

import reactor.core.publisher.Mono;

/**
 * Checks the ID token of an OpenID Connect token response and uses up its nonce.
 *
 * @see NimbusGmoAozoraIdTokenVerifier
 */
@FunctionalInterface
public interface GmoAozoraIdTokenVerifier {

	/**
	 * Verify an ID token.
	 * @param idToken the {@code id_token} of the token response
	 * @return the verified token; a {@link GmoAozoraIdTokenException} naming the failed
	 * check otherwise
	 */
	Mono<GmoAozoraIdToken> verify(String idToken);

}
