package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.protocol.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Mono;

import io.tokenkit.support.Sha256;
import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.DeadTokenChainException;
import io.tokenkit.token.TokenKey;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Entries written under the key layout before hash tags
 * ({@code <prefix><registrationId>[:<subjectHash>]}), as the previous release writes
 * them, are found, served and moved once to {@code <prefix>{…}:-}, against a real
 * {@code redis-server} on loopback.
 */
class OldKeyMigrationTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final byte[] SUBJECT_KEY = "test-subject-key-0123456789abcdef".getBytes(StandardCharsets.UTF_8);

	private static final TokenKey ORDERS = TokenKey.of("orders");

	private static final TokenKey CUSTOMER = TokenKey.of("bank", "customer-42");

	private static final String GENERATION = "1790000000000";

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
	void loadWhenApplicationTokenInPreviousLayoutThenServedMovedOnceAndNotServedAgainAfterRemove() {
		AccessToken old = token("at-old", null);
		writePreviousRelease("test:orders", TokenCodec.encode(old), Map.of());
		this.redis.expire("test:orders", Duration.ofMinutes(10)).block();
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		assertThat(store.load(ORDERS).block()).isEqualTo(old);
		assertThat(keys()).containsExactly("test:{orders}:-");
		assertThat(Long.parseLong(field("test:{orders}:-", "g"))).as("the generation carries on")
			.isGreaterThanOrEqualTo(Long.parseLong(GENERATION));
		assertThat(this.redis.getExpire("test:{orders}:-").block()).isBetween(Duration.ofMinutes(9),
				Duration.ofMinutes(10));
		assertThat(store(RedisTokenStoreSettings.defaults()).load(ORDERS).block()).as("another new instance")
			.isEqualTo(old);
		store.remove(ORDERS).block();
		assertThat(store(RedisTokenStoreSettings.defaults()).load(ORDERS).block()).as("not served twice").isNull();
	}

	@Test
	void acquireWhenUserTokenInPreviousLayoutEncryptedThenOfferedToTheRefreshAndWrittenUnderTheNewKey() {
		TokenCipher cipher = new TokenCipher(new byte[TokenCipher.KEY_LENGTH], List.of());
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults()
			.withSubjectKey(SUBJECT_KEY)
			.withCipher(cipher);
		RedisTokenStore store = store(settings);
		String newKey = store.redisKey(CUSTOMER);
		String oldKey = "test:bank:" + newKey.substring("test:{bank:".length(), newKey.length() - "}:-".length());
		AccessToken old = token("at-old", "rt-old");
		writePreviousRelease(oldKey, cipher.encrypt(TokenCodec.encode(old), oldKey), Map.of());
		AccessToken[] offered = new AccessToken[1];
		AccessToken refreshed = store.acquire(CUSTOMER, (newest) -> {
			offered[0] = newest;
			return Mono.just(token("at-new", "rt-new"));
		}).block();
		assertThat(offered[0]).as("the refresh redeems the moved refresh token").isEqualTo(old);
		assertThat(keys()).containsExactly(newKey);
		assertThat(field(newKey, "t")).startsWith("gcm1:");
		assertThat(store(settings).load(CUSTOMER).block()).isEqualTo(refreshed);
	}

	@Test
	void acquireWhenDeadMarkInPreviousLayoutThenStillDead() {
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		String newKey = store.redisKey(CUSTOMER);
		String oldKey = "test:bank:" + Sha256.hex("customer-42");
		writePreviousRelease(oldKey, "", Map.of("x", "1"));
		assertThatExceptionOfType(DeadTokenChainException.class)
			.isThrownBy(() -> store.acquire(CUSTOMER, (newest) -> Mono.just(token("at-new", "rt-new"))).block());
		assertThat(keys()).containsExactly(newKey);
		assertThat(field(newKey, "x")).isEqualTo("1");
	}

	@Test
	void acquireWhenDeadMarkWithOriginInPreviousLayoutAndAnotherRefreshTokenConfiguredThenPassedOver() {
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		String oldKey = "test:bank:" + Sha256.hex("customer-42");
		writePreviousRelease(oldKey, "", Map.of("x", "1", "f", "configured:v1"));
		AccessToken acquired = store
			.acquire(CUSTOMER, false, (chain) -> !"configured:v1".equals(chain.getOrigin()),
					(newest) -> Mono.just(token("at-new", "rt-new")))
			.block();
		assertThat(acquired.getTokenValue()).isEqualTo("at-new");
		assertThat(field(store.redisKey(CUSTOMER), "x")).as("the write clears the mark").isEqualTo("null");
	}

	@Test
	void acquireWhenAnOldInstanceHoldsTheOldNamesLeaseThenNotMovedUntilItsWriteAndTheNewestIsMoved() {
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		String deadline = Long.toString(System.currentTimeMillis() + 60_000);
		writePreviousRelease("test:orders", TokenCodec.encode(token("at-old", "rt-old")),
				Map.of("o", "old-instance", "u", deadline));
		assertThat(store.load(ORDERS).block().getTokenValue()).as("served meanwhile").isEqualTo("at-old");
		assertThat(keys()).containsExactly("test:orders");
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> store.acquire(ORDERS, (newest) -> Mono.just(token("at-new", "rt-new")))
				.block(Duration.ofMillis(300)));
		assertThat(field("test:orders", "o")).isEqualTo("old-instance");
		assertThat(field("test:{orders}:-", "g")).as("not moved while the old instance refreshes").isEqualTo("null");
		// the old instance commits its rotated refresh token and releases its lease
		this.redis.opsForHash()
			.putAll("test:orders",
					Map.of("t", TokenCodec.encode(token("at-rotated", "rt-rotated")), "g",
							Long.toString(Long.parseLong(GENERATION) + 1)))
			.block();
		this.redis.opsForHash().remove("test:orders", "o", "u").block();
		AccessToken[] offered = new AccessToken[1];
		store.acquire(ORDERS, (newest) -> {
			offered[0] = newest;
			return Mono.just(token("at-new", "rt-new"));
		}).block();
		assertThat(offered[0].getRefreshToken()).as("the newest refresh token is moved").isEqualTo("rt-rotated");
		assertThat(keys()).containsExactly("test:{orders}:-");
	}

	@Test
	void moveWhenTheOldNameIsWrittenBetweenCopyAndDeleteThenThatWriteStays() {
		writePreviousRelease("test:orders", TokenCodec.encode(token("at-old", "rt-old")), Map.of());
		List<?> copied = this.redis.execute(StoreScripts.COPY, List.of("test:orders")).next().block();
		assertThat(copied.get(1)).isEqualTo(GENERATION);
		this.redis.opsForHash()
			.putAll("test:orders",
					Map.of("t", TokenCodec.encode(token("at-rotated", "rt-rotated")), "g",
							Long.toString(Long.parseLong(GENERATION) + 1)))
			.block();
		Long deleted = this.redis
			.execute(StoreScripts.DELETE_IF_UNCHANGED, List.of("test:orders"), List.of(String.valueOf(copied.get(1))))
			.next()
			.block();
		assertThat(deleted).isZero();
		assertThat(field("test:orders", "t")).contains("at-rotated");
		assertThat(this.redis
			.execute(StoreScripts.DELETE_IF_UNCHANGED, List.of("test:orders"),
					List.of(Long.toString(Long.parseLong(GENERATION) + 1)))
			.next()
			.block()).isEqualTo(1);
	}

	@Test
	void loadWhenBothLayoutsHoldTheKeyThenTheNewOneWins() {
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		store.save(ORDERS, token("at-new", null)).block();
		// an instance of the previous release writes its own key meanwhile
		writePreviousRelease("test:orders", TokenCodec.encode(token("at-old", null)), Map.of());
		assertThat(store(RedisTokenStoreSettings.defaults()).load(ORDERS).block().getTokenValue()).isEqualTo("at-new");
		store.save(ORDERS, token("at-newer", null)).block();
		assertThat(keys()).as("a save deletes the previous layout's key").containsExactly("test:{orders}:-");
	}

	@Test
	void loadWhenUnkeyedSubjectInPreviousLayoutAndMigrationOnThenMovedToTheSubjectKeyForm() {
		RedisTokenStoreSettings settings = RedisTokenStoreSettings.defaults()
			.withSubjectKey(SUBJECT_KEY)
			.withMigrateUnkeyedSubjects(true);
		AccessToken old = token("at-old", "rt-old");
		writePreviousRelease("test:bank:" + Sha256.hex("customer-42"), TokenCodec.encode(old), Map.of());
		RedisTokenStore store = store(settings);
		assertThat(store.load(CUSTOMER).block()).isEqualTo(old);
		assertThat(keys()).containsExactly(store.redisKey(CUSTOMER));
	}

	@Test
	void saveRemoveAndLoadWhenRegistrationIdIsTheTagOfAnotherThenTheOthersEntryStays() {
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		AccessToken orders = token("at-orders", null);
		store.save(ORDERS, orders).block();
		TokenKey lookalike = TokenKey.of("{orders}:-");
		assertThat(store.load(lookalike).block()).isNull();
		store.save(lookalike, token("at-lookalike", null)).block();
		store.remove(lookalike).block();
		assertThat(store(RedisTokenStoreSettings.defaults()).load(ORDERS).block()).isEqualTo(orders);
		assertThat(field("test:{orders}:-", "t")).isNotEqualTo("null");
	}

	@Test
	void acquireWhenAnotherInstanceHoldsTheLeaseThenTheWaiterDoesNotMoveAndTheHolderDoes() {
		AccessToken old = token("at-old", null);
		writePreviousRelease("test:orders", TokenCodec.encode(old), Map.of());
		this.redis.opsForHash()
			.putAll("test:{orders}:-",
					Map.of("o", "other-instance", "u", Long.toString(System.currentTimeMillis() + 60_000)))
			.block();
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults());
		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> store.acquire(ORDERS, (newest) -> Mono.just(token("at-new", null)))
				.block(Duration.ofMillis(300)));
		assertThat(keys()).as("a waiter leaves the old name to the lease holder")
			.containsExactlyInAnyOrder("test:orders", "test:{orders}:-");
		assertThat(field("test:{orders}:-", "g")).isEqualTo("null");
		this.redis.opsForHash().remove("test:{orders}:-", "o", "u").block();
		AccessToken[] offered = new AccessToken[1];
		store.acquire(ORDERS, (newest) -> {
			offered[0] = newest;
			return Mono.just(token("at-new", null));
		}).block();
		assertThat(offered[0]).as("the holder moves it").isEqualTo(old);
		assertThat(keys()).containsExactly("test:{orders}:-");
	}

	@Test
	void saveWhenTheDeleteOfTheOldNameFailsThenTheSaveStillSucceeds() {
		try (RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", redisServer.port()))) {
			var commands = client.connect().sync();
			commands.aclSetuser("nodel",
					AclSetuserArgs.Builder.on()
						.addPassword("nodel-password")
						.allKeys()
						.allChannels()
						.allCommands()
						.removeCommand(CommandType.DEL));
			try {
				RedisStandaloneConfiguration configuration = new RedisStandaloneConfiguration("127.0.0.1",
						redisServer.port());
				configuration.setUsername("nodel");
				configuration.setPassword("nodel-password");
				LettuceConnectionFactory factory = new LettuceConnectionFactory(configuration);
				factory.afterPropertiesSet();
				factory.start();
				try {
					writePreviousRelease("test:orders", TokenCodec.encode(token("at-old", null)), Map.of());
					RedisTokenStore store = new RedisTokenStore(new ReactiveStringRedisTemplate(factory), "test:",
							this.clock, RedisTokenStoreSettings.defaults());
					store.save(ORDERS, token("at-new", null)).block();
					assertThat(store(RedisTokenStoreSettings.defaults()).load(ORDERS).block().getTokenValue())
						.isEqualTo("at-new");
					assertThat(keys()).as("the old name is left to the next save")
						.containsExactlyInAnyOrder("test:orders", "test:{orders}:-");
				}
				finally {
					factory.destroy();
				}
			}
			finally {
				commands.aclDeluser("nodel");
			}
		}
	}

	@Test
	void loadAndSaveWhenMigrationOfOldKeysOffThenTheOldNameIsNeitherReadNorDeleted() {
		writePreviousRelease("test:orders", TokenCodec.encode(token("at-old", null)), Map.of());
		RedisTokenStore store = store(RedisTokenStoreSettings.defaults().withMigrateOldKeys(false));
		assertThat(store.load(ORDERS).block()).isNull();
		store.save(ORDERS, token("at-new", null)).block();
		assertThat(keys()).containsExactlyInAnyOrder("test:orders", "test:{orders}:-");
	}

	private void writePreviousRelease(String key, String payload, Map<String, String> fields) {
		Map<String, String> hash = new HashMap<>(fields);
		hash.put("g", GENERATION);
		if (!payload.isEmpty()) {
			hash.put("t", payload);
		}
		this.redis.opsForHash().putAll(key, hash).block();
	}

	private RedisTokenStore store(RedisTokenStoreSettings settings) {
		return new RedisTokenStore(this.redis, "test:", this.clock, settings);
	}

	private String field(String key, String field) {
		return String.valueOf(this.redis.opsForHash().get(key, field).block());
	}

	private List<String> keys() {
		return this.redis.keys("test:*").collectList().block();
	}

	private AccessToken token(String value, String refreshToken) {
		return AccessToken.withValue(value)
			.issuedAt(Instant.now(this.clock))
			.expiresAt(Instant.now(this.clock).plus(Duration.ofMinutes(5)))
			.refreshToken(refreshToken)
			.build();
	}

}
