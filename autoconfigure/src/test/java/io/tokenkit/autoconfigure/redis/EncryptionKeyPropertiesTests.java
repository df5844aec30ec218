package io.tokenkit.autoconfigure.redis;

import java.time.Clock;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitFailureAnalyzer;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tokenkit.store.encryption-key}, {@code previous-encryption-keys} and
 * {@code migrate-plain-tokens}: a valid key starts an encrypting Redis store, anything
 * else stops start-up with a failure analysis naming the property and never showing the
 * value.
 */
class EncryptionKeyPropertiesTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	/** Base64 of 32 bytes. */
	private static final String KEY = "c2VjcmV0LWtleS1vZi10aGlydHktdHdvLWJ5dGVzISE=";

	/** Base64 of 16 bytes. */
	private static final String SHORT_KEY = "c2VjcmV0LWtleS1zaXh0ZWVuIQ==";

	private static final String NOT_BASE64 = "secret-key-that-is-not-base64!!";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class,
				DataRedisReactiveAutoConfiguration.class, WebClientAutoConfiguration.class,
				TokenKitRedisAutoConfiguration.class, TokenKitAutoConfiguration.class))
		.withPropertyValues("tokenkit.store.type=redis", "spring.data.redis.port=" + redisServer.port());

	@Test
	void encryptionKeyWhenBase64Of32BytesThenEncryptingStore() {
		this.contextRunner
			.withPropertyValues("tokenkit.store.encryption-key=" + KEY,
					"tokenkit.store.previous-encryption-keys=" + KEY.replace('c', 'd'))
			.run((context) -> assertThat(context).getBean(RedisTokenStore.class)
				.satisfies((store) -> assertThat(store.toString()).contains("encrypted=true").doesNotContain(KEY)));
	}

	@Test
	void encryptionKeyWhenUnsetThenPlainStore() {
		this.contextRunner.run((context) -> assertThat(context).getBean(RedisTokenStore.class)
			.satisfies((store) -> assertThat(store.toString()).contains("encrypted=false")));
	}

	@Test
	void failureWhenEncryptionKeyWrongLengthThenAnalysisNamesPropertyNotValue() {
		this.contextRunner.withPropertyValues("tokenkit.store.encryption-key=" + SHORT_KEY).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.store.encryption-key", "32 bytes")
				.doesNotContain(SHORT_KEY);
			assertThat(analysis.getAction()).contains("openssl rand -base64 32");
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain(SHORT_KEY);
		});
	}

	@Test
	void failureWhenEncryptionKeyNotBase64ThenAnalysisNamesPropertyNotValue() {
		this.contextRunner.withPropertyValues("tokenkit.store.encryption-key=" + NOT_BASE64).run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.store.encryption-key", "not Base64")
				.doesNotContain(NOT_BASE64);
			assertThat(context.getStartupFailure()).rootCause().message().doesNotContain(NOT_BASE64);
		});
	}

	@Test
	void failureWhenPreviousEncryptionKeyWrongThenAnalysisNamesItsIndex() {
		this.contextRunner
			.withPropertyValues("tokenkit.store.encryption-key=" + KEY,
					"tokenkit.store.previous-encryption-keys=" + KEY + "," + SHORT_KEY)
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.store.previous-encryption-keys[1]")
				.doesNotContain(SHORT_KEY));
	}

	@Test
	void failureWhenPreviousEncryptionKeysWithoutEncryptionKeyThenAnalysisNamesBoth() {
		this.contextRunner.withPropertyValues("tokenkit.store.previous-encryption-keys=" + KEY)
			.run((context) -> assertThat(analyze(context).getDescription())
				.contains("tokenkit.store.previous-encryption-keys", "tokenkit.store.encryption-key")
				.doesNotContain(KEY));
	}

	@Test
	void migratePlainTokensWhenDefaultThenPlainTokenStoredBeforeTheKeyIsRead() {
		this.contextRunner.withPropertyValues("tokenkit.store.encryption-key=" + KEY)
			.run((context) -> assertThat(loadPlantedPlainToken(context)).isNotNull());
	}

	@Test
	void migratePlainTokensWhenFalseWithEncryptionKeyThenPlainTokenCountsAsAbsent() {
		this.contextRunner
			.withPropertyValues("tokenkit.store.encryption-key=" + KEY, "tokenkit.store.migrate-plain-tokens=false")
			.run((context) -> {
				assertThat(context.getBean(RedisTokenStore.class).toString()).contains("migratePlainTokens=false");
				assertThat(loadPlantedPlainToken(context)).isNull();
			});
	}

	@Test
	void failureWhenMigratePlainTokensFalseWithoutEncryptionKeyThenAnalysisNamesBoth() {
		this.contextRunner.withPropertyValues("tokenkit.store.migrate-plain-tokens=false").run((context) -> {
			FailureAnalysis analysis = analyze(context);
			assertThat(analysis.getDescription()).contains("tokenkit.store.migrate-plain-tokens",
					"tokenkit.store.encryption-key");
			assertThat(analysis.getAction()).contains("tokenkit.store.encryption-key",
					"tokenkit.store.migrate-plain-tokens");
		});
	}

	/**
	 * Write a token plain under the context's key prefix, as a store without a key (or
	 * someone who holds none) does, and load it with the context's store.
	 */
	private static @Nullable AccessToken loadPlantedPlainToken(AssertableApplicationContext context) {
		ReactiveStringRedisTemplate redis = context.getBean(ReactiveStringRedisTemplate.class);
		redis.execute((connection) -> connection.serverCommands().flushAll()).blockLast();
		TokenKey victim = TokenKey.of("orders", "victim");
		Instant now = Instant.now();
		new RedisTokenStore(redis, RedisTokenStore.DEFAULT_KEY_PREFIX, Clock.systemUTC())
			.save(victim, AccessToken.withValue("planted").issuedAt(now).expiresAt(now.plusSeconds(300)).build())
			.block();
		return context.getBean(RedisTokenStore.class).load(victim).block();
	}

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
