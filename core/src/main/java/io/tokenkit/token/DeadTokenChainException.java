package io.tokenkit.token;

import org.springframework.util.Assert;

/**
 * What a shared {@link TokenStore} signals from
 * {@link TokenStore#acquire(TokenKey, java.util.function.Function) acquire} when the
 * key's refresh token was marked dead by any user of the store: the {@link TokenManager}
 * answers its callers a {@link ReauthorizationRequiredException}, worded in one place. A
 * store says only which key and where the mark was found; the message names the
 * registration, never the subject.
 */
public class DeadTokenChainException extends RuntimeException {

	private final TokenKey key;

	private final String where;

	/**
	 * Create a signal.
	 * @param key the key whose refresh token was marked dead
	 * @param where where the mark was found, for example {@code "marked in Redis"}
	 */
	public DeadTokenChainException(TokenKey key, String where) {
		super("Registration '" + key.registrationId() + "': refresh token " + where);
		Assert.hasText(where, "where must not be empty");
		this.key = key;
		this.where = where;
	}

	/**
	 * The key whose refresh token was marked dead.
	 * @return the key
	 */
	public TokenKey getKey() {
		return this.key;
	}

	/**
	 * Where the mark was found, for example {@code "marked in Redis"}.
	 * @return where the mark was found
	 */
	public String getWhere() {
		return this.where;
	}

}
