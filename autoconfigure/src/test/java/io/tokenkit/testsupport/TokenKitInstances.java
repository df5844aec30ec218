package io.tokenkit.testsupport;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.redis.TokenKitRedisAutoConfiguration;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Starts one instance of an application that uses TokenKit with the Redis store: an
 * application context configured by properties, with a {@code client_credentials}
 * registration {@code orders} and a per-user {@code refresh_token} registration
 * {@code users} at one token endpoint, the given clock, a meter registry, and Reactor
 * Netty resources of its own (closing one instance must not stop the others' event
 * loops).
 */
public final class TokenKitInstances {

	private TokenKitInstances() {
	}

	/**
	 * Start an instance.
	 * @param redisPort the port of the redis-server
	 * @param tokenUri the token endpoint of both registrations
	 * @param clock the clock of the instance
	 * @param properties further properties, such as
	 * {@code tokenkit.store.redis.timeout=300ms}
	 * @return the running instance
	 */
	public static ConfigurableApplicationContext start(int redisPort, String tokenUri, Clock clock,
			String... properties) {
		List<String> all = new ArrayList<>(List.of("tokenkit.registrations.orders.grant-type=client_credentials",
				"tokenkit.registrations.orders.token-uri=" + tokenUri,
				"tokenkit.registrations.orders.client-id=orders-app",
				"tokenkit.registrations.orders.client-secret=orders-secret",
				"tokenkit.registrations.users.grant-type=refresh_token",
				"tokenkit.registrations.users.token-uri=" + tokenUri,
				"tokenkit.registrations.users.client-id=users-app",
				"tokenkit.registrations.users.client-secret=users-secret", "tokenkit.token-calls.cool-down=100ms"));
		all.addAll(List.of(properties));
		return start(redisPort, clock, all.toArray(String[]::new));
	}

	/**
	 * Start an instance with no registration but those of the properties.
	 * @param redisPort the port of the redis-server
	 * @param clock the clock of the instance
	 * @param properties the registrations and further properties
	 * @return the running instance
	 */
	public static ConfigurableApplicationContext start(int redisPort, Clock clock, String... properties) {
		List<String> all = new ArrayList<>(List.of("spring.data.redis.port=" + redisPort, "tokenkit.store.type=redis",
				"spring.main.banner-mode=off"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(Instance.class).web(WebApplicationType.NONE)
			.initializers((context) -> context.getBeanFactory().registerSingleton("clock", clock))
			.properties(all.toArray(String[]::new))
			.run();
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, DataRedisReactiveAutoConfiguration.class,
			HttpClientAutoConfiguration.class, ReactiveHttpClientAutoConfiguration.class,
			WebClientAutoConfiguration.class, TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class })
	static class Instance {

		@Bean
		MeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		ReactorResourceFactory reactorResourceFactory() {
			ReactorResourceFactory factory = new ReactorResourceFactory();
			factory.setUseGlobalResources(false);
			return factory;
		}

	}

}
