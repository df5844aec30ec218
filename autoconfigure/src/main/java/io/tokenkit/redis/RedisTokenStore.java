package io.tokenkit.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenStore;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.Assert;

/**
 * A {@link TokenStore} that shares tokens between the instances of an application through
 * Redis, with a local copy in front so that {@link #get(TokenKey)} stays free of I/O.
 * <ul>
 * <li>{@link #get} answers from the local copy only; {@link #load} reads Redis and
 * refreshes the local copy, so an instance picks up a token another instance acquired
 * before calling the token endpoint itself.</li>
 * <li>{@link #save} writes Redis with a time to live that ends when the token
 * expires.</li>
 * <li>{@link #replace} is a compare-and-set run as one Lua script, so a token another
 * instance stored meanwhile is never overwritten.</li>
 * </ul>
 * Keys are {@code <prefix><registration>} for application tokens and
 * {@code <prefix><registration>:<sha256 of
 * subject>} for per-user tokens: no subject appears in a Redis key. Token values are
 * stored as they are; protect the Redis server as you would any secret store (ACLs, TLS).
 * When Redis cannot be reached, each instance goes on with its local copy and says so in
 * a warning. Single-flight acquisition holds within one instance; two instances may each
 * acquire a token when both miss at once.
 */
public final class RedisTokenStore implements TokenStore {

	/** The default key prefix. */
	public static final String DEFAULT_KEY_PREFIX = "tokenkit:";

	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final RedisScript<Long> COMPARE_AND_SET = RedisScript.of(
			"""
					if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
					if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 1 end
					if ARGV[3] == '0' then redis.call('SET', KEYS[1], ARGV[2]) else redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) end
					return 1""",
			Long.class);

	private final ReactiveStringRedisTemplate redis;

	private final String keyPrefix;

	private final Clock clock;

	private final ConcurrentHashMap<TokenKey, AccessToken> local = new ConcurrentHashMap<>();

	/**
	 * Create a store.
	 * @param redis the Redis template
	 * @param keyPrefix the prefix of every key
	 * @param clock the clock that sets time to live
	 */
	public RedisTokenStore(ReactiveStringRedisTemplate redis, String keyPrefix, Clock clock) {
		Assert.notNull(redis, "redis must not be null");
		Assert.notNull(keyPrefix, "keyPrefix must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.clock = clock;
	}

	@Override
	public @Nullable AccessToken get(TokenKey key) {
		return this.local.get(key);
	}

	@Override
	public Mono<AccessToken> load(TokenKey key) {
		return this.redis.opsForValue()
			.get(redisKey(key))
			.mapNotNull(this::decode)
			.doOnNext((token) -> this.local.put(key, token))
			.switchIfEmpty(Mono.fromRunnable(() -> this.local.remove(key)))
			.onErrorResume((ex) -> {
				unavailable("read", ex);
				return Mono.justOrEmpty(this.local.get(key));
			});
	}

	@Override
	public Mono<Void> save(TokenKey key, AccessToken token) {
		this.local.put(key, token);
		long ttl = ttlMillis(token);
		Mono<Boolean> write = (ttl > 0)
				? this.redis.opsForValue().set(redisKey(key), encode(token), Duration.ofMillis(ttl))
				: this.redis.opsForValue().set(redisKey(key), encode(token));
		return write.then().onErrorResume((ex) -> {
			unavailable("write", ex);
			return Mono.empty();
		});
	}

	@Override
	public Mono<Boolean> replace(TokenKey key, AccessToken expected, @Nullable AccessToken replacement) {
		String next = (replacement != null) ? encode(replacement) : "";
		String ttl = (replacement != null) ? Long.toString(Math.max(ttlMillis(replacement), 0)) : "0";
		return this.redis.execute(COMPARE_AND_SET, List.of(redisKey(key)), List.of(encode(expected), next, ttl))
			.next()
			.map((result) -> result == 1L)
			.onErrorResume((ex) -> {
				unavailable("compare-and-set", ex);
				return Mono.just((replacement != null) ? this.local.replace(key, expected, replacement)
						: this.local.remove(key, expected));
			})
			.doOnNext((changed) -> {
				if (changed) {
					if (replacement != null) {
						this.local.put(key, replacement);
					}
					else {
						this.local.remove(key, expected);
					}
				}
				else {
					this.local.remove(key, expected);
				}
			});
	}

	@Override
	public Mono<Void> remove(TokenKey key) {
		this.local.remove(key);
		return this.redis.delete(redisKey(key)).then().onErrorResume((ex) -> {
			unavailable("delete", ex);
			return Mono.empty();
		});
	}

	/**
	 * Redis being down must not stop token acquisition: this instance goes on with its
	 * local copy.
	 */
	private void unavailable(String operation, Throwable ex) {
		if (logger.isWarnEnabled()) {
			logger.warn("Redis " + operation + " failed (" + ex.getClass().getSimpleName()
					+ "); this instance goes on with its local copy of the token");
		}
	}

	/**
	 * Return the Redis key of a token key.
	 * @param key the token key
	 * @return the Redis key, with the subject hashed
	 */
	public String redisKey(TokenKey key) {
		String subject = key.subject();
		return (subject != null) ? this.keyPrefix + key.registrationId() + ":" + sha256(subject)
				: this.keyPrefix + key.registrationId();
	}

	private long ttlMillis(AccessToken token) {
		if (token.getExpiresAt() == null) {
			return 0;
		}
		// An expired token that still carries a refresh token is kept a while for the
		// next refresh.
		long remaining = token.getExpiresAtMillis() - this.clock.millis();
		return (remaining > 0) ? remaining : (token.getRefreshToken() != null) ? Duration.ofDays(1).toMillis() : 1;
	}

	static String encode(AccessToken token) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("v", token.getTokenValue());
		fields.put("t", token.getTokenType());
		fields.put("i", token.getIssuedAtMillis());
		fields.put("e", token.getExpiresAtMillis());
		fields.put("s", new ArrayList<>(token.getScopes()));
		fields.put("r", token.getRefreshToken());
		fields.put("d", token.getIdToken());
		return json.writeValueAsString(fields);
	}

	private @Nullable AccessToken decode(String value) {
		try {
			JsonNode node = json.readTree(value);
			long expiresAt = node.get("e").longValue();
			LinkedHashSet<String> scopes = new LinkedHashSet<>();
			node.get("s").forEach((scope) -> scopes.add(scope.asString()));
			return AccessToken.withValue(node.get("v").asString())
				.tokenType(node.get("t").asString())
				.issuedAt(java.time.Instant.ofEpochMilli(node.get("i").longValue()))
				.expiresAt((expiresAt != Long.MAX_VALUE) ? java.time.Instant.ofEpochMilli(expiresAt) : null)
				.scopes(scopes)
				.refreshToken(text(node, "r"))
				.idToken(text(node, "d"))
				.build();
		}
		catch (RuntimeException ex) {
			logger.warn("Ignoring a token in Redis that could not be read (" + ex.getClass().getSimpleName() + ")");
			return null;
		}
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && !value.isNull()) ? value.asString() : null;
	}

	private static String sha256(String value) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
