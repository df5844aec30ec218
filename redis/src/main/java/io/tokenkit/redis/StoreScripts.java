package io.tokenkit.redis;

import java.util.List;

import org.springframework.data.redis.core.script.RedisScript;

/**
 * The Lua scripts of the {@link RedisTokenStore}, each on one key (a hash with the fields
 * {@code t} token, {@code g} generation, {@code x} dead mark, {@code f} origin of the
 * dead chain ({@link io.tokenkit.token.AccessToken#getOrigin()}, sealed as tokens are),
 * {@code o} lease owner, {@code u} lease deadline).
 * <p>
 * A key's generation never repeats across its lives: a key can vanish (the TTL of a token
 * without refresh token, a tombstone's TTL, an eviction) and be written again, and a
 * generation that started again at 1 would let an instance's copy from the key's last
 * life pass as the newest. So every write gives the key one more than its generation or
 * Redis's {@code TIME} in milliseconds, whichever is higher: generations track time, and
 * a generation of a new life could repeat one of an earlier life only if that life had
 * held more than one write per millisecond for its whole length (a copy is then still
 * compared by its content). The writer's floor (one more than the generation of its own
 * copy) is the lowest a write gives, should Redis's clock have stepped back.
 * <p>
 * Generations are written as integer text. Milliseconds, not microseconds: the previous
 * release's scripts write {@code tostring(g)}, which Lua prints with 14 significant
 * digits, and a time in milliseconds (13 digits) still prints exactly there, so that an
 * instance of that release that writes during a rolling upgrade leaves a generation both
 * releases read. A generation the store cannot read as a number counts as none.
 */
final class StoreScripts {

	/** Redis's time in milliseconds, inside a script. */
	private static final String NOW = "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) ";

	/**
	 * The lowest generation a write gives: Redis's time in milliseconds, or the floor if
	 * higher; and integer text of a generation.
	 */
	private static final String GENERATIONS = """
			local function first(floor)
			  local tm = redis.call('TIME')
			  local g = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000)
			  if floor and floor > g then return floor end
			  return g
			end
			local function text(g) return string.format('%.0f', g) end
			""";

	/**
	 * ARGV: owner, lease millis, generation of a dead mark to pass over ('' for none: a
	 * dead mark refuses the lease). Answers granted, token, generation, dead, dead
	 * chain's origin. A key created here holds only the lease, no generation: its first
	 * write gives it one, and a move from the key's old form still finds it empty.
	 */
	static final RedisScript<List> LEASE = RedisScript.of(
			NOW + """
					local v = redis.call('HMGET', KEYS[1], 'o', 'u', 't', 'g', 'x', 'f')
					local over = ARGV[3] and ARGV[3] ~= '' and tonumber(ARGV[3])
					local dead = v[5] == '1' and tonumber(v[4] or '0') ~= over
					if dead or (v[1] and v[1] ~= ARGV[1] and tonumber(v[2]) > now) then
					  return {'0', v[3] or '', v[4] or '0', v[5] or '', v[6] or ''}
					end
					redis.call('HSET', KEYS[1], 'o', ARGV[1], 'u', tostring(now + tonumber(ARGV[2])))
					if not v[3] and redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
					return {'1', v[3] or '', v[4] or '0', v[5] or '', v[6] or ''}""",
			List.class);

	/** ARGV: owner, lease millis. */
	static final RedisScript<Long> RENEW = RedisScript.of(NOW + """
			if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return 0 end
			redis.call('HSET', KEYS[1], 'u', tostring(now + tonumber(ARGV[2])))
			if redis.call('HEXISTS', KEYS[1], 't') == 0 and redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then
			  redis.call('PEXPIRE', KEYS[1], ARGV[2])
			end
			return 1""", Long.class);

