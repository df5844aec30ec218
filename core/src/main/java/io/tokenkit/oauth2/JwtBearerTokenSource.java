package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

/**
 * A {@link TokenSource} for the JWT-bearer grant (RFC 7523 §2.1, {@value #GRANT_TYPE}):
 * the {@code assertion} is the subject token a key names by its fingerprint (the incoming
 * request's JWT, or one given per call), or, for a key without a subject, a JWT the
 * registration signs with its client key for each attempt of each call, a retry included.
 * The key's parameters replace the registration's {@code scope}, {@code audience} and
 * {@code resource}. A token made from an incoming JWT never outlives it.
 */
public final class JwtBearerTokenSource extends SubjectGrantCalls {

	/** The grant type of the JWT-bearer grant. */
	public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:jwt-bearer";

	private final @Nullable Supplier<String> signedAssertion;

	/**
	 * Create a source.
	 * @param client the token endpoint client
	 * @param subjectTokens where the key resolver holds the assertions of keys with a
	 * subject
	 * @param signedAssertion signs a fresh assertion for a key without a subject, called
	 * for each attempt (on a Reactor thread for a retry: it must not block), or
	 * {@code null} when the registration has no client key
	 * @param scopes the registration's scopes, none for the server's default
	 * @param audiences the registration's audiences
	 * @param resources the registration's resources (RFC 8707)
	 * @param additionalParameters extra form parameters
	 * @param clock the clock read when a request is sent
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed
	 */
	public JwtBearerTokenSource(OAuth2TokenClient client, SubjectTokens subjectTokens,
			@Nullable Supplier<String> signedAssertion, Collection<String> scopes, Collection<String> audiences,
			Collection<String> resources, Map<String, String> additionalParameters, Clock clock,
			TokenLifetimes lifetimes) {
		super(client, subjectTokens, scopes, audiences, resources, additionalParameters, clock, lifetimes);
		this.signedAssertion = signedAssertion;
	}

	/**
	 * Return what signs a fresh assertion for each attempt with a client key: issuer and
	 * subject the client, as a {@code private_key_jwt} client assertion is (RFC 7523 §3),
	 * its {@code jti} and signature drawn from a DRBG seeded here, so that signing never
	 * blocks a Reactor thread.
	 * @param clientId the client id, the assertion's {@code iss} and {@code sub}
	 * @param key the client key
	 * @param audience the assertion's {@code aud}, the authorization server
	 * @param lifetime the time from {@code iat} to {@code exp}
	 * @param clock the clock
	 * @return the signer
	 */
	public static Supplier<String> signedBy(String clientId, ClientKey key, String audience, Duration lifetime,
			Clock clock) {
		return JwtClientAssertionAuthentication.privateKeyJwt(clientId, key, audience, lifetime, clock)::assertion;
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		return Mono.defer(() -> send(key, GRANT_TYPE, "acquire", (form) -> {
		}, null, assertion(key)));
	}

	/**
	 * Return what adds the {@code assertion} to each attempt of a call: the key's subject
	 * token, the same on every attempt, or a JWT signed for each attempt, so that a retry
	 * never repeats a {@code jti} the server may have seen (RFC 7523 §3).
	 */
	private OAuth2TokenClient.AttemptParameters assertion(TokenKey key) {
		if (key.subject() != null) {
			String subjectToken = subjectToken(key, "JWT bearer");
			return (form) -> form.set("assertion", subjectToken);
		}
		Supplier<String> signer = this.signedAssertion;
		if (signer == null) {
			throw new TokenAcquisitionException(key.registrationId(),
					"JWT bearer of registration '" + key.registrationId()
							+ "' has no assertion: the request gave none and the registration has "
							+ "no client key to sign one; set its client-key, or give the assertion per call");
		}
		return (form) -> form.set("assertion", signer.get());
	}

	@Override
	public String toString() {
		return "JwtBearerTokenSource[client=" + client() + ", signs=" + (this.signedAssertion != null) + "]";
	}

}
