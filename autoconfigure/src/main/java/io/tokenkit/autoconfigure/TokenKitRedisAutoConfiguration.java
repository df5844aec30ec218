package io.tokenkit.autoconfigure;

import java.time.Clock;

import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.token.TokenStore;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Auto-configuration of the {@link RedisTokenStore}, when
 * {@code tokenkit.store.type=redis} and Spring Data Redis is on the class path.
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class,
		afterName = "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration")
@ConditionalOnClass(ReactiveStringRedisTemplate.class)
@ConditionalOnProperty(name = "tokenkit.store.type", havingValue = "redis")
@EnableConfigurationProperties(TokenKitProperties.class)
public final class TokenKitRedisAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(TokenStore.class)
	RedisTokenStore tokenKitRedisTokenStore(ObjectProvider<ReactiveStringRedisTemplate> redis,
			TokenKitProperties properties, ObjectProvider<Clock> clock) {
		ReactiveStringRedisTemplate template = redis.getIfAvailable();
		if (template == null) {
			throw new InvalidTokenKitPropertyException("tokenkit.store.type", "redis",
					"no ReactiveStringRedisTemplate bean is available",
					"Add spring-boot-starter-data-redis-reactive and configure spring.data.redis.*, or set tokenkit.store.type=in-memory.");
		}
		return new RedisTokenStore(template, properties.getStore().getRedisKeyPrefix(),
				clock.getIfUnique(Clock::systemUTC));
	}

}
