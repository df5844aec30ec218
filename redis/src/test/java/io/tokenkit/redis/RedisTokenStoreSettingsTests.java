package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The settings record of {@link RedisTokenStore}: today's defaults, one change per
 * {@code with…} method, and no key in its text.
 */
class RedisTokenStoreSettingsTests {

	@Test
	void defaultsThenTheDefaultsOfTheStore() {
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults();
		assertThat(settings.leaseTime()).isEqualTo(RedisTokenStore.DEFAULT_LEASE_TIME);
		assertThat(settings.timeout()).isEqualTo(RedisTokenStore.DEFAULT_TIMEOUT);
		assertThat(settings.refreshTokenTimeToLive()).isEqualTo(RedisTokenStore.DEFAULT_REFRESH_TOKEN_TIME_TO_LIVE);
		assertThat(settings.maxLocalCopies()).isEqualTo(RedisTokenStore.DEFAULT_MAX_LOCAL_COPIES);
		assertThat(settings.subjectKey()).isNull();
		assertThat(settings.cipher()).isNull();
		assertThat(settings.migrateUnkeyedSubjects()).isFalse();
		assertThat(settings.migrateOldKeys()).isTrue();
		assertThat(settings.migratePlainTokens()).isTrue();
	}

	@Test
	void withMigratePlainTokensThenOnlyThatSettingChangesAndTheStoreSaysSo() {
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults()
			.withMaxLocalCopies(50)
			.withMigratePlainTokens(false);
		assertThat(settings.migratePlainTokens()).isFalse();
		assertThat(settings.maxLocalCopies()).isEqualTo(50);
		assertThat(settings).isNotEqualTo(RedisTokenStoreSettings.defaults().withMaxLocalCopies(50));
		assertThat(settings.withMigratePlainTokens(true))
			.isEqualTo(RedisTokenStoreSettings.defaults().withMaxLocalCopies(50));
		assertThat(settings.toString()).contains("migratePlainTokens=false");
	}

	@Test
	void withThenOnlyThatSettingChanges() {
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults()
			.withLeaseTime(Duration.ofSeconds(9))
			.withMaxLocalCopies(50);
		assertThat(settings.leaseTime()).isEqualTo(Duration.ofSeconds(9));
		assertThat(settings.maxLocalCopies()).isEqualTo(50);
		assertThat(settings.timeout()).isEqualTo(RedisTokenStore.DEFAULT_TIMEOUT);
		assertThatIllegalArgumentException().isThrownBy(() -> settings.withTimeout(Duration.ZERO))
			.withMessage("timeout must be positive");
	}

	@Test
	void toStringThenNoKey() {
		byte[] subjectKey = "subject-key-0123456789abcdef0123456789".getBytes(StandardCharsets.UTF_8);
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults()
			.withSubjectKey(subjectKey)
			.withCipher(new TokenCipher(new byte[TokenCipher.KEY_LENGTH], List.of()));
		assertThat(settings.toString()).contains("subjectKey=[REDACTED]", "encrypted=true")
			.doesNotContain(new String(subjectKey, StandardCharsets.UTF_8));
	}

	@Test
	void subjectKeyThenCopiedInAndOutAndComparedByContent() {
		byte[] key = "subject-key-0123456789abcdef0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8);
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults().withSubjectKey(key);
		byte[] original = key.clone();
		key[0] = 'X';
		assertThat(settings.subjectKey()).as("a change to the caller's array does not reach the settings")
			.isEqualTo(original);
		settings.subjectKey()[1] = 'Y';
		assertThat(settings.subjectKey()).as("nor a change to an array it answered").isEqualTo(original);
		RedisTokenStoreSettings same = RedisTokenStoreSettings.defaults().withSubjectKey(original.clone());
		assertThat(settings).isEqualTo(same).hasSameHashCodeAs(same);
		assertThat(settings).isNotEqualTo(RedisTokenStoreSettings.defaults().withSubjectKey(key));
	}

}
