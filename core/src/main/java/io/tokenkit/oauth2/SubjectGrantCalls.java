package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenAcquisitionException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenSourceReadiness;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The base of the token-exchange and JWT-bearer sources, what they share: the
 * registration's {@code scope}, {@code audience} and {@code resource}, each replaced by
 * the key's parameters when the key asks for it; the subject token found by the key's
 * fingerprint; and the call, whose token never outlives a subject token that is a JWT.
 */
abstract class SubjectGrantCalls implements TokenSource {

	private final OAuth2TokenClient client;

	private final SubjectTokens subjectTokens;

	private final List<String> scopes;

	private final List<String> audiences;

	private final List<String> resources;

	private final Map<String, String> additionalParameters;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	SubjectGrantCalls(OAuth2TokenClient client, SubjectTokens subjectTokens, Collection<String> scopes,
			Collection<String> audiences, Collection<String> resources, Map<String, String> additionalParameters,
			Clock clock, TokenLifetimes lifetimes) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(subjectTokens, "subjectTokens must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		this.client = client;
		this.subjectTokens = subjectTokens;
		this.scopes = List.copyOf(scopes);
		this.audiences = List.copyOf(audiences);
		this.resources = List.copyOf(resources);
		this.additionalParameters = new LinkedHashMap<>(additionalParameters);
		this.clock = clock;
		this.lifetimes = lifetimes;
	}

	/**
	 * Return the subject token of a key, held since its request was resolved.
	 * @throws TokenAcquisitionException when none is held any more
	 */
	final String subjectToken(TokenKey key, String grant) {
		String subject = key.subject();
		String token = (subject != null) ? this.subjectTokens.valueOf(subject) : null;
		if (token == null) {
			throw new TokenAcquisitionException(key.registrationId(), grant + " of registration '"
					+ key.registrationId() + "' has no subject token for this key any more (it expired, or the "
					+ "request that carried it is long gone); a request that carries the token again gets a new one");
		}
		return token;
	}

	/**
	 * Send a subject grant for a key, built at subscription: {@code grant_type}, what the
	 * grant adds (its subject token or assertion), then the parameters every subject
	 * grant sends.
	 * @param key the key
	 * @param grantType the {@code grant_type}
	 * @param operation the token call's operation, for observations
	 * @param grant adds the grant's own parameters
	 * @return the token, expiring no later than a subject token that is a JWT
	 */
	final Mono<AccessToken> send(TokenKey key, String grantType, String operation,
			Consumer<MultiValueMap<String, String>> grant) {
		return send(key, grantType, operation, grant, null);
	}

	/**
	 * Send a subject grant as {@link #send(TokenKey, String, String, Consumer)} does,
	 * after {@code last} has added what must be waited for (an actor token).
	 * @param key the key
	 * @param grantType the {@code grant_type}
	 * @param operation the token call's operation, for observations
	 * @param grant adds the grant's own parameters
	 * @param last adds the parameters that must be waited for and answers the form, or
	 * {@code null} for none
	 * @return the token
	 */
	final Mono<AccessToken> send(TokenKey key, String grantType, String operation,
			Consumer<MultiValueMap<String, String>> grant,
			@Nullable Function<MultiValueMap<String, String>, Mono<MultiValueMap<String, String>>> last) {
		return send(key, grantType, operation, grant, last, OAuth2TokenClient.AttemptParameters.NONE);
	}

	/**
	 * Send a subject grant as {@link #send(TokenKey, String, String, Consumer, Function)}
	 * does, with {@code perAttempt} adding its parameters again on each attempt (a signed
	 * assertion, so that a retry never repeats its {@code jti}).
	 * @param key the key
	 * @param grantType the {@code grant_type}
	 * @param operation the token call's operation, for observations
	 * @param grant adds the grant's own parameters, once
	 * @param last adds the parameters that must be waited for and answers the form, or
	 * {@code null} for none
	 * @param perAttempt adds parameters made again for each attempt
	 * @return the token
	 */
	final Mono<AccessToken> send(TokenKey key, String grantType, String operation,
			Consumer<MultiValueMap<String, String>> grant,
			@Nullable Function<MultiValueMap<String, String>, Mono<MultiValueMap<String, String>>> last,
			OAuth2TokenClient.AttemptParameters perAttempt) {
		return Mono.defer(() -> {
			MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
			form.set("grant_type", grantType);
			grant.accept(form);
			addParameters(form, key.parameters());
			if (last == null) {
				return call(key, operation, form, perAttempt);
			}
			return last.apply(form).flatMap((complete) -> call(key, operation, complete, perAttempt));
		});
	}

