package io.tokenkit.propagation;

import java.util.Map;
import java.util.function.Consumer;

import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenKeyResolver;
import io.tokenkit.token.TokenRequestAttributes;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The {@link TokenKeyResolver} of registrations whose tokens are made from a subject
 * token (token exchange, JWT bearer): the key of a request's token is (registration,
 * fingerprint of the subject token, parameters of the request). The subject token is the
 * {@link #SUBJECT_TOKEN} attribute when a request sets it, else the bearer token of the
 * request being served ({@link IncomingBearerToken}); it is held in {@link SubjectTokens}
 * for the token source and never enters the key. Without one the request fails with a
 * {@link NoIncomingTokenException} and is not sent.
 */
public final class SubjectTokenKeyResolver implements TokenKeyResolver {

	/**
	 * The request attribute that gives the subject token (or the JWT-bearer assertion) of
	 * one request, in place of the incoming request's bearer token.
	 */
	public static final String SUBJECT_TOKEN = SubjectTokenKeyResolver.class.getName() + ".subject-token";

	private final @Nullable IncomingBearerToken incoming;

	private final SubjectTokens subjectTokens;

	/**
	 * Create a resolver of the incoming request's token.
	 * @param incoming reads the incoming request's bearer token
	 * @param subjectTokens holds the subject tokens for the source
	 */
	public SubjectTokenKeyResolver(IncomingBearerToken incoming, SubjectTokens subjectTokens) {
		this(subjectTokens, incoming);
		Assert.notNull(incoming, "incoming must not be null");
	}

	private SubjectTokenKeyResolver(SubjectTokens subjectTokens, @Nullable IncomingBearerToken incoming) {
		Assert.notNull(subjectTokens, "subjectTokens must not be null");
		this.incoming = incoming;
		this.subjectTokens = subjectTokens;
	}

	/**
	 * Return a resolver that reads no incoming token: a request that sets
	 * {@link #SUBJECT_TOKEN} gets the key of that token, any other the key
	 * {@link TokenKeyResolver#attributes()} gives (for example the application token of a
	 * JWT-bearer registration that signs its own assertion).
	 * @param subjectTokens holds the subject tokens for the source
	 * @return the resolver
	 */
	public static SubjectTokenKeyResolver perCall(SubjectTokens subjectTokens) {
		return new SubjectTokenKeyResolver(subjectTokens, null);
	}

	/**
	 * Return whether a request without a {@link #SUBJECT_TOKEN} attribute takes the
	 * incoming request's bearer token ({@code false} for {@link #perCall}).
	 * @return whether the incoming token is read
	 */
	public boolean readsIncomingToken() {
		return this.incoming != null;
	}

	/**
	 * Return where this resolver holds the subject tokens, which the registration's
	 * source reads.
	 * @return the subject tokens
	 */
	public SubjectTokens getSubjectTokens() {
		return this.subjectTokens;
	}

	/**
	 * Return a request attributes customizer that gives one request its subject token.
	 * @param subjectToken the subject token, or the assertion of a JWT-bearer grant
	 * @return the customizer, for {@code WebClient}'s and {@code RestClient}'s
	 * {@code attributes(..)}
	 */
	public static Consumer<Map<String, Object>> subjectToken(String subjectToken) {
		Assert.hasText(subjectToken, "subjectToken must not be empty");
		return (attributes) -> attributes.put(SUBJECT_TOKEN, subjectToken);
	}

	@Override
	public TokenKey resolve(Map<String, Object> attributes, TokenKey applicationKey) {
		Object given = attributes.get(SUBJECT_TOKEN);
		if (given == null && this.incoming == null) {
			return TokenRequestAttributes.keyOf(attributes, applicationKey);
		}
		String token = (given != null) ? given.toString() : this.incoming.read();
		if (token == null) {
			throw noToken(applicationKey);
		}
		return key(token, attributes, applicationKey);
	}

	@Override
	public Mono<TokenKey> resolveReactive(Map<String, Object> attributes, TokenKey applicationKey) {
		Object given = attributes.get(SUBJECT_TOKEN);
		if (given == null && this.incoming == null) {
			return Mono.fromSupplier(() -> TokenRequestAttributes.keyOf(attributes, applicationKey));
		}
		Mono<String> token = (given != null) ? Mono.just(given.toString()) : this.incoming.readReactive();
		return token.switchIfEmpty(Mono.error(() -> noToken(applicationKey)))
			.map((value) -> key(value, attributes, applicationKey));
	}

	private TokenKey key(String token, Map<String, Object> attributes, TokenKey applicationKey) {
		TokenKey requested = TokenRequestAttributes.keyOf(attributes, applicationKey);
		return new TokenKey(applicationKey.registrationId(), this.subjectTokens.hold(token), requested.parameters());
	}

	private static NoIncomingTokenException noToken(TokenKey applicationKey) {
		return new NoIncomingTokenException(applicationKey.registrationId(), "Registration");
	}

	@Override
	public String toString() {
		return "TokenKeyResolver[subject token]";
	}

}
