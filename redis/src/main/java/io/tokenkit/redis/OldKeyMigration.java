package io.tokenkit.redis;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;

import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * Moves the entries of a {@link RedisTokenStore} written under older key names to their
 * {@link StoreKeys current name}, so that a deployment that upgrades keeps its users'
 * tokens and refresh tokens (a user's refresh token cannot be obtained again without the
 * user). The older names, tried in this order:
 * <ol>
 * <li>the layout before hash tags, {@code <prefix><registrationId>:<subjectHash>} or
 * {@code <prefix><registrationId>};</li>
 * <li>with a subject key and {@code migrate-unkeyed-subjects} on, the names a subject had
 * before the subject key (the plain SHA-256 of the subject), in the current layout, then
 * in the previous one.</li>
 * </ol>
 * A key found without a generation is looked up under the older names; the first that
 * holds one is moved: its token (decrypted under its old name, encrypted under the new),
 * generation, dead mark (with the dead chain's origin) and lease are written to the new
 * key only if that still has no generation (one script on one key), then the old key is
 * deleted if unchanged. The move takes three commands, each on one key, so that it works
 * in Redis Cluster where the two names lie in different slots; a crash in between leaves
 * at worst a stale old key, which a save or remove deletes. Saving or removing a key
 * deletes its older names too, so that a removed token never comes back from one of them.
 * <p>
 * <strong>Rolling upgrade.</strong> While instances of the release before hash tags run
 * beside this one, each release reads and writes its own names. Only the holder of the
 * new key's lease moves an entry, and only while the old name holds no live lease (an
 * older instance refreshing under it): until then the holder waits as for a lease not
 * granted, and a load serves the old entry without moving it. The old name is deleted
 * only if its generation is still the one copied, so a write that came in between stays.
 * After the move the older instances no longer find the key (an application token is
 * acquired again there and written under the old name, which this release no longer
 * reads; a user's token there needs a save or a new authorization). An older instance
 * that takes the old name's lease between the copy and the delete refreshes unseen by
 * this release: keep the window short, or upgrade every instance at once.
 * <p>
 * This class is all there is of the migration: deleting it and its two calls in
 * {@link RedisTokenStore} ends it.
 */
final class OldKeyMigration {

	/** The store's own log category, as before the migration was a class of its own. */
	private static final Log logger = LogFactory.getLog(RedisTokenStore.class);

	private final ReactiveStringRedisTemplate redis;

	private final StoreKeys keys;

	private final boolean migrateUnkeyedSubjects;

	private final boolean migrateOldKeys;

	private final RedisBypass bypass;

	private final TokenCodec codec;

	OldKeyMigration(ReactiveStringRedisTemplate redis, StoreKeys keys, boolean migrateUnkeyedSubjects,
			boolean migrateOldKeys, RedisBypass bypass, TokenCodec codec) {
		this.redis = redis;
		this.keys = keys;
		this.migrateUnkeyedSubjects = migrateUnkeyedSubjects && keys.keyed();
		this.migrateOldKeys = migrateOldKeys;
		this.bypass = bypass;
		this.codec = codec;
	}

	/**
	 * The older names of a key, in the order they are tried. The plain SHA-256 of a
	 * subject, which anyone can compute from a candidate user id, goes on the wire only
	 * while an operator migrates. With the migration of old key names off, only the
	 * current layout's unkeyed name is left.
	 */
	List<String> oldKeys(TokenKey key) {
		List<String> names = new ArrayList<>(3);
		String previous = this.migrateOldKeys ? this.keys.previousLayoutKey(key) : null;
		if (previous != null) {
			names.add(previous);
		}
		if (this.migrateUnkeyedSubjects && key.subject() != null) {
			List<String> unkeyed = this.keys.unkeyedKeys(key);
			names.addAll(this.migrateOldKeys ? unkeyed : unkeyed.subList(0, 1));
		}
		return names;
	}

	/**
	 * A key was found without a generation: move its entry from the first older name that
	 * holds one, writing the new key first and then deleting the old one. Answers what
	 * the new key holds.
	 */
	Mono<Moved> move(TokenKey key, String redisKey) {
		return move(key, redisKey, oldKeys(key), 0);
	}

	private Mono<Moved> move(TokenKey key, String redisKey, List<String> oldKeys, int index) {
		if (index == oldKeys.size()) {
			return Mono.just(Moved.NONE);
		}
		String oldKey = oldKeys.get(index);
		return this.bypass.call("read", this.redis.execute(StoreScripts.COPY, List.of(oldKey)).next())
			.flatMap((values) -> {
				Stored old = Stored.of(values);
				if (old.generation() == 0) {
					return move(key, redisKey, oldKeys, index + 1);
				}
				String payload = "";
				if (!old.payload().isEmpty()) {
					AccessToken token = this.codec.open(key, oldKey, old.payload(), old.generation());
					if (token == null) {
						return Mono.just(Moved.NONE);
					}
					payload = this.codec.seal(token, redisKey);
				}
				String origin = this.codec.reseal(String.valueOf(values.get(4)), oldKey, redisKey);
				if ("1".equals(String.valueOf(values.get(7)))) {
					// an instance of the release before is acquiring under the old name:
					// its write is awaited, and the entry is only read meanwhile
					return Mono.just(new Moved(new Stored(payload, old.generation(), old.dead()), origin, true));
				}
				List<String> arguments = List.of(payload, Long.toString(old.generation()), old.dead() ? "1" : "",
						String.valueOf(values.get(3)), origin, String.valueOf(values.get(5)),
						String.valueOf(values.get(6)));
				return this.bypass
					.call("write", this.redis.execute(StoreScripts.MOVE, List.of(redisKey), arguments).next())
					.map(Moved::of)
					.flatMap(
							(moved) -> this.bypass
								.call("remove",
										this.redis
											.execute(StoreScripts.DELETE_IF_UNCHANGED, List.of(oldKey),
													List.of(String.valueOf(values.get(1))))
											.next())
								.doOnNext((deleted) -> {
									if (logger.isDebugEnabled()) {
										logger.debug("Moved a token of registration '" + key.registrationId()
												+ "' in Redis to its current key name");
									}
								})
								.thenReturn(moved));
			});
	}

	/**
	 * What a move leaves in the new key: its entry and its dead chain's sealed origin (''
	 * for none); or, when {@code busy}, the old name's entry as it stands, not moved
	 * because an instance holds the old name's lease.
	 */
	record Moved(Stored stored, String deadOrigin, boolean busy) {

		static final Moved NONE = new Moved(Stored.NONE, "", false);

		static Moved of(List<?> values) {
			return new Moved(Stored.of(values), String.valueOf(values.get(3)), false);
		}

	}

	/**
	 * Delete the older names of a key, one command each (they may lie in other slots).
	 * Best effort: the key's own write has succeeded, so a failed delete is logged and
	 * left to the next save or remove (or the old name's expiry).
	 */
	Mono<Void> deleteOldKeys(TokenKey key) {
		return Flux.defer(() -> Flux.fromIterable(oldKeys(key)))
			.concatMap((oldKey) -> this.bypass.call("remove", this.redis.delete(oldKey)))
			.then()
			.onErrorResume(RedisBypass.RedisFailure.class, (ex) -> {
				if (logger.isWarnEnabled()) {
					logger.warn("Could not delete an older Redis key name of a token of registration '"
							+ key.registrationId() + "'; the next save or remove of the token deletes it");
				}
				return Mono.empty();
			});
	}

}
