package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.testsupport.CountingTokenSource;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisMonitor;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NoTokenForSubjectException;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static io.tokenkit.redis.TestCiphers.bytes;
import static io.tokenkit.redis.TestCiphers.cipher;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Token values encrypted at rest and subjects moved to their subject-key form, against a
 * real {@code redis-server} on loopback.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisTokenStoreAtRestTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final byte[] KEY_A = bytes('A');

	private static final byte[] KEY_B = bytes('B');

	private static final byte[] SUBJECT_KEY = "test-subject-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private static final TokenKey ORDERS = TokenKey.of("orders");

	private static final TokenKey CUSTOMER = TokenKey.of("bank", "customer-42");

	private final MutableClock clock = MutableClock.at("2026-11-23T10:00:00Z");

	private LocalRedisTemplate local;

	private ReactiveStringRedisTemplate redis;

	@BeforeEach
	void connect() {
		this.local = LocalRedisTemplate.flushed(redisServer);
		this.redis = this.local.template();
	}

	@AfterEach
	void disconnect() {
		this.local.close();
	}

	@Test
	void saveWhenEncryptedThenAnotherInstanceReadsItAndRedisHoldsNeitherToken() {
		AccessToken saved = token("at-secret-1");
		store(cipher(KEY_A)).save(ORDERS, saved).block();
		String raw = raw("test:{orders}:-");
		assertThat(raw).startsWith("gcm1:").doesNotContain("at-secret-1", "rt-at-secret-1", "id-at-secret-1");
		AccessToken loaded = store(cipher(KEY_A)).load(ORDERS).block();
		assertThat(loaded).isEqualTo(saved);
		assertThat(loaded.getRefreshToken()).isEqualTo("rt-at-secret-1");
		assertThat(loaded.getIdToken()).isEqualTo("id-at-secret-1");
		assertThat(loaded.getScopes()).containsExactly("a");
		assertThat(loaded.getExpiresAt()).isEqualTo(saved.getExpiresAt());
	}

	@Test
	void saveWhenEncryptedTwiceThenFreshIvEachTime() {
		AccessToken saved = token("at-1");
		RedisTokenStore store = store(cipher(KEY_A));
		store.save(ORDERS, saved).block();
		String first = raw("test:{orders}:-");
		store.save(ORDERS, saved).block();
		assertThat(raw("test:{orders}:-")).isNotEqualTo(first);
	}

	@Test
	void loadWhenWrittenWithPreviousKeyThenReadAndRewrittenUnderCurrentKey() {
		AccessToken saved = token("at-1");
		store(cipher(KEY_A)).save(ORDERS, saved).block();
		RedisTokenStore rotated = store(new TokenCipher(KEY_B, List.of(KEY_A)));
		assertThat(rotated.load(ORDERS).block()).isEqualTo(saved);
		assertThat(store(cipher(KEY_B)).load(ORDERS).block()).as("B alone cannot read A's value").isNull();
		AccessToken next = token("at-2");
		assertThat(rotated.replace(ORDERS, saved, next).block()).isTrue();
		assertThat(store(cipher(KEY_B)).load(ORDERS).block()).as("rewritten under B").isEqualTo(next);
		assertThat(store(cipher(KEY_A)).load(ORDERS).block()).as("A alone cannot read B's value").isNull();
	}

	@Test
	void loadWhenCiphertextCopiedToAnotherKeyThenAbsent(CapturedOutput output) {
		store(cipher(KEY_A)).save(ORDERS, token("at-secret-1")).block();
		this.redis.opsForHash().put("test:{billing}:-", "t", raw("test:{orders}:-")).block();
		this.redis.opsForHash().put("test:{billing}:-", "g", "1").block();
		assertThat(store(cipher(KEY_A)).load(TokenKey.of("billing")).block()).isNull();
		assertThat(output).contains("Ignoring a token of registration 'billing'", "copied from another Redis key")
			.doesNotContain("at-secret-1")
			.doesNotContain(raw("test:{orders}:-"));
	}

	@Test
	void getTokenWhenCiphertextTamperedThenAbsentOneWarnAndNewTokenAcquired(CapturedOutput output) {
		RedisTokenStore store = store(cipher(KEY_A));
		store.save(ORDERS, token("at-secret-1")).block();
		String raw = raw("test:{orders}:-");
		byte[] bytes = Base64.getDecoder().decode(raw.substring("gcm1:".length()));
		bytes[bytes.length - 20] ^= 1;
		String tampered = "gcm1:" + Base64.getEncoder().encodeToString(bytes);
		this.redis.opsForHash().put("test:{orders}:-", "t", tampered).block();
		RedisTokenStore other = store(cipher(KEY_A));
		assertThat(other.load(ORDERS).block()).isNull();
		assertThat(other.load(ORDERS).block()).isNull();
		CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)), other, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThat(manager.getToken(ORDERS).block().getTokenValue()).isEqualTo("token-1");
		assertThat(source.obtains()).isOne();
		assertThat(source.refreshes()).as("the tampered refresh token is never redeemed").isZero();
		assertThat(store(cipher(KEY_A)).load(ORDERS).block().getTokenValue()).isEqualTo("token-1");
		assertThat(output.toString().split("Ignoring a token of registration 'orders'", -1)).as("one WARN").hasSize(2);
		assertThat(output).contains("authentication tag does not match")
			.doesNotContain("at-secret-1")
			.doesNotContain(tampered);
	}

	@Test
	void loadWhenKeyIdUnknownThenAbsent(CapturedOutput output) {
		store(cipher(KEY_A)).save(ORDERS, token("at-1")).block();
		assertThat(store(cipher(KEY_B)).load(ORDERS).block()).isNull();
		assertThat(output).contains("neither the encryption key nor one of the previous keys");
	}

	@Test
	void loadWhenPlainValueAndEncryptionEnabledThenReadAndRewrittenEncrypted() {
		AccessToken saved = token("at-1");
		store(null).save(ORDERS, saved).block();
		assertThat(raw("test:{orders}:-")).startsWith("{").contains("at-1");
		RedisTokenStore encrypting = store(cipher(KEY_A));
		assertThat(encrypting.load(ORDERS).block()).isEqualTo(saved);
		AccessToken next = token("at-2");
		assertThat(encrypting.replace(ORDERS, saved, next).block()).isTrue();
		assertThat(raw("test:{orders}:-")).startsWith("gcm1:").doesNotContain("at-2");
		assertThat(store(cipher(KEY_A)).load(ORDERS).block()).isEqualTo(next);
	}

	@Test
	void getTokenWhenPlainTokenPlantedUnderUsersKeyAndPlainTokensMigrateThenServed() {
		store(null).save(CUSTOMER, token("planted-at")).block();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", new NoUserTokenSource())),
				store(cipher(KEY_A)), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThat(manager.getToken(CUSTOMER).block().getTokenValue()).as("the default, for the migration")
			.isEqualTo("planted-at");
	}

	@Test
	void getTokenWhenPlainTokenPlantedUnderUsersKeyAndPlainTokensNotMigratedThenAbsentAndUserReauthorizes(
			CapturedOutput output) {
		store(null).save(CUSTOMER, token("planted-at")).block();
		RedisTokenStore store = refusingPlain(cipher(KEY_A));
		assertThat(store.load(CUSTOMER).block()).isNull();
		NoUserTokenSource source = new NoUserTokenSource();
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", source)), store, this.clock,
				TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThatExceptionOfType(NoTokenForSubjectException.class)
			.isThrownBy(() -> manager.getToken(CUSTOMER).block());
		assertThat(source.refreshes).as("the planted refresh token is never redeemed").isZero();
		assertThat(output.toString().split("Ignoring a token of registration 'bank'", -1)).as("one WARN").hasSize(2);
		assertThat(output).contains("not encrypted", "tokenkit.store.migrate-plain-tokens=false")
			.doesNotContain("planted-at")
			.doesNotContain(CUSTOMER.subject());
	}

	@Test
	void getTokenWhenPlainApplicationTokenPlantedAndPlainTokensNotMigratedThenNewTokenAcquiredEncrypted(
			CapturedOutput output) {
		store(null).save(ORDERS, token("planted-at")).block();
		CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
		TokenManager manager = new TokenManager(List.of(TokenRegistration.of("orders", source)),
				refusingPlain(cipher(KEY_A)), this.clock, TokenEventListener.NONE, Duration.ofSeconds(5));
		assertThat(manager.getToken(ORDERS).block().getTokenValue()).isEqualTo("token-1");
		assertThat(source.obtains()).isOne();
		assertThat(source.refreshes()).as("the planted refresh token is never redeemed").isZero();
		assertThat(raw("test:{orders}:-")).startsWith("gcm1:");
		assertThat(output).contains("Ignoring a token of registration 'orders'").doesNotContain("planted-at");
	}

	@Test
	void loadWhenEncryptedAndPlainTokensNotMigratedThenServed() {
		AccessToken saved = token("at-1");
		refusingPlain(cipher(KEY_A)).save(CUSTOMER, saved).block();
		assertThat(refusingPlain(cipher(KEY_A)).load(CUSTOMER).block()).isEqualTo(saved);
		refusingPlain(new TokenCipher(KEY_B, List.of(KEY_A))).save(ORDERS, saved).block();
		assertThat(refusingPlain(new TokenCipher(KEY_A, List.of(KEY_B))).load(ORDERS).block())
			.as("written under a previous key")
			.isEqualTo(saved);
	}

	@Test
	void loadWhenEncryptedAndNoKeyConfiguredThenAbsent(CapturedOutput output) {
		store(cipher(KEY_A)).save(ORDERS, token("at-1")).block();
		assertThat(store(null).load(ORDERS).block()).isNull();
		assertThat(output).contains("no encryption key is configured");
		assertThat(store(cipher(KEY_A)).load(ORDERS).block()).as("readable once the key is configured")
			.isEqualTo(token("at-1"));
	}

	@Test
	void loadWhenSubjectKeyConfiguredThenEntryMovedFromPlainHashKey() {
		AccessToken saved = token("at-1");
		RedisTokenStore before = store(null, null);
		before.save(CUSTOMER, saved).block();
		String oldKey = before.redisKey(CUSTOMER);
		RedisTokenStore after = store(SUBJECT_KEY, null);
		String newKey = after.redisKey(CUSTOMER);
		assertThat(newKey).isNotEqualTo(oldKey);
		assertThat(after.load(CUSTOMER).block()).isEqualTo(saved);
		assertThat(keys()).containsExactly(newKey);
		assertThat(this.redis.getExpire(newKey).block()).isBetween(Duration.ofDays(30).minusMinutes(1),
				Duration.ofDays(30));
		assertThat(store(SUBJECT_KEY, null).load(CUSTOMER).block()).isEqualTo(saved);
		AccessToken next = token("at-2");
		assertThat(after.replace(CUSTOMER, saved, next).block()).as("the moved generation carries on").isTrue();
		assertThat(store(SUBJECT_KEY, null).load(CUSTOMER).block()).isEqualTo(next);
	}

	@Test
	void acquireWhenSubjectKeyConfiguredThenLeaseReadMovesEntryAndOffersItsToken() {
		AccessToken saved = token("at-1");
		store(null, cipher(KEY_A)).save(CUSTOMER, saved).block();
		RedisTokenStore after = store(SUBJECT_KEY, cipher(KEY_A));
		AccessToken[] offered = new AccessToken[1];
		AccessToken acquired = after.acquire(CUSTOMER, (newest) -> {
			offered[0] = newest;
			return Mono.just(token("at-2"));
		}).block();
		assertThat(offered[0]).as("the moved token, decrypted under its old key name").isEqualTo(saved);
		assertThat(acquired.getTokenValue()).isEqualTo("at-2");
		assertThat(keys()).containsExactly(after.redisKey(CUSTOMER));
		assertThat(raw(after.redisKey(CUSTOMER))).startsWith("gcm1:");
		assertThat(store(SUBJECT_KEY, cipher(KEY_A)).load(CUSTOMER).block()).isEqualTo(acquired);
	}

	@Test
	void loadWhenBothKeyFormsExistThenNewKeyWins() {
		RedisTokenStore before = store(null, null);
		before.save(CUSTOMER, token("old")).block();
		String oldKey = before.redisKey(CUSTOMER);
		RedisTokenStore after = store(SUBJECT_KEY, null);
		// an old key written again by an instance not yet configured with the subject key
		after.save(CUSTOMER, token("new")).block();
		before.save(CUSTOMER, token("old")).block();
		assertThat(store(SUBJECT_KEY, null).load(CUSTOMER).block().getTokenValue()).isEqualTo("new");
		assertThat(keys()).contains(oldKey);
	}

	@Test
	void removeWhenSubjectKeyConfiguredThenOldKeyFormRemovedToo() {
		RedisTokenStore before = store(null, null);
		before.save(CUSTOMER, token("at-1")).block();
		RedisTokenStore after = store(SUBJECT_KEY, null);
		String oldKey = before.redisKey(CUSTOMER);
		after.remove(CUSTOMER).block();
		// the old form is gone; the new one is a tombstone without a token, which keeps
		// the generation rising
		assertThat(keys()).doesNotContain(oldKey).containsExactly(after.redisKey(CUSTOMER));
		assertThat(this.redis.opsForHash().hasKey(after.redisKey(CUSTOMER), "t").block()).isFalse();
		assertThat(store(SUBJECT_KEY, null).load(CUSTOMER).block()).isNull();
	}

	@Test
	void saveLoadRefreshRemoveWhenSubjectKeyAndNoMigrationThenNoRedisCommandCarriesTheSubjectOrItsPlainHash()
			throws Exception {
		String subject = CUSTOMER.subject();
		String plainHash = HexFormat.of()
			.formatHex(MessageDigest.getInstance("SHA-256").digest(subject.getBytes(StandardCharsets.UTF_8)));
		try (RedisMonitor monitor = new RedisMonitor(redisServer.port())) {
			RedisTokenStore a = store(SUBJECT_KEY, cipher(KEY_A), false);
			RedisTokenStore b = store(SUBJECT_KEY, cipher(KEY_A), false);
			a.save(CUSTOMER, token("at-1")).block();
			assertThat(b.load(CUSTOMER).block()).isEqualTo(token("at-1"));
			CountingTokenSource source = new CountingTokenSource(this.clock, Duration.ofMinutes(5));
			TokenManager manager = new TokenManager(List.of(TokenRegistration.of("bank", source)), b, this.clock,
					TokenEventListener.NONE, Duration.ofSeconds(5));
			assertThat(manager.refresh(CUSTOMER).block().getTokenValue()).isEqualTo("token-1");
			assertThat(source.refreshes()).isOne();
			assertThat(store(SUBJECT_KEY, cipher(KEY_A), false).load(CUSTOMER).block().getTokenValue())
				.isEqualTo("token-1");
			a.remove(CUSTOMER).block();
			assertThat(store(SUBJECT_KEY, cipher(KEY_A), false).load(CUSTOMER).block()).isNull();
			List<String> commands = monitor.lines();
			assertThat(commands).as("save, read, refresh and remove went through Redis")
				.anyMatch((line) -> line.contains(a.redisKey(CUSTOMER)));
			assertThat(commands).noneMatch((line) -> line.contains(subject))
				.noneMatch((line) -> line.toLowerCase(Locale.ROOT).contains(plainHash));
		}
	}

	@Test
	void loadWhenSubjectKeyWithoutMigrationThenOldKeyIsNeitherReadNorDeleted() {
		RedisTokenStore before = store(null, null);
		before.save(CUSTOMER, token("at-1")).block();
		String oldKey = before.redisKey(CUSTOMER);
		RedisTokenStore after = store(SUBJECT_KEY, null, false);
		assertThat(after.load(CUSTOMER).block()).isNull();
		after.save(CUSTOMER, token("at-2")).block();
		assertThat(keys()).contains(oldKey, after.redisKey(CUSTOMER));
	}

	@Test
	void cipherToStringThenNoKey() {
		TokenCipher cipher = new TokenCipher(KEY_A, List.of(KEY_B));
		assertThat(cipher.toString()).contains("AES-256-GCM")
			.doesNotContain(Base64.getEncoder().encodeToString(KEY_A), Base64.getEncoder().encodeToString(KEY_B),
					new String(KEY_A, StandardCharsets.ISO_8859_1));
		assertThat(store(cipher(KEY_A)).toString()).contains("encrypted=true")
			.doesNotContain(Base64.getEncoder().encodeToString(KEY_A));
	}

	private RedisTokenStore refusingPlain(TokenCipher cipher) {
		return new RedisTokenStore(this.redis, "test:", this.clock,
				RedisTokenStoreSettings.defaults().withCipher(cipher).withMigratePlainTokens(false));
	}

	private RedisTokenStore store(@Nullable TokenCipher cipher) {
		return store(null, cipher);
	}

	/** A store that migrates old keys (tokenkit.store.migrate-unkeyed-subjects=true). */
	private RedisTokenStore store(byte @Nullable [] subjectKey, @Nullable TokenCipher cipher) {
		return store(subjectKey, cipher, true);
	}

	private RedisTokenStore store(byte @Nullable [] subjectKey, @Nullable TokenCipher cipher, boolean migrate) {
		return new RedisTokenStore(this.redis, "test:", this.clock,
				RedisTokenStoreSettings.defaults()
					.withSubjectKey(subjectKey)
					.withMigrateUnkeyedSubjects(migrate)
					.withCipher(cipher));
	}

	private AccessToken token(String value) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofMinutes(5)))
			.scopes(Set.of("a"))
			.refreshToken("rt-" + value)
			.idToken("id-" + value)
			.build();
	}

	private String raw(String redisKey) {
		return String.valueOf(this.redis.opsForHash().get(redisKey, "t").block());
	}

	/**
	 * A source of per-user tokens that holds none of its own: a user without a stored
	 * token has to authorize again.
	 */
	private static final class NoUserTokenSource implements TokenSource {

		private int refreshes;

		@Override
		public Mono<AccessToken> obtain(TokenKey key) {
			return Mono.error(new TokenAcquisitionException(key.registrationId(), "the user has to authorize"));
		}

		@Override
		public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
			this.refreshes++;
			return Mono.error(new IllegalStateException("no refresh expected"));
		}

	}

	private List<String> keys() {
		return this.redis.keys("test:*").collectList().block();
	}

}
