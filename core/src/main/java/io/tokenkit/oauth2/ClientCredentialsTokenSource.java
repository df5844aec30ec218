package io.tokenkit.oauth2;

import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenSource;
import io.tokenkit.token.TokenSourceReadiness;

import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * A {@link TokenSource} for the {@code client_credentials} grant (RFC 6749 §4.4):
 * application tokens, no subject. A refresh asks for a new token, as the grant has no
 * refresh token.
 * <p>
 * A token is issued when its request is sent, and expires {@code expires_in} later (the
 * default lifetime when the answer has none), never later than the {@code exp} of an
 * access token that is a JWT.
 */
public final class ClientCredentialsTokenSource implements TokenSource {

	private final OAuth2TokenClient client;

	private final String scope;

	private final Map<String, String> additionalParameters;

	private final Clock clock;

	private final TokenLifetimes lifetimes;

	/**
	 * Create a source with the {@link TokenLifetimes#DEFAULT default lifetimes}.
	 * @param client the token endpoint client
	 * @param scopes the scopes to request, none for the client's default
	 * @param additionalParameters extra form parameters, for example {@code audience}
	 * @param clock the clock that stamps the issue time
	 */
	public ClientCredentialsTokenSource(OAuth2TokenClient client, Collection<String> scopes,
			Map<String, String> additionalParameters, Clock clock) {
		this(client, scopes, additionalParameters, clock, TokenLifetimes.DEFAULT);
	}

	/**
	 * Create a source.
	 * @param client the token endpoint client
	 * @param scopes the scopes to request, none for the client's default
	 * @param additionalParameters extra form parameters, for example {@code audience}
	 * @param clock the clock read when a request is sent: the issue time, from which
	 * {@code expires_in} counts
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any
	 */
	public ClientCredentialsTokenSource(OAuth2TokenClient client, Collection<String> scopes,
			Map<String, String> additionalParameters, Clock clock, TokenLifetimes lifetimes) {
		Assert.notNull(client, "client must not be null");
		Assert.notNull(scopes, "scopes must not be null");
		Assert.notNull(additionalParameters, "additionalParameters must not be null");
		Assert.notNull(clock, "clock must not be null");
		Assert.notNull(lifetimes, "lifetimes must not be null");
		this.client = client;
		this.scope = String.join(" ", scopes);
		this.additionalParameters = new LinkedHashMap<>(additionalParameters);
		this.clock = clock;
		this.lifetimes = lifetimes;
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		return request(key, "acquire");
	}

	@Override
	public Mono<AccessToken> refresh(TokenKey key, AccessToken current) {
		return request(key, "refresh");
	}

	/** Serves keys with parameters: they are sent instead of the defaults. */
	@Override
	public boolean supportsParameters() {
		return true;
	}

	private Mono<AccessToken> request(TokenKey key, String operation) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.set("grant_type", "client_credentials");
		if (!this.scope.isEmpty()) {
			form.set("scope", this.scope);
		}
		this.additionalParameters.forEach((name, value) -> form.put(name, List.of(value)));
		// the key's parameters come last: a token is never asked for other values than
		// its key's, whatever the additional parameters name
		form.set("grant_type", "client_credentials");
		TokenParameters parameters = key.parameters();
		if (!parameters.getScopes().isEmpty()) {
			form.set("scope", String.join(" ", parameters.getScopes()));
		}
		if (!parameters.getAudiences().isEmpty()) {
			form.put("audience", List.copyOf(parameters.getAudiences()));
		}
		if (!parameters.getResources().isEmpty()) {
			form.put("resource", List.copyOf(parameters.getResources()));
		}
		return Mono.defer(() -> {
			Instant sentAt = this.clock.instant();
			return this.client.request(operation, form)
				.map((response) -> this.client
					.bind(response.toAccessToken(key.registrationId(), sentAt, this.lifetimes, null)));
		});
	}

	@Override
	public TokenSourceReadiness checkReadiness() {
		return this.client.checkReadiness();
	}

}
