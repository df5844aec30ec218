package io.tokenkit.redis;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.testsupport.RedisServer;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static io.tokenkit.redis.TestCiphers.bytes;
import static io.tokenkit.redis.TestCiphers.cipher;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kept one-time values (a PKCE code verifier) encrypted at rest, against a real
 * {@code redis-server} on loopback, each store on its own connection as two instances of
 * an application would be.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOneTimeValueStoreAtRestTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final byte[] KEY_A = bytes('A');

	private static final byte[] KEY_B = bytes('B');

	private static final String NAMESPACE = "gmo-aozora-pkce";

	private static final String STATE = "state-1";

	private static final String VERIFIER = "verifier-dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

	private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

	private LocalRedisTemplate first;

	private LocalRedisTemplate second;

	@BeforeEach
	void connect() {
		this.first = LocalRedisTemplate.flushed(redisServer);
		this.second = LocalRedisTemplate.flushed(redisServer);
	}

	@AfterEach
	void disconnect() {
		this.first.close();
		this.second.close();
	}

	@Test
	void keepWhenEncryptedThenRedisHoldsNoVerifierAndAnotherInstanceTakesItOnce() {
		RedisOneTimeValueStore keeping = store(this.first, cipher(KEY_A));
		keeping.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		String raw = raw(keeping);
		assertThat(raw).startsWith("gcm1:").doesNotContain(VERIFIER).doesNotContain(VERIFIER.substring(9, 30));
		RedisOneTimeValueStore taking = store(this.second, cipher(KEY_A));
		assertThat(taking.take(NAMESPACE, STATE).block()).isEqualTo(VERIFIER);
		assertThat(taking.take(NAMESPACE, STATE).block()).isNull();
	}

	@Test
	void keepWhenEncryptedTwiceThenFreshIvEachTime() {
		RedisOneTimeValueStore store = store(this.first, cipher(KEY_A));
		store.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		String once = raw(store);
		store.take(NAMESPACE, STATE).block();
		store.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		assertThat(raw(store)).isNotEqualTo(once);
	}

	@Test
	void takeWhenKeptUnderPreviousKeyThenReadable() {
		store(this.first, cipher(KEY_A)).keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		RedisOneTimeValueStore rotated = store(this.second, new TokenCipher(KEY_B, List.of(KEY_A)));
		assertThat(rotated.take(NAMESPACE, STATE).block()).isEqualTo(VERIFIER);
	}

	@Test
	void takeWhenWrongKeyThenAbsentWithWarningThatNamesNoValue(CapturedOutput output) {
		RedisOneTimeValueStore keeping = store(this.first, cipher(KEY_A));
		keeping.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		String raw = raw(keeping);
		RedisOneTimeValueStore other = store(this.second, cipher(KEY_B));
		assertThat(other.take(NAMESPACE, STATE).block()).isNull();
		assertThat(keeping.take(NAMESPACE, STATE).block()).as("used up by the failed take").isNull();
		assertThat(output)
			.contains("Ignoring a one-time value of namespace '" + NAMESPACE + "'",
					"neither the encryption key nor one of the previous keys", "counts as absent")
			.doesNotContain(VERIFIER)
			.doesNotContain(raw);
	}

	@Test
	void takeWhenCiphertextCopiedToAnotherKeyThenAbsent(CapturedOutput output) {
		RedisOneTimeValueStore store = store(this.first, cipher(KEY_A));
		store.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		this.first.template().opsForValue().set(store.redisKey(NAMESPACE, "state-2"), raw(store)).block();
		assertThat(store.take(NAMESPACE, "state-2").block()).isNull();
		assertThat(output).contains("copied from another Redis key").doesNotContain(VERIFIER);
		assertThat(store.take(NAMESPACE, STATE).block()).as("the original is untouched").isEqualTo(VERIFIER);
	}

	@Test
	void takeWhenAPlainValueIsPlantedUnderAnEncryptedOneThenAbsent(CapturedOutput output) {
		RedisOneTimeValueStore store = store(this.first, cipher(KEY_A));
		store.keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		// someone who can write to Redis, but holds no key, puts a verifier of their own
		String planted = "planted-verifier-0123456789";
		this.first.template().opsForValue().set(store.redisKey(NAMESPACE, STATE), planted).block();
		assertThat(store.take(NAMESPACE, STATE).block()).isNull();
		assertThat(output).contains("Ignoring a one-time value of namespace '" + NAMESPACE + "'", "not encrypted")
			.doesNotContain(planted);
	}

	@Test
	void takeWhenKeptPlainBeforeEncryptionThenAbsent() {
		store(this.first, null).keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		assertThat(store(this.second, cipher(KEY_A)).take(NAMESPACE, STATE).block()).isNull();
	}

	@Test
	void takeWhenEncryptedAndNoKeyConfiguredThenAbsent(CapturedOutput output) {
		store(this.first, cipher(KEY_A)).keep(NAMESPACE, STATE, VERIFIER, TEN_MINUTES).block();
		assertThat(store(this.second, null).take(NAMESPACE, STATE).block()).isNull();
		assertThat(output).contains("no encryption key is configured").doesNotContain(VERIFIER);
	}

	@Test
	void toStringThenSaysEncryptedAndNoKey() {
		assertThat(store(this.first, cipher(KEY_A)).toString()).contains("encrypted=true");
		assertThat(store(this.first, null).toString()).contains("encrypted=false");
	}

	private static RedisOneTimeValueStore store(LocalRedisTemplate redis, @Nullable TokenCipher cipher) {
		return new RedisOneTimeValueStore(redis.template(), "test:", Duration.ofSeconds(2), (operation) -> {
		}, cipher);
	}

	private String raw(RedisOneTimeValueStore store) {
		return this.first.template().opsForValue().get(store.redisKey(NAMESPACE, STATE)).block();
	}

}
