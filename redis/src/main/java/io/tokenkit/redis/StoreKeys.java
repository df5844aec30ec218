package io.tokenkit.redis;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenParameters;

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
 * for a key with the registration's defaults ({@link TokenParameters#NONE}, the only
 * segment before per-call parameters, so older keys read on), else the hex hash of the
 * parameters' {@link TokenParameters#canonical() canonical form}, taken as a subject's
 * (an HMAC-SHA256 under the subject key): order-independent, and no scope, audience or
 * resource in plain text. The parameter segments a subject's keys have besides
 * {@value #PARAMETERS} are listed in the set {@code <prefix>{<tag>}:}{@value #SETS} under
 * the same hash tag (no segment is that word), so that all the keys of a subject are
 * found without a scan of the keyspace. A registration id that contains a brace,
 * {@code :} or {@code %} is written with those characters percent-encoded, so that it can
 * neither end the hash tag early nor be taken for another id (nor an application token's
 * name for a user's). A key prefix must not contain a brace.
 * <p>
 * The subject appears only as its {@link SubjectHasher hash}. The names of the layout
 * before this one ({@code <prefix><registrationId>:<subjectHash>} and
 * {@code <prefix><registrationId>}) are built here too, for {@link OldKeyMigration}.
 */
final class StoreKeys {

	/** The parameter segment of a key with the registration's default parameters. */
	static final String PARAMETERS = "-";

	/** The last segment of the set of a subject's parameter segments. */
	static final String SETS = "parameters";

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
		return redisKey(key, segment(key.parameters()));
	}

	/** The Redis key of a token key with a parameter segment. */
	String redisKey(TokenKey key, String parameters) {
		return redisKey(key.registrationId(), key.subject(), parameters);
	}

	/** The Redis key of a subject's (or the application's) token with a segment. */
	String redisKey(String registrationId, @Nullable String subject, String parameters) {
		return current(registrationId, (subject != null) ? this.subjects.hash(subject) : null, parameters);
	}

	/**
	 * The parameter segment of parameters: {@value #PARAMETERS} for none, else the hash
	 * of their canonical form.
	 */
	String segment(TokenParameters parameters) {
		return parameters.isEmpty() ? PARAMETERS : this.subjects.hash(parameters.canonical());
	}

	/**
	 * The set that lists the parameter segments (other than {@value #PARAMETERS}) of a
	 * subject's keys, or of the application's keys without a subject.
	 */
	String parameterSets(String registrationId, @Nullable String subject) {
		return redisKey(registrationId, subject, SETS);
	}

	/**
	 * The Redis key of a token key in the layout before hash tags:
	 * {@code <prefix><registrationId>:<subjectHash>} or {@code <prefix><registrationId>};
	 * {@code null} for a registration id that starts with <code>{</code>, whose name in
	 * that layout could be the current name of another key.
	 */
	@Nullable String previousLayoutKey(TokenKey key) {
		if (!key.parameters().isEmpty()) {
			// no key with parameters had a name in that layout
			return null;
		}
		String subject = key.subject();
		return previous(key.registrationId(), (subject != null) ? this.subjects.hash(subject) : null);
	}

	/**
	 * The Redis keys of a per-user token named by the plain SHA-256 of its subject (and
	 * parameters), as before a subject key was configured: in this layout, then in the
	 * previous one (if it has a name there).
	 */
	List<String> unkeyedKeys(TokenKey key) {
		String subject = key.subject();
		Assert.notNull(subject, "only a per-user token has a subject");
		String hash = this.subjects.sha256(subject);
		TokenParameters parameters = key.parameters();
		if (!parameters.isEmpty()) {
			return List.of(current(key.registrationId(), hash, this.subjects.sha256(parameters.canonical())));
		}
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
