package io.tokenkit.autoconfigure.redis;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.redis.RedisOneTimeValueStore;
import io.tokenkit.redis.RedisStoreErrorListener;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.redis.RedisTokenStoreSettings;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.token.OneTimeValueStore;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the {@link RedisTokenStore} and the
 * {@link RedisOneTimeValueStore}, when {@code tokenkit.store.type=redis} and Spring Data
 * Redis is on the class path, with a {@code tokenkit.store.errors} counter when
 * Micrometer is. {@code tokenkit.store.encryption-key} encrypts both the tokens and the
 * kept one-time values (PKCE code verifiers).
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration")
@ConditionalOnClass({ WebClient.class, ReactiveStringRedisTemplate.class })
@ConditionalOnProperty(name = "tokenkit.store.type", havingValue = "redis")
@EnableConfigurationProperties(TokenKitProperties.class)
public final class TokenKitRedisAutoConfiguration {

	private static final Log logger = LogFactory.getLog(TokenKitRedisAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean(TokenStore.class)
	@SuppressWarnings("deprecation")
	RedisTokenStore tokenKitRedisTokenStore(ObjectProvider<ReactiveStringRedisTemplate> redis,
			TokenKitProperties properties, ObjectProvider<Clock> clock,
			ObjectProvider<RedisStoreErrorListener> errorListeners) {
		ReactiveStringRedisTemplate template = requireTemplate(redis);
		TokenKitProperties.Store store = properties.getStore();
		String keyPrefix = keyPrefix(store);
		Duration leaseTime = InvalidTokenKitPropertyException.requirePositive("tokenkit.store.redis.lease-time",
				store.getRedis().getLeaseTime());
		Duration timeout = timeout(store);
		Duration refreshTokenTimeToLive = InvalidTokenKitPropertyException
			.requirePositive("tokenkit.store.refresh-token-time-to-live", store.getRefreshTokenTimeToLive());
		byte[] subjectKey = null;
		if (StringUtils.hasText(store.getSubjectKey())) {
			subjectKey = store.getSubjectKey().getBytes(StandardCharsets.UTF_8);
		}
		else if (logger.isWarnEnabled()) {
			logger.warn("tokenkit.store.subject-key is not set: subjects are hashed into Redis keys with plain "
					+ "SHA-256, which someone who can read the keys may reverse for guessable user ids. Set a secret "
					+ "subject key (at least 32 random characters) to use HMAC-SHA256.");
		}
		int maxLocalCopies = store.getRedis().getMaxLocalCopies();
		if (maxLocalCopies <= 0) {
			throw new InvalidTokenKitPropertyException("tokenkit.store.redis.max-local-copies",
					Integer.toString(maxLocalCopies), "it must be positive",
					"Set it to the number of tokens an instance may keep in memory (the default is "
							+ RedisTokenStore.DEFAULT_MAX_LOCAL_COPIES + "), or leave it unset.");
		}
		if (store.isMigrateUnkeyedSubjects() && subjectKey == null && logger.isWarnEnabled()) {
			logger.warn("tokenkit.store.migrate-unkeyed-subjects is on but tokenkit.store.subject-key is not set: "
					+ "there is nothing to migrate, and it does nothing.");
		}
		else if (store.isMigrateUnkeyedSubjects() && logger.isInfoEnabled()) {
			logger.info("tokenkit.store.migrate-unkeyed-subjects is on: keys written before the subject key are "
					+ "moved to it, and Redis commands carry the plain SHA-256 of subjects meanwhile. Turn it off once "
					+ "the old keys have moved or expired.");
		}
		return new RedisTokenStore(template, keyPrefix, clock.getIfUnique(Clock::systemUTC),
				new RedisTokenStoreSettings(leaseTime, timeout, refreshTokenTimeToLive, subjectKey,
						store.isMigrateUnkeyedSubjects(), store.getRedis().isMigrateOldKeys(),
						TokenCipherPropertiesMapper.tokenCipher(store), store.isMigratePlainTokens(), maxLocalCopies,
						errors(errorListeners)));
	}

	@Bean
	static RedisTokenStoreShutdown tokenKitRedisTokenStoreShutdown(ObjectProvider<TokenManager> manager,
			ObjectProvider<RedisTokenStore> store) {
		return new RedisTokenStoreShutdown(manager, store);
	}

	@Bean
	@ConditionalOnMissingBean(OneTimeValueStore.class)
	@SuppressWarnings("deprecation")
	RedisOneTimeValueStore tokenKitRedisOneTimeValueStore(ObjectProvider<ReactiveStringRedisTemplate> redis,
			TokenKitProperties properties, ObjectProvider<RedisStoreErrorListener> errorListeners) {
		ReactiveStringRedisTemplate template = requireTemplate(redis);
		TokenKitProperties.Store store = properties.getStore();
		String keyPrefix = keyPrefix(store);
		Duration timeout = timeout(store);
		return new RedisOneTimeValueStore(template, keyPrefix, timeout, errors(errorListeners),
				TokenCipherPropertiesMapper.tokenCipher(store));
	}

	private static ReactiveStringRedisTemplate requireTemplate(ObjectProvider<ReactiveStringRedisTemplate> redis) {
		ReactiveStringRedisTemplate template = redis.getIfAvailable();
		if (template == null) {
			throw new InvalidTokenKitPropertyException("tokenkit.store.type", "redis",
					"no ReactiveStringRedisTemplate bean is available",
					"Add spring-boot-starter-data-redis-reactive and configure spring.data.redis.*, or set tokenkit.store.type=in-memory.");
		}
		return template;
	}

	@SuppressWarnings("deprecation")
	private static String keyPrefix(TokenKitProperties.Store store) {
		boolean deprecated = StringUtils.hasText(store.getRedisKeyPrefix());
		String keyPrefix = deprecated ? store.getRedisKeyPrefix() : store.getRedis().getKeyPrefix();
		if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
			throw new InvalidTokenKitPropertyException(
					deprecated ? "tokenkit.store.redis-key-prefix" : "tokenkit.store.redis.key-prefix", keyPrefix,
					"it contains a brace, which would break the Redis Cluster hash tag that TokenKit puts in every key",
					"Use a prefix without '{' and '}', such as tokenkit: (the default).");
		}
		return keyPrefix;
	}

	private static Duration timeout(TokenKitProperties.Store store) {
		return InvalidTokenKitPropertyException.requirePositive("tokenkit.store.redis.timeout",
				store.getRedis().getTimeout());
	}

	private static RedisStoreErrorListener errors(ObjectProvider<RedisStoreErrorListener> listeners) {
		return (operation) -> listeners.forEach((listener) -> listener.failed(operation));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterRegistry.class)
	static class ErrorMeterConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "tokenKitRedisStoreErrorMeter")
		RedisStoreErrorListener tokenKitRedisStoreErrorMeter(ObjectProvider<MeterRegistry> registry) {
			return (operation) -> registry
				.ifAvailable((meters) -> meters.counter("tokenkit.store.errors", "operation", operation).increment());
		}

	}

}
