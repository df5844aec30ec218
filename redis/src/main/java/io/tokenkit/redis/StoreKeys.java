package io.tokenkit.redis;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKey;

import org.springframework.util.Assert;

/**
 * Builds every Redis name a {@link RedisTokenStore} uses from a {@link TokenKey}: the key
 * of a per-user token is {@code <prefix>{<registrationId>:<subjectHash>}:<parameters>},
 * that of an application token {@code <prefix>{<registrationId>}:<parameters>}, and the
 * change channel {@code <prefix>changes}.
 * <p>
 * The braces are Redis Cluster's hash tag: only what they enclose picks the slot, so the
 * keys of one user of one registration stay in one slot whatever their parameters, while
 * different users spread over the cluster. {@code <parameters>} is {@value #PARAMETERS}
 * until tokens are kept per call (scope, audience). A registration id that contains a
 * brace, {@code :} or {@code %} is written with those characters percent-encoded, so that
 * it can neither end the hash tag early nor be taken for another id (nor an application
 * token's name for a user's). A key prefix must not contain a brace.
 * <p>
 * The subject appears only as its {@link SubjectHasher hash}. The names of the layout
 * before this one ({@code <prefix><registrationId>:<subjectHash>} and
 * {@code <prefix><registrationId>}) are built here too, for {@link OldKeyMigration}.
 */
final class StoreKeys {

	/** The parameter segment of a key while tokens are not kept per call. */
	static final String PARAMETERS = "-";

	private final String prefix;

	private final SubjectHasher subjects;

	StoreKeys(String prefix, SubjectHasher subjects) {
		Assert.isTrue(prefix.indexOf('{') < 0 && prefix.indexOf('}') < 0,
				"keyPrefix must not contain '{' or '}': they would break the hash tag of every key");
		this.prefix = prefix;
		this.subjects = subjects;
	}

	/** The channel that announces every write. */
	String channel() {
		return this.prefix + "changes";
	}

	/** The Redis key of a token key. */
	String redisKey(TokenKey key) {
		return redisKey(key, PARAMETERS);
	}

	/** The Redis key of a token key with a parameter segment. */
	String redisKey(TokenKey key, String parameters) {
		String subject = key.subject();
		return current(key.registrationId(), (subject != null) ? this.subjects.hash(subject) : null, parameters);
	}

	/**
	 * The Redis key of a token key in the layout before hash tags:
	 * {@code <prefix><registrationId>:<subjectHash>} or {@code <prefix><registrationId>};
	 * {@code null} for a registration id that starts with <code>{</code>, whose name in
	 * that layout could be the current name of another key.
	 */
	@Nullable String previousLayoutKey(TokenKey key) {
		String subject = key.subject();
		return previous(key.registrationId(), (subject != null) ? this.subjects.hash(subject) : null);
	}

	/**
	 * The Redis keys of a per-user token named by the plain SHA-256 of its subject, as
	 * before a subject key was configured: in this layout, then in the previous one (if
	 * it has a name there).
	 */
	List<String> unkeyedKeys(TokenKey key) {
		String subject = key.subject();
		Assert.notNull(subject, "only a per-user token has a subject");
		String hash = this.subjects.sha256(subject);
		String previous = previous(key.registrationId(), hash);
		String current = current(key.registrationId(), hash, PARAMETERS);
		return (previous != null) ? List.of(current, previous) : List.of(current);
	}

	/**
	 * A name of the current layout: the prefix, then a brace. No name of the previous
	 * layout starts so ({@link #previous}), so the two layouts never share a name.
	 */
	private String current(String registrationId, @Nullable String subjectHash, String parameters) {
		String tag = (subjectHash != null) ? tagged(registrationId) + ":" + subjectHash : tagged(registrationId);
		return this.prefix + "{" + tag + "}:" + parameters;
	}

	private @Nullable String previous(String registrationId, @Nullable String subjectHash) {
		if (registrationId.startsWith("{")) {
			return null;
		}
		return (subjectHash != null) ? this.prefix + registrationId + ":" + subjectHash : this.prefix + registrationId;
	}

	/** Whether subjects are hashed under a subject key. */
	boolean keyed() {
		return this.subjects.keyed();
	}

	/**
	 * A registration id as it stands in a hash tag: {@code %}, <code>{</code>,
	 * <code>}</code> and {@code :} percent-encoded, so that the tag ends where it should
	 * and two ids never give one name: the encoded id holds no {@code :}, so the first
	 * {@code :} of a tag, if any, ends the id and starts the subject hash.
	 */
	static String tagged(String registrationId) {
		if (registrationId.indexOf('{') < 0 && registrationId.indexOf('}') < 0 && registrationId.indexOf('%') < 0
				&& registrationId.indexOf(':') < 0) {
			return registrationId;
		}
		return registrationId.replace("%", "%25").replace("{", "%7B").replace("}", "%7D").replace(":", "%3A");
	}

}