	/**
	 * Add the form parameters every subject grant sends: the registration's extra ones,
	 * then {@code scope}, {@code audience} and {@code resource}.
	 */
	private void addParameters(MultiValueMap<String, String> form, TokenParameters parameters) {
		this.additionalParameters.forEach((name, value) -> form.put(name, List.of(value)));
		Collection<String> scopes = parameters.getScopes().isEmpty() ? this.scopes : parameters.getScopes();
		if (!scopes.isEmpty()) {
			form.set("scope", String.join(" ", scopes));
		}
		Collection<String> audiences = parameters.getAudiences().isEmpty() ? this.audiences : parameters.getAudiences();
		audiences.forEach((audience) -> form.add("audience", audience));
		Collection<String> resources = parameters.getResources().isEmpty() ? this.resources : parameters.getResources();
		resources.forEach((resource) -> form.add("resource", resource));
	}

	/**
	 * Send the form; the token expires no later than the subject token when that is a
	 * JWT, and keeps no refresh token or ID token: a token made from a subject token is
	 * made again from it, never refreshed. A subject token the server refuses
	 * ({@code invalid_grant}, {@code invalid_request}) is the caller's: the manager hands
	 * the caller a {@link io.tokenkit.token.NoTokenForSubjectException}, logs it at DEBUG
	 * and keeps the registration's status as it was.
	 */
	private Mono<AccessToken> call(TokenKey key, String operation, MultiValueMap<String, String> form,
			OAuth2TokenClient.AttemptParameters perAttempt) {
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.client.request(operation, form, perAttempt, (headers) -> {
			})
				.map((response) -> capped(key,
						response.toAccessToken(key.registrationId(), sentAt, this.lifetimes, null)))
				.onErrorMap((error) -> refusedSubject(key, error), (error) -> refusedSubjectToken(key, error));
		});
	}

	private static boolean refusedSubject(TokenKey key, Throwable error) {
		return key.subject() != null && error instanceof OAuth2TokenException refusal
				&& ("invalid_grant".equals(refusal.getError()) || "invalid_request".equals(refusal.getError()));
	}

	/**
	 * The exact {@link TokenAcquisitionException} the manager takes for "nothing to
	 * acquire from" for this key: not a failure of the registration.
	 */
	private static TokenAcquisitionException refusedSubjectToken(TokenKey key, Throwable error) {
		String id = key.registrationId();
		return new TokenAcquisitionException(id, "The token endpoint of registration '" + id
				+ "' refused this request's subject token (" + ((OAuth2TokenException) error).getError()
				+ "): it is invalid, expired or revoked, or not meant for this client; the caller needs a new token, "
				+ "the registration is fine", error);
	}

	private AccessToken capped(TokenKey key, AccessToken token) {
		AccessToken.Builder made = token.mutate().refreshToken(null).idToken(null).refreshTokenExpiresAt(null);
		Instant cap = (key.subject() != null) ? this.subjectTokens.expiryOf(key.subject()) : null;
		if (cap == null || (token.getExpiresAt() != null && !token.getExpiresAt().isAfter(cap))) {
			return made.build();
		}
		// cut to the subject's exp: no token made later can live longer, so it is not
		// refreshed ahead; it is served until the subject's exp, then made again only
		// while the subject token is still held
		return made.expiresAt(cap).refreshedAhead(false).build();
	}

	/**
	 * Answer {@code true}: the key's parameters replace the registration's {@code scope},
	 * {@code audience} and {@code resource}.
	 */
	@Override
	public final boolean supportsParameters() {
		return true;
	}

	@Override
	public final TokenSourceReadiness checkReadiness() {
		return this.client.checkReadiness();
	}

	final OAuth2TokenClient client() {
		return this.client;
	}

	static @Nullable String orNull(@Nullable String value) {
		return (value == null || value.isBlank()) ? null : value;
	}

}
