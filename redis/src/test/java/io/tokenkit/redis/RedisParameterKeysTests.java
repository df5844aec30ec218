package io.tokenkit.redis;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.tokenkit.testsupport.MutableClock;
import io.tokenkit.testsupport.RedisServer;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenParameters;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Keys with per-call {@link TokenParameters} in the Redis store, against a real
 * {@code redis-server}: each parameter set is a Redis key of its own under the subject's
 * hash tag, listed in the subject's set of segments, and
 * {@link RedisTokenStore#removeAll} removes them all, on every instance.
 */
class RedisParameterKeysTests {

	@RegisterExtension
	static final RedisServer redisServer = new RedisServer();

	private static final TokenKey ALICE = TokenKey.of("bank", "alice");

	private static final TokenParameters READ = TokenParameters.scopes("accounts.read");

	private static final TokenParameters WRITE = TokenParameters.scopes("payments", "accounts.read");

	private final MutableClock clock = MutableClock.at("2026-12-07T10:00:00Z");

	private LocalRedisTemplate local;

	private ReactiveStringRedisTemplate redis;

	private RedisTokenStore one;

	private RedisTokenStore other;

	@BeforeEach
	void connect() {
		this.local = LocalRedisTemplate.flushed(redisServer);
		this.redis = this.local.template();
		this.one = new RedisTokenStore(this.redis, "test:", this.clock);
		this.other = new RedisTokenStore(this.redis, "test:", this.clock);
	}

	@AfterEach
	void disconnect() {
		this.one.close();
		this.other.close();
		this.local.close();
	}

	@Test
	void saveWhenParametersThenAKeyOfItsOwnFoundWhateverTheOrderAndListedInTheSubjectsSet() {
		AccessToken defaults = token("at-defaults");
		AccessToken read = token("at-read");
		this.one.save(ALICE, defaults).block();
		this.one.save(ALICE.withParameters(READ), read).block();
		TokenKey reordered = ALICE
			.withParameters(TokenParameters.builder().scopes(List.of("accounts.read", "accounts.read")).build());
		assertThat(this.other.load(reordered).block()).isEqualTo(read);
		assertThat(this.other.load(ALICE).block()).isEqualTo(defaults);
		assertThat(this.other.load(ALICE.withParameters(WRITE)).blockOptional()).isEmpty();
		String redisKey = this.one.redisKey(ALICE.withParameters(READ));
		String segment = redisKey.substring(redisKey.lastIndexOf(':') + 1);
		String sets = redisKey.substring(0, redisKey.lastIndexOf(':') + 1) + "parameters";
		assertThat(this.redis.opsForSet().members(sets).collectList().block()).containsExactly(segment);
		assertThat(this.redis.getExpire(sets).block()).as("lives as long as its keys")
			.isGreaterThan(Duration.ofDays(29));
	}

	@Test
	void removeAllWhenASubjectHasSeveralParameterSetsThenAllGoOnEveryInstanceAndOthersStay() {
		TokenKey bob = TokenKey.of("bank", "bob").withParameters(READ);
		this.one.save(ALICE, token("at-defaults")).block();
		this.one.save(ALICE.withParameters(READ), token("at-read")).block();
		this.other.save(ALICE.withParameters(WRITE), token("at-write")).block();
		this.one.save(bob, token("at-bob")).block();
		for (TokenKey key : List.of(ALICE, ALICE.withParameters(READ), ALICE.withParameters(WRITE))) {
			assertThat(this.other.load(key).block()).isNotNull();
		}
		this.one.removeAll("bank", "alice").blockLast();
		RedisTokenStore fresh = new RedisTokenStore(this.redis, "test:", this.clock);
		try {
			for (TokenKey key : List.of(ALICE, ALICE.withParameters(READ), ALICE.withParameters(WRITE))) {
				assertThat(fresh.load(key).blockOptional()).as(key.toString()).isEmpty();
				assertThat(this.one.get(key)).isNull();
				await().atMost(Duration.ofSeconds(2)).until(() -> this.other.get(key) == null);
			}
			assertThat(fresh.load(bob).block().getTokenValue()).isEqualTo("at-bob");
			String sets = this.one.redisKey(ALICE).replaceAll("-$", "parameters");
			assertThat(this.redis.opsForSet().size(sets).block()).isZero();
		}
		finally {
			fresh.close();
		}
	}

	private AccessToken token(String value) {
		return AccessToken.withValue(value)
			.issuedAt(this.clock.instant())
			.expiresAt(this.clock.instant().plus(Duration.ofMinutes(5)))
			.scopes(Set.of("accounts.read"))
			.refreshToken("rt-" + value)
			.build();
	}

}
