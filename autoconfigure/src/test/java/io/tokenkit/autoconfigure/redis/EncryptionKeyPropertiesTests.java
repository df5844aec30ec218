package io.tokenkit.autoconfigure.redis;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitFailureAnalyzer;
import io.tokenkit.redis.RedisTokenStore;
import io.tokenkit.testsupport.RedisServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tokenkit.store.encryption-key} and {@code previous-encryption-keys}: a valid key
 * starts an encrypting Redis store, anything else stops start-up with a failure analysis
 * naming the property and never showing the value.
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

	private static FailureAnalysis analyze(AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		FailureAnalysis analysis = new TokenKitFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).as("failure analysis of %s", context.getStartupFailure()).isNotNull();
		return analysis;
	}

}
