package io.tokenkit.autoconfigure.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitFailureAnalyzer;
import io.tokenkit.redis.RedisOneTimeValueStore;
import io.tokenkit.redis.RedisStoreErrorListener;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryOneTimeValueStore;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.OneTimeValueStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenStore;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of {@link TokenKitRedisAutoConfiguration} against a real {@code redis-server} on
 * loopback: the Redis stores with {@code tokenkit.store.type=redis}, configured by
 * {@code tokenkit.store.redis.*}; backing off without the property, without Spring Data
 * Redis, and for the application's own stores.
 */
@ExtendWith(OutputCaptureExtension.class)
class TokenKitRedisAutoConfigurationTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, WebClientAutoConfiguration.class,
				TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("spring.data.redis.port=" + redisServer.port());

	@Test
	void storesWhenStoreTypeRedisThenTokensAndOneTimeValuesLiveInRedisUnderTheKeyPrefix() {
		this.contextRunner
			.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.key-prefix=shop-a:",
					"tokenkit.store.subject-key=0123456789abcdef0123456789abcdef",
					"tokenkit.registrations.orders.grant-type=static", "tokenkit.registrations.orders.token=t-1")
			.run((context) -> {
				assertThat(context).hasSingleBean(RedisTokenStore.class)
					.hasSingleBean(RedisOneTimeValueStore.class)
					.hasSingleBean(RedisTokenStoreShutdown.class);
				assertThat(context).getBean(TokenStore.class).isInstanceOf(RedisTokenStore.class);
				assertThat(context).getBean(OneTimeValueStore.class).isInstanceOf(RedisOneTimeValueStore.class);
				ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
				RedisTokenStore store = context.getBean(RedisTokenStore.class);
				context.getBean(TokenManager.class).getToken(TokenKey.of("orders")).block();
				String tokenKey = store.redisKey(TokenKey.of("orders"));
				assertThat(tokenKey).startsWith("shop-a:");
				assertThat(redis.hasKey(tokenKey).block()).isTrue();
				RedisOneTimeValueStore oneTimeValues = context.getBean(RedisOneTimeValueStore.class);
				oneTimeValues.put("nonce", "n-1", Duration.ofMinutes(1)).block();
				assertThat(oneTimeValues.redisKey("nonce", "n-1")).startsWith("shop-a:");
				assertThat(redis.hasKey(oneTimeValues.redisKey("nonce", "n-1")).block()).isTrue();
				assertThat(oneTimeValues.consume("nonce", "n-1").block()).isTrue();
				assertThat(oneTimeValues.consume("nonce", "n-1").block()).isFalse();
			});
	}

	@Test
	void oneTimeValuesWhenEncryptionKeySetThenKeptValuesAreEncryptedWithIt() {
		String verifier = "verifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
		this.contextRunner
			.withPropertyValues("tokenkit.store.type=redis",
					"tokenkit.store.encryption-key=" + Base64.getEncoder().encodeToString(new byte[32]))
			.run((context) -> {
				RedisOneTimeValueStore oneTimeValues = context.getBean(RedisOneTimeValueStore.class);
				assertThat(oneTimeValues.toString()).contains("encrypted=true");
				oneTimeValues.keep("gmo-aozora-pkce", "state-1", verifier, Duration.ofMinutes(1)).block();
				String raw = context.getBean(ReactiveStringRedisTemplate.class)
					.opsForValue()
					.get(oneTimeValues.redisKey("gmo-aozora-pkce", "state-1"))
					.block();
				assertThat(raw).startsWith("gcm1:").doesNotContain(verifier);
				assertThat(oneTimeValues.take("gmo-aozora-pkce", "state-1").block()).isEqualTo(verifier);
			});
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.run((context) -> assertThat(context.getBean(RedisOneTimeValueStore.class).toString())
				.contains("encrypted=false"));
	}

	@Test
	@SuppressWarnings("deprecation")
	void keyPrefixWhenDeprecatedPropertySetThenItIsHonoured() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis-key-prefix=legacy:")
			.run((context) -> assertThat(context.getBean(RedisTokenStore.class).redisKey(TokenKey.of("orders")))
				.startsWith("legacy:"));
	}

	@Test
	void maxLocalCopiesWhenSetThenTheStoreKeepsAtMostThatManyAndZeroStopsStartUp() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.run((context) -> assertThat(context.getBean(RedisTokenStore.class).toString())
				.contains("maxLocalCopies=" + RedisTokenStore.DEFAULT_MAX_LOCAL_COPIES));
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.max-local-copies=500")
			.run((context) -> assertThat(context.getBean(RedisTokenStore.class).toString())
				.contains("maxLocalCopies=500"));
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.max-local-copies=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("tokenkit.store.redis.max-local-copies")
				.hasMessageContaining("must be positive"));
	}

	@Test
	void migrateUnkeyedSubjectsWhenOnThenAKeyWrittenBeforeTheSubjectKeyIsMoved() {
		TokenKey alice = TokenKey.of("users", "alice");
		AccessToken token = AccessToken.withValue("at-1")
			.issuedAt(Instant.now())
			.expiresAt(Instant.now().plusSeconds(300))
			.refreshToken("rt-1")
			.build();
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.key-prefix=migrate:")
			.run((context) -> context.getBean(RedisTokenStore.class).save(alice, token).block());
		String[] keyed = { "tokenkit.store.type=redis", "tokenkit.store.redis.key-prefix=migrate:",
				"tokenkit.store.subject-key=0123456789abcdef0123456789abcdef" };
		this.contextRunner.withPropertyValues(keyed)
			.run((context) -> assertThat(context.getBean(RedisTokenStore.class).load(alice).block())
				.as("off by default: the old key is not read")
				.isNull());
		this.contextRunner.withPropertyValues(keyed)
			.withPropertyValues("tokenkit.store.migrate-unkeyed-subjects=true")
			.run((context) -> assertThat(context.getBean(RedisTokenStore.class).load(alice).block()).isEqualTo(token));
	}

	@Test
	void storesWhenStoreTypeNotSetThenInMemory() {
		this.contextRunner.run((context) -> {
			assertThat(context).doesNotHaveBean(RedisTokenStore.class)
				.doesNotHaveBean(RedisOneTimeValueStore.class)
				.doesNotHaveBean(RedisTokenStoreShutdown.class);
			assertThat(context).getBean(TokenStore.class).isInstanceOf(InMemoryTokenStore.class);
		});
	}

	@Test
	void autoConfigurationWhenSpringDataRedisAbsentThenBacksOff() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TokenKitRedisAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(ReactiveStringRedisTemplate.class))
			.withPropertyValues("tokenkit.store.type=redis")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisTokenStore.class)
				.doesNotHaveBean(RedisOneTimeValueStore.class));
	}

	@Test
	void tokenStoreWhenApplicationDefinesOneThenTheirsAndOneTimeValuesStillInRedis() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.withUserConfiguration(UserTokenStore.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisTokenStore.class);
				assertThat(context).getBean(TokenStore.class).isSameAs(context.getBean(UserTokenStore.class).store);
				assertThat(context).getBean(OneTimeValueStore.class).isInstanceOf(RedisOneTimeValueStore.class);
			});
	}

	@Test
	void oneTimeValueStoreWhenApplicationDefinesOneThenTheirs() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.withUserConfiguration(UserOneTimeValueStore.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(RedisOneTimeValueStore.class);
				assertThat(context).getBean(OneTimeValueStore.class)
					.isSameAs(context.getBean(UserOneTimeValueStore.class).store);
				assertThat(context).getBean(TokenStore.class).isInstanceOf(RedisTokenStore.class);
			});
	}

	@Test
	void failureWhenNoRedisTemplateBeanThenAnalysisSaysWhatToAdd() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class,
					TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withPropertyValues("tokenkit.store.type=redis")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("tokenkit.store.type", "ReactiveStringRedisTemplate");
				assertThat(analysis.getAction()).contains("spring-boot-starter-data-redis-reactive",
						"tokenkit.store.type=in-memory");
			});
	}

	@Test
	void failureWhenKeyPrefixHoldsABraceThenAnalysisNamesPropertyAndWhatToDo() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.key-prefix=app{1}:")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("tokenkit.store.redis.key-prefix", "brace", "hash tag");
				assertThat(analysis.getAction()).contains("without '{' and '}'");
			});
	}

	@Test
	void failureWhenLeaseTimeNotPositiveThenAnalysisNamesProperty() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.redis.lease-time=0s")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis).isNotNull();
				assertThat(analysis.getDescription()).contains("tokenkit.store.redis.lease-time");
			});
	}

	@Test
	void subjectKeyWhenUnsetThenOneWarningWhenSetThenNoneAndNeverItsValue(CapturedOutput output) {
		String warning = "tokenkit.store.subject-key is not set";
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.run((context) -> assertThat(context).hasSingleBean(RedisTokenStore.class));
		assertThat(output.getAll()).containsOnlyOnce(warning);
		int before = output.getAll().length();
		this.contextRunner
			.withPropertyValues("tokenkit.store.type=redis", "tokenkit.store.subject-key=sweep-secret-subject-key")
			.run((context) -> assertThat(context).hasSingleBean(RedisTokenStore.class));
		assertThat(output.getAll().substring(before)).doesNotContain(warning);
		assertThat(output.getAll()).doesNotContain("sweep-secret-subject-key");
	}

	@Test
	void errorMeterWhenRedisCallFailsThenCountedByOperation() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.run((context) -> {
				assertThat(context).hasBean("tokenKitRedisStoreErrorMeter");
				context.getBean("tokenKitRedisStoreErrorMeter", RedisStoreErrorListener.class).failed("lease");
				assertThat(context.getBean(MeterRegistry.class)
					.get("tokenkit.store.errors")
					.tag("operation", "lease")
					.counter()
					.count()).isEqualTo(1);
			});
	}

	@Test
	void errorMeterWhenMicrometerCoreAbsentThenNone() {
		this.contextRunner.withPropertyValues("tokenkit.store.type=redis")
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).hasSingleBean(RedisTokenStore.class)
				.doesNotHaveBean("tokenKitRedisStoreErrorMeter"));
	}

	@Configuration(proxyBeanMethods = false)
	static class UserTokenStore {

		final TokenStore store = new InMemoryTokenStore();

		@Bean
		TokenStore userTokenStore() {
			return this.store;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserOneTimeValueStore {

		final OneTimeValueStore store = new InMemoryOneTimeValueStore(java.time.Clock.systemUTC());

		@Bean
		OneTimeValueStore userOneTimeValueStore() {
			return this.store;
		}

	}

}
