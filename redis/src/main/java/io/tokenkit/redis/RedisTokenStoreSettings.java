package io.tokenkit.redis;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The settings of a {@link RedisTokenStore} beyond its template, key prefix and clock:
 * start from {@link #defaults()} and change what differs with the {@code with…} methods.
 * {@link #toString()} shows no key.
 *
 * @param leaseTime how long an acquisition lease lasts unless renewed
 * @param timeout the time limit of each Redis call
 * @param refreshTokenTimeToLive how long a token that carries a refresh token is kept
 * @param subjectKey the HMAC key of subjects in Redis keys, or {@code null} for a plain
 * SHA-256
 * @param migrateUnkeyedSubjects with a subject key, whether to move keys written before
 * it (named by the plain SHA-256 of their subject) to their subject-key form: while on,
 * Redis commands carry that plain SHA-256
 * @param migrateOldKeys whether to move entries written under the key layout before hash
 * tags to their current name (and delete the old names at saves and removes); off, those
 * names are neither read nor deleted
 * @param cipher encrypts token values, or {@code null} to store them as plain JSON
 * @param migratePlainTokens with a cipher, whether a plain value (written before
 * encryption was configured) is read as it is and written encrypted at the next write;
 * off, it counts as absent with a WARN, so that someone who can write to Redis but holds
 * no key cannot plant a token of their own. Turn it off once every instance encrypts and
 * the plain values have been replaced. Without a cipher it has no effect
 * @param maxLocalCopies the most tokens kept in an instance's memory; beyond it the least
 * recently used per-user copies are dropped (and read again from Redis when needed)
 * @param errors told the operation of each failed Redis call ({@code read},
 * {@code lease}, {@code write}, {@code remove}, {@code subscribe})
 */
public record RedisTokenStoreSettings(Duration leaseTime, Duration timeout, Duration refreshTokenTimeToLive,
		byte @Nullable [] subjectKey, boolean migrateUnkeyedSubjects, boolean migrateOldKeys,
		@Nullable TokenCipher cipher, boolean migratePlainTokens, int maxLocalCopies, RedisStoreErrorListener errors) {

	private static final RedisStoreErrorListener NO_LISTENER = (operation) -> {
	};

	/**
	 * Check the settings.
	 * @param leaseTime how long an acquisition lease lasts unless renewed
	 * @param timeout the time limit of each Redis call
	 * @param refreshTokenTimeToLive how long a token that carries a refresh token is kept
	 * @param subjectKey the HMAC key of subjects, or {@code null}
	 * @param migrateUnkeyedSubjects whether to move keys written before the subject key
	 * @param migrateOldKeys whether to move entries of the key layout before hash tags
	 * @param cipher encrypts token values, or {@code null}
	 * @param migratePlainTokens with a cipher, whether plain values are read
	 * @param maxLocalCopies the most tokens kept in an instance's memory
	 * @param errors told the operation of each failed Redis call
	 */
	public RedisTokenStoreSettings {
		Assert.isTrue(leaseTime != null && leaseTime.toMillis() > 0, "leaseTime must be positive");
		Assert.isTrue(timeout != null && timeout.toMillis() > 0, "timeout must be positive");
		Assert.isTrue(refreshTokenTimeToLive != null && refreshTokenTimeToLive.toMillis() > 0,
				"refreshTokenTimeToLive must be positive");
		Assert.isTrue(maxLocalCopies > 0, "maxLocalCopies must be positive");
		Assert.notNull(errors, "errors must not be null");
		subjectKey = (subjectKey != null) ? subjectKey.clone() : null;
	}

	/**
	 * Create settings that read plain values with a cipher, as before
	 * {@code migratePlainTokens} was a setting.
	 * @param leaseTime how long an acquisition lease lasts unless renewed
	 * @param timeout the time limit of each Redis call
	 * @param refreshTokenTimeToLive how long a token that carries a refresh token is kept
	 * @param subjectKey the HMAC key of subjects, or {@code null}
	 * @param migrateUnkeyedSubjects whether to move keys written before the subject key
	 * @param migrateOldKeys whether to move entries of the key layout before hash tags
	 * @param cipher encrypts token values, or {@code null}
	 * @param maxLocalCopies the most tokens kept in an instance's memory
	 * @param errors told the operation of each failed Redis call
	 */
	public RedisTokenStoreSettings(Duration leaseTime, Duration timeout, Duration refreshTokenTimeToLive,
			byte @Nullable [] subjectKey, boolean migrateUnkeyedSubjects, boolean migrateOldKeys,
			@Nullable TokenCipher cipher, int maxLocalCopies, RedisStoreErrorListener errors) {
		this(leaseTime, timeout, refreshTokenTimeToLive, subjectKey, migrateUnkeyedSubjects, migrateOldKeys, cipher,
				true, maxLocalCopies, errors);
	}

	/**
	 * Return a copy of the HMAC key of subjects.
	 * @return the key, or {@code null} for a plain SHA-256
	 */
	@Override
	public byte @Nullable [] subjectKey() {
		return (this.subjectKey != null) ? this.subjectKey.clone() : null;
	}

	/**
	 * Whether the other settings are alike: the subject key compared by content, the
	 * cipher and the error listener by identity.
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		return this == other || (other instanceof RedisTokenStoreSettings that && this.leaseTime.equals(that.leaseTime)
				&& this.timeout.equals(that.timeout) && this.refreshTokenTimeToLive.equals(that.refreshTokenTimeToLive)
				&& Arrays.equals(this.subjectKey, that.subjectKey)
				&& this.migrateUnkeyedSubjects == that.migrateUnkeyedSubjects
				&& this.migrateOldKeys == that.migrateOldKeys && this.cipher == that.cipher
				&& this.migratePlainTokens == that.migratePlainTokens && this.maxLocalCopies == that.maxLocalCopies
				&& this.errors == that.errors);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, Arrays.hashCode(this.subjectKey),
				this.migrateUnkeyedSubjects, this.migrateOldKeys, System.identityHashCode(this.cipher),
				this.migratePlainTokens, this.maxLocalCopies, System.identityHashCode(this.errors));
	}

	/**
	 * Return the defaults: {@link RedisTokenStore#DEFAULT_LEASE_TIME},
	 * {@link RedisTokenStore#DEFAULT_TIMEOUT},
	 * {@link RedisTokenStore#DEFAULT_REFRESH_TOKEN_TIME_TO_LIVE}, no subject key, no
	 * migration of unkeyed subjects, the migration of old key names, no encryption (and
	 * plain values read should a cipher be added),
	 * {@link RedisTokenStore#DEFAULT_MAX_LOCAL_COPIES} and no error listener.
	 * @return the default settings
	 */
	public static RedisTokenStoreSettings defaults() {
		return new RedisTokenStoreSettings(RedisTokenStore.DEFAULT_LEASE_TIME, RedisTokenStore.DEFAULT_TIMEOUT,
				RedisTokenStore.DEFAULT_REFRESH_TOKEN_TIME_TO_LIVE, null, false, true, null, true,
				RedisTokenStore.DEFAULT_MAX_LOCAL_COPIES, NO_LISTENER);
	}

	/**
	 * Return these settings with another lease time.
	 * @param leaseTime how long an acquisition lease lasts unless renewed
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withLeaseTime(Duration leaseTime) {
		return new RedisTokenStoreSettings(leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens,
				this.maxLocalCopies, this.errors);
	}

	/**
	 * Return these settings with another time limit of each Redis call.
	 * @param timeout the time limit
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withTimeout(Duration timeout) {
		return new RedisTokenStoreSettings(this.leaseTime, timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens,
				this.maxLocalCopies, this.errors);
	}

	/**
	 * Return these settings with another time to live of tokens that carry a refresh
	 * token.
	 * @param refreshTokenTimeToLive how long such a token is kept
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withRefreshTokenTimeToLive(Duration refreshTokenTimeToLive) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens,
				this.maxLocalCopies, this.errors);
	}

	/**
	 * Return these settings with another subject key.
	 * @param subjectKey the HMAC key of subjects, or {@code null} for a plain SHA-256
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withSubjectKey(byte @Nullable [] subjectKey) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens,
				this.maxLocalCopies, this.errors);
	}

	/**
	 * Return these settings with the migration of keys written before the subject key on
	 * or off.
	 * @param migrateUnkeyedSubjects whether to move such keys
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withMigrateUnkeyedSubjects(boolean migrateUnkeyedSubjects) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens, this.maxLocalCopies,
				this.errors);
	}

	/**
	 * Return these settings with the migration of old key names on or off.
	 * @param migrateOldKeys whether to move entries of the key layout before hash tags
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withMigrateOldKeys(boolean migrateOldKeys) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, migrateOldKeys, this.cipher, this.migratePlainTokens, this.maxLocalCopies,
				this.errors);
	}

	/**
	 * Return these settings with another cipher.
	 * @param cipher encrypts token values, or {@code null} to store them as plain JSON
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withCipher(@Nullable TokenCipher cipher) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, cipher, this.migratePlainTokens, this.maxLocalCopies,
				this.errors);
	}

	/**
	 * Return these settings with the reading of plain values under a cipher on or off.
	 * @param migratePlainTokens whether a plain value is read (and written encrypted at
	 * the next write) rather than counted as absent
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withMigratePlainTokens(boolean migratePlainTokens) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, migratePlainTokens, this.maxLocalCopies,
				this.errors);
	}

	/**
	 * Return these settings with another maximum of local copies.
	 * @param maxLocalCopies the most tokens kept in an instance's memory
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withMaxLocalCopies(int maxLocalCopies) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens, maxLocalCopies,
				this.errors);
	}

	/**
	 * Return these settings with another error listener.
	 * @param errors told the operation of each failed Redis call
	 * @return the new settings
	 */
	public RedisTokenStoreSettings withErrors(RedisStoreErrorListener errors) {
		return new RedisTokenStoreSettings(this.leaseTime, this.timeout, this.refreshTokenTimeToLive, this.subjectKey,
				this.migrateUnkeyedSubjects, this.migrateOldKeys, this.cipher, this.migratePlainTokens,
				this.maxLocalCopies, errors);
	}

	@Override
	public String toString() {
		return "RedisTokenStoreSettings[leaseTime=" + this.leaseTime + ", timeout=" + this.timeout
				+ ", refreshTokenTimeToLive=" + this.refreshTokenTimeToLive + ", subjectKey="
				+ ((this.subjectKey != null) ? "[REDACTED]" : "none") + ", migrateUnkeyedSubjects="
				+ this.migrateUnkeyedSubjects + ", migrateOldKeys=" + this.migrateOldKeys + ", encrypted="
				+ (this.cipher != null) + ", migratePlainTokens=" + this.migratePlainTokens + ", maxLocalCopies="
				+ this.maxLocalCopies + "]";
	}

}
