package io.tokenkit.redis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

/**
 * Turns tokens into the values a {@link RedisTokenStore} writes and back: compact JSON,
 * encrypted for its Redis key with a {@link TokenCipher} when one is configured. A value
 * that cannot be decrypted or read counts as absent, with one WARN per Redis key and
 * generation ({@link LocalCopies} remembers which). Plain values written before
 * encryption was configured are read as they are while plain tokens are migrated, and
 * count as absent the same way once that is off.
 */
final class TokenCodec {

	/** The store's own log category, as before the codec was a class of its own. */
	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private static final JsonMapper json = JsonMapper.builder().build();

	private final @Nullable TokenCipher cipher;

	private final boolean migratePlainTokens;

	private final LocalCopies local;

	TokenCodec(@Nullable TokenCipher cipher, boolean migratePlainTokens, LocalCopies local) {
		this.cipher = cipher;
		this.migratePlainTokens = migratePlainTokens;
		this.local = local;
	}

	/** Whether plain values are read (and written encrypted at the next write). */
	boolean migratesPlainTokens() {
		return this.migratePlainTokens;
	}

	/** Whether a plain value read under a cipher counts as absent. */
	private boolean refusesPlain(String value) {
		return this.cipher != null && !this.migratePlainTokens && !TokenCipher.isEncrypted(value);
	}

	/** Whether values are written encrypted. */
	boolean encrypted() {
		return this.cipher != null;
	}

	static String encode(AccessToken token) {
		Map<String, Object> fields = new LinkedHashMap<>();
		fields.put("v", token.getTokenValue());
		fields.put("t", token.getTokenType());
		if (token.isRefreshedAhead()) {
			fields.put("i", token.getIssuedAtMillis());
		}
		else {
			// a token not refreshed ahead: its issue time under "ni", and its expiry
			// under "i", so that a TokenKit that knows no "ni" reads a lifetime of zero,
			// which it does not refresh ahead either
			fields.put("i", token.getExpiresAtMillis());
			fields.put("ni", token.getIssuedAtMillis());
		}
		fields.put("e", token.getExpiresAtMillis());
		fields.put("s", new ArrayList<>(token.getScopes()));
		fields.put("r", token.getRefreshToken());
		fields.put("d", token.getIdToken());
		if (token.getRefreshTokenExpiresAt() != null) {
			fields.put("re", token.getRefreshTokenExpiresAt().toEpochMilli());
		}
		if (token.getOrigin() != null) {
			fields.put("o", token.getOrigin());
		}
		if (token.getKeyThumbprint() != null) {
			// a DPoP-bound token's key; tokens written before it have none
			fields.put("k", token.getKeyThumbprint());
		}
		return json.writeValueAsString(fields);
	}

	/** Encode a token, encrypted for its Redis key when a cipher is configured. */
	String seal(AccessToken token, String redisKey) {
		String value = encode(token);
		return (this.cipher != null) ? this.cipher.encrypt(value, redisKey) : value;
	}

	/**
	 * Decode a value read from a Redis key at a generation; {@code null}, with one WARN
	 * per key and generation, if it cannot be decrypted, or is plain under a cipher while
	 * plain tokens are not migrated.
	 */
	@Nullable AccessToken open(TokenKey key, String redisKey, String value, long generation) {
		String reason;
		if (refusesPlain(value)) {
			reason = "it is not encrypted although an encryption key is configured and plain tokens are no longer "
					+ "read (tokenkit.store.migrate-plain-tokens=false): it was written before the key was, or by "
					+ "someone who does not hold the key";
		}
		else if (!TokenCipher.isEncrypted(value)) {
			return decode(value);
		}
		else if (this.cipher != null) {
			try {
				AccessToken token = decode(this.cipher.decrypt(value, redisKey));
				this.local.readable(redisKey);
				return token;
			}
			catch (TokenCipher.UndecryptableException ex) {
				reason = ex.getMessage();
			}
		}
		else {
			reason = "it is encrypted and no encryption key is configured";
		}
		if (this.local.unreadable(redisKey, generation) && logger.isWarnEnabled()) {
			logger.warn("Ignoring a token of registration '" + key.registrationId() + "' in Redis: " + reason
					+ ". It counts as absent, so a new token is acquired");
		}
		return null;
	}

	private static @Nullable AccessToken decode(String value) {
		try {
			JsonNode node = json.readTree(value);
			long expiresAt = node.get("e").longValue();
			JsonNode notRefreshedAhead = node.get("ni");
			long issuedAt = (notRefreshedAhead != null) ? notRefreshedAhead.longValue() : node.get("i").longValue();
			LinkedHashSet<String> scopes = new LinkedHashSet<>();
			node.get("s").forEach((scope) -> scopes.add(scope.asString()));
			return AccessToken.withValue(node.get("v").asString())
				.tokenType(node.get("t").asString())
				.issuedAt(Instant.ofEpochMilli(issuedAt))
				.expiresAt((expiresAt != Long.MAX_VALUE) ? Instant.ofEpochMilli(expiresAt) : null)
				.scopes(scopes)
				.refreshToken(text(node, "r"))
				.idToken(text(node, "d"))
				.refreshTokenExpiresAt(node.hasNonNull("re") ? Instant.ofEpochMilli(node.get("re").longValue()) : null)
				.origin(text(node, "o"))
				.keyThumbprint(text(node, "k"))
				.refreshedAhead(notRefreshedAhead == null)
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

	/** Whether two tokens have the same value. */
	static boolean sameValue(AccessToken a, AccessToken b) {
		return a == b || a.getTokenValue().equals(b.getTokenValue());
	}

	/** Whether two tokens have every field alike, as they are written to Redis. */
	static boolean sameContent(AccessToken a, AccessToken b) {
		return a == b || (a.equals(b) && encode(a).equals(encode(b)));
	}

	/**
	 * A stand-in for the token whose refresh token was refused, carrying only its origin
	 * as the dead mark recorded it; {@code null} when the mark recorded none (or it
	 * cannot be read), so that the mark holds.
	 */
	@Nullable AccessToken deadChain(String redisKey, String sealedOrigin) {
		if (sealedOrigin.isEmpty() || refusesPlain(sealedOrigin)) {
			// none, or not sealed by a key holder: the mark holds for every chain
			return null;
		}
		String origin = sealedOrigin;
		if (TokenCipher.isEncrypted(sealedOrigin)) {
			if (this.cipher == null) {
				return null;
			}
			try {
				origin = this.cipher.decrypt(sealedOrigin, redisKey);
			}
			catch (TokenCipher.UndecryptableException ex) {
				return null;
			}
		}
		return AccessToken.withValue("refused").origin(origin).build();
	}

	/** Seal the origin of a dead chain for its Redis key, as tokens are sealed. */
	String sealOrigin(String origin, String redisKey) {
		return (this.cipher != null) ? this.cipher.encrypt(origin, redisKey) : origin;
	}

	/**
	 * Seal a dead chain's origin, read sealed for an old Redis key, for a new one; ''
	 * when there is none or it cannot be read (the dead mark then holds for every chain).
	 */
	String reseal(String sealedOrigin, String oldKey, String redisKey) {
		AccessToken chain = deadChain(oldKey, sealedOrigin);
		String origin = (chain != null) ? chain.getOrigin() : null;
		return (origin != null) ? sealOrigin(origin, redisKey) : "";
	}

}
