package io.tokenkit.autoconfigure.redis;

import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * Closes the {@link TokenManager} and then the {@link RedisTokenStore} when the context
 * stops, before the Redis connection factory (a {@link SmartLifecycle} in phase 0) stops:
 * acquisitions in flight still store their tokens, and the store still releases its
 * leases. Runs after the web server's graceful shutdown.
 */
final class RedisTokenStoreShutdown implements SmartLifecycle {

	/** After the web server's graceful shutdown, before the Redis connection factory. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ObjectProvider<TokenManager> manager;

	private final ObjectProvider<RedisTokenStore> store;

	private volatile boolean running;

	RedisTokenStoreShutdown(ObjectProvider<TokenManager> manager, ObjectProvider<RedisTokenStore> store) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(store, "store must not be null");
		this.manager = manager;
		this.store = store;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.manager.ifUnique(TokenManager::close);
		this.store.ifUnique(RedisTokenStore::close);
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