	/**
	 * ARGV: owner, channel. Announces the release (kind {@code L}, with the key's
	 * generation) so that waiters ask for the lease at once.
	 */
	static final RedisScript<Long> RELEASE = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'o') ~= ARGV[1] then return 0 end
			redis.call('HDEL', KEYS[1], 'o', 'u')
			redis.call('PUBLISH', ARGV[2], 'L ' .. (redis.call('HGET', KEYS[1], 'g') or '0') .. ' ' .. KEYS[1])
			return 1""", Long.class);

	/** The steps of a write, which leave the new generation in {@code g}. */
	private static final String WRITE_STEPS = """
			local current = redis.call('HGET', KEYS[1], 'g')
			local g = tonumber(current or '0') or 0
			if ARGV[2] ~= '' and g ~= tonumber(ARGV[2]) then return -1 end
			g = math.max(g + 1, first(tonumber(ARGV[7])))
			if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 't') else redis.call('HSET', KEYS[1], 't', ARGV[3]) end
			redis.call('HSET', KEYS[1], 'g', text(g))
			if ARGV[6] == 'D' then redis.call('HSET', KEYS[1], 'x', '1') else redis.call('HDEL', KEYS[1], 'x') end
			if ARGV[6] == 'D' and ARGV[8] ~= '' then redis.call('HSET', KEYS[1], 'f', ARGV[8]) else redis.call('HDEL', KEYS[1], 'f') end
			if ARGV[1] ~= '' and redis.call('HGET', KEYS[1], 'o') == ARGV[1] then redis.call('HDEL', KEYS[1], 'o', 'u') end
			if ARGV[4] == '0' then redis.call('PERSIST', KEYS[1]) else redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
			if KEYS[2] and ARGV[3] ~= '' then
			  local left = redis.call('PTTL', KEYS[2])
			  redis.call('SADD', KEYS[2], ARGV[9])
			  if ARGV[4] == '0' then redis.call('PERSIST', KEYS[2])
			  elseif left == -2 or (left >= 0 and left < tonumber(ARGV[4])) then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
			end
			redis.call('PUBLISH', ARGV[5], ARGV[6] .. ' ' .. text(g) .. ' ' .. KEYS[1])
			""";

	/**
	 * ARGV: owner, expected generation ('' for any, '0' for a key without one), token (''
	 * to delete it), time to live millis ('0' for none), channel, kind, floor of the
	 * generation, origin of the dead chain (with kind {@code D}; '' for none), and for a
	 * key with parameters its segment, listed in the subject's set of segments (KEYS[2],
	 * same hash tag) when a token is written; the set lives as long as its longest-lived
	 * key. Answers the new generation, or -1 when the generation moved on.
	 */
	static final RedisScript<Long> WRITE = RedisScript.of(GENERATIONS + WRITE_STEPS + "return g", Long.class);

	/**
	 * A {@link #WRITE} that removes the token (kind {@code R}, ARGV as there), answering
	 * what the key held before: token ('' for none), generation, dead. Of two removals of
	 * one token, only the first answers it.
	 */
	static final RedisScript<List> TAKE = RedisScript
		.of(GENERATIONS + "local was = redis.call('HMGET', KEYS[1], 't', 'g', 'x') " + WRITE_STEPS
				+ "return {was[1] or '', was[2] or '0', was[3] or ''}", List.class);

	/**
	 * A {@link #TAKE} of a key listed in its subject's set of segments (KEYS[2]; ARGV as
	 * {@link #WRITE}, the segment in ARGV[9]) that also takes the segment out of the set,
	 * in one step: a token written after it lists the segment again. A key that is gone
	 * (expired on its own) is only taken out of the set, never written back as a
	 * tombstone.
	 */
	static final RedisScript<List> TAKE_LISTED = RedisScript.of(GENERATIONS + "redis.call('SREM', KEYS[2], ARGV[9]) "
			+ "if redis.call('EXISTS', KEYS[1]) == 0 then return {'', '0', ''} end "
			+ "local was = redis.call('HMGET', KEYS[1], 't', 'g', 'x') " + WRITE_STEPS
			+ "return {was[1] or '', was[2] or '0', was[3] or ''}", List.class);

	static final RedisScript<List> READ = RedisScript.of("""
			local v = redis.call('HMGET', KEYS[1], 't', 'g', 'x')
			return {v[1] or '', v[2] or '0', v[3] or ''}""", List.class);

	/**
	 * On the old key of a move. Answers token, generation, dead, time to live millis,
	 * dead chain's origin, lease owner, lease deadline, and '1' if the lease is live
	 * (later than Redis's {@code TIME}: an instance is acquiring under the old name).
	 */
	static final RedisScript<List> COPY = RedisScript
		.of(NOW + """
				local v = redis.call('HMGET', KEYS[1], 't', 'g', 'x', 'f', 'o', 'u')
				local live = (v[6] and (tonumber(v[6]) or 0) > now) and '1' or ''
				return {v[1] or '', v[2] or '0', v[3] or '', tostring(redis.call('PTTL', KEYS[1])), v[4] or '', v[5] or '', v[6] or '', live}""",
				List.class);

	/**
	 * On the old key of a move, after the copy: deletes it only if its generation is
	 * still the one copied (ARGV), so that a write that came in between stays. Answers 1
	 * if deleted.
	 */
	static final RedisScript<Long> DELETE_IF_UNCHANGED = RedisScript.of("""
			if redis.call('HGET', KEYS[1], 'g') ~= ARGV[1] then return 0 end
			return redis.call('DEL', KEYS[1])""", Long.class);

	/**
	 * On the new key of a move, written only if it has no generation yet; its generation
	 * is the old key's or a first generation, whichever is higher, so that it never
	 * repeats one of the new key's earlier lives. The old key's lease moves along unless
	 * the new key has a lease of its own. ARGV: token, generation, dead, time to live
	 * millis (negative for none), dead chain's origin, lease owner, lease deadline (''
	 * for none). Answers token, generation, dead and dead chain's origin of the new key.
	 */
	static final RedisScript<List> MOVE = RedisScript.of(GENERATIONS + """
			if redis.call('HEXISTS', KEYS[1], 'g') == 1 then
			  local v = redis.call('HMGET', KEYS[1], 't', 'g', 'x', 'f')
			  return {v[1] or '', v[2] or '0', v[3] or '', v[4] or ''}
			end
			local g = text(first(tonumber(ARGV[2])))
			if ARGV[1] ~= '' then redis.call('HSET', KEYS[1], 't', ARGV[1]) end
			redis.call('HSET', KEYS[1], 'g', g)
			if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'x', '1') end
			if ARGV[3] == '1' and ARGV[5] ~= '' then redis.call('HSET', KEYS[1], 'f', ARGV[5]) end
			if ARGV[6] ~= '' and ARGV[7] ~= '' and redis.call('HEXISTS', KEYS[1], 'o') == 0 then
			  redis.call('HSET', KEYS[1], 'o', ARGV[6], 'u', ARGV[7])
			end
			local ttl = tonumber(ARGV[4])
			if ttl < 0 then redis.call('PERSIST', KEYS[1])
			elseif redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
			local f = ''
			if ARGV[3] == '1' then f = ARGV[5] end
			return {ARGV[1], g, ARGV[3], f}""", List.class);

	private StoreScripts() {
	}

}
