package io.tokenkit.oauth2;

import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenSource;

import org.springframework.util.Assert;

/**
 * A {@link TokenSource} that always gives the same configured token, which never expires:
 * for APIs that take a long-lived key, such as an Authlete service access token.
 */
public final class StaticTokenSource implements TokenSource {

	private final Mono<AccessToken> token;

	/**
	 * Create a source.
	 * @param tokenValue the token value
	 */
	public StaticTokenSource(String tokenValue) {
		Assert.hasText(tokenValue, "tokenValue must not be empty");
		this.token = Mono.just(AccessToken.withValue(tokenValue).build());
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		return this.token;
	}

}
