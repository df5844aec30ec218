package io.tokenkit.token;

import org.springframework.util.Assert;

/**
 * A token a {@link TokenStore} took out for one of its keys: what
 * {@link TokenStore#removeAll} answers for each key it emptied, so that the removed token
 * can be revoked once.
 *
 * @param key the key the token was held for
 * @param token the token removed
 */
public record RemovedToken(TokenKey key, AccessToken token) {

	/**
	 * Create a removed token.
	 * @param key the key the token was held for
	 * @param token the token removed
	 */
	public RemovedToken {
		Assert.notNull(key, "key must not be null");
		Assert.notNull(token, "token must not be null");
	}

	@Override
	public String toString() {
		return "RemovedToken[registration=" + this.key.registrationId() + "]";
	}

}
