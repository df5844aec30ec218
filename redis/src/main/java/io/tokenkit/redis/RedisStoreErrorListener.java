package io.tokenkit.redis;

/**
 * Told of every Redis call of a {@link RedisTokenStore} that failed or did not answer in
 * time, for example to count them as {@code tokenkit.store.errors}.
 */
@FunctionalInterface
public interface RedisStoreErrorListener {

	/**
	 * A Redis call failed.
	 * @param operation the operation: {@code read}, {@code lease}, {@code write},
	 * {@code remove} or {@code subscribe}
	 */
	void failed(String operation);

}
