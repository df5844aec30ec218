package io.tokenkit.oauth2;

import java.time.Clock;
import java.util.Collection;
import java.util.Map;
import java.util.function.Supplier;

import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * A {@link TokenSource} for OAuth 2.0 Token Exchange (RFC 8693, {@value #GRANT_TYPE}):
 * the subject token a key names by its fingerprint (the incoming request's bearer token,
 * found by {@link SubjectTokenKeyResolver}) exchanged for a token meant for the next API,
 * with an optional actor token, {@code requested_token_type}, {@code audience},
 * {@code resource} and {@code scope}. The key's parameters replace the registration's
 * {@code scope}, {@code audience} and {@code resource}.
 * <p>
 * An exchanged token never outlives its subject token when that is a JWT: its expiry is
 * cut to the subject token's {@code exp}. For an opaque subject token TokenKit cannot
 * know its end; the token lives as the server says.
 */
public final class TokenExchangeTokenSource extends SubjectGrantCalls {

	/** The grant type of token exchange. */
	public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";

	/** The token type of an OAuth 2.0 access token (RFC 8693 §3). */
	public static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private final Settings settings;

	/**
	 * Create a source.
	 * @param client the token endpoint client
	 * @param subjectTokens where the key resolver holds the subject tokens
	 * @param settings the token types and the actor token
	 * @param scopes the registration's scopes, none for the server's default
	 * @param audiences the registration's audiences
	 * @param resources the registration's resources (RFC 8707)
	 * @param additionalParameters extra form parameters
	 * @param clock the clock read when a request is sent
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed
	 */
	public TokenExchangeTokenSource(OAuth2TokenClient client, SubjectTokens subjectTokens, Settings settings,
			Collection<String> scopes, Collection<String> audiences, Collection<String> resources,
			Map<String, String> additionalParameters, Clock clock, TokenLifetimes lifetimes) {
		super(client, subjectTokens, scopes, audiences, resources, additionalParameters, clock, lifetimes);
		Assert.notNull(settings, "settings must not be null");
		this.settings = settings;
	}

	@Override
	public Mono<AccessToken> obtain(TokenKey key) {
		Supplier<Mono<String>> actor = this.settings.actorToken();
		return send(key, GRANT_TYPE, "exchange", (form) -> {
			form.set("subject_token", subjectToken(key, "Token exchange"));
			form.set("subject_token_type", this.settings.subjectTokenType());
			if (this.settings.requestedTokenType() != null) {
				form.set("requested_token_type", this.settings.requestedTokenType());
			}
		}, (actor != null) ? (form) -> withActor(form, actor) : null);
	}

	private Mono<MultiValueMap<String, String>> withActor(MultiValueMap<String, String> form,
			Supplier<Mono<String>> actor) {
		return actor.get().map((actorToken) -> {
			form.set("actor_token", actorToken);
			form.set("actor_token_type", this.settings.actorTokenType());
			return form;
		});
	}

	@Override
	public String toString() {
		return "TokenExchangeTokenSource[client=" + client() + ", subjectTokenType=" + this.settings.subjectTokenType()
				+ ", actor=" + (this.settings.actorToken() != null) + "]";
	}

	/**
	 * The token types of an exchange and where its actor token comes from.
	 *
	 * @param subjectTokenType the {@code subject_token_type}
	 * @param requestedTokenType the {@code requested_token_type}, or {@code null} for the
	 * server's default
	 * @param actorToken supplies the {@code actor_token} on each exchange, or
	 * {@code null} for none
	 * @param actorTokenType the {@code actor_token_type}
	 */
	public record Settings(String subjectTokenType, @Nullable String requestedTokenType,
			@Nullable Supplier<Mono<String>> actorToken, String actorTokenType) {

		public Settings {
			Assert.hasText(subjectTokenType, "subjectTokenType must not be empty");
			Assert.hasText(actorTokenType, "actorTokenType must not be empty");
			requestedTokenType = SubjectGrantCalls.orNull(requestedTokenType);
		}

		/**
		 * Return settings for access tokens without an actor.
		 * @return the settings
		 */
		public static Settings accessTokens() {
			return new Settings(ACCESS_TOKEN_TYPE, null, null, ACCESS_TOKEN_TYPE);
		}

	}

}
