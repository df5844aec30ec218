package io.tokenkit.redis;

import io.tokenkit.testsupport.RedisServer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A template on a fresh Lettuce connection to the test's redis-server, emptied first:
 * what the Redis store's tests open before each test and close after it.
 */
final class LocalRedisTemplate implements AutoCloseable {

	private final LettuceConnectionFactory connectionFactory;

	private final ReactiveStringRedisTemplate template;

	private LocalRedisTemplate(RedisServer server) {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", server.port()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.template = new ReactiveStringRedisTemplate(this.connectionFactory);
	}

	/**
	 * Connect to the server and delete every key on it.
	 * @param server the test's redis-server
	 * @return the connection, to close after the test
	 */
	static LocalRedisTemplate flushed(RedisServer server) {
		LocalRedisTemplate local = new LocalRedisTemplate(server);
		local.template.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		return local;
	}

	ReactiveStringRedisTemplate template() {
		return this.template;
	}

	@Override
	public void close() {
		this.connectionFactory.destroy();
	}

}
