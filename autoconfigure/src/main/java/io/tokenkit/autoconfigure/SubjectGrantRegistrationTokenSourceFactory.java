package io.tokenkit.autoconfigure;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import io.tokenkit.oauth2.JwtBearerTokenSource;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.TokenExchangeTokenSource;
import io.tokenkit.propagation.SubjectTokenKeyResolver;
import io.tokenkit.propagation.SubjectTokens;
import io.tokenkit.registration.ClientKeySettings;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.registration.SubjectGrantSettings;
import io.tokenkit.token.TokenSource;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.StringUtils;

/**
 * Creates the sources of the grants that turn a subject token into a token for the next
 * API: {@value #TOKEN_EXCHANGE} (RFC 8693) and {@value #JWT_BEARER} (RFC 7523), also
 * named {@code token-exchange} and {@code jwt-bearer}. The token endpoint, client
 * authentication and web client are those of
 * {@link OAuth2RegistrationTokenSourceFactory}; the subject tokens are the ones the
 * registration's {@link SubjectTokenKeyResolver} holds.
 */
final class SubjectGrantRegistrationTokenSourceFactory implements RegistrationTokenSourceFactory {

	/** Token exchange (RFC 8693). */
	static final String TOKEN_EXCHANGE = TokenExchangeTokenSource.GRANT_TYPE;

	/** JWT bearer (RFC 7523 §2.1). */
	static final String JWT_BEARER = JwtBearerTokenSource.GRANT_TYPE;

	private static final Set<String> GRANT_TYPES = Collections
		.unmodifiableSet(new LinkedHashSet<>(List.of(TOKEN_EXCHANGE, "token-exchange", JWT_BEARER, "jwt-bearer")));

	private final OAuth2RegistrationTokenSourceFactory oauth2;

	private final Function<String, Mono<String>> applicationTokens;

	/**
	 * Create a factory.
	 * @param oauth2 makes the token endpoint clients
	 * @param applicationTokens gives the value of a registration's application token, by
	 * registration id: the actor tokens
	 */
	SubjectGrantRegistrationTokenSourceFactory(OAuth2RegistrationTokenSourceFactory oauth2,
			Function<String, Mono<String>> applicationTokens) {
		this.oauth2 = oauth2;
		this.applicationTokens = applicationTokens;
	}

	/**
	 * Return whether a grant type is one of these.
	 * @param grantType the grant type
	 * @return whether it is token exchange
	 */
	static boolean isTokenExchange(@Nullable String grantType) {
		return RegistrationDefinition.sameGrantType(grantType, TOKEN_EXCHANGE)
				|| RegistrationDefinition.sameGrantType(grantType, "token-exchange");
	}

	/**
	 * Return whether a grant type is JWT bearer.
	 * @param grantType the grant type
	 * @return whether it is JWT bearer
	 */
	static boolean isJwtBearer(@Nullable String grantType) {
		return RegistrationDefinition.sameGrantType(grantType, JWT_BEARER)
				|| RegistrationDefinition.sameGrantType(grantType, "jwt-bearer");
	}

	@Override
	public Set<String> grantTypes() {
		return GRANT_TYPES;
	}

	@Override
	public TokenSource create(RegistrationDefinition registration) {
		SubjectTokens subjectTokens = (registration.getKeyResolver() instanceof SubjectTokenKeyResolver resolver)
				? resolver.getSubjectTokens() : new SubjectTokens(this.oauth2.clock());
		SubjectGrantSettings settings = registration.getSubjectGrant();
		if (isTokenExchange(registration.getGrantType())) {
			OAuth2TokenClient client = this.oauth2.client(registration, "token-exchange");
			String actor = settings.actorTokenRegistration();
			Supplier<Mono<String>> actorToken = (actor != null) ? () -> this.applicationTokens.apply(actor) : null;
			TokenExchangeTokenSource.Settings exchange = new TokenExchangeTokenSource.Settings(
					orAccessToken(settings.subjectTokenType()), settings.requestedTokenType(), actorToken,
					orAccessToken(settings.actorTokenType()));
			return new TokenExchangeTokenSource(client, subjectTokens, exchange, registration.getScopes(),
					settings.audiences(), settings.resources(), registration.getAdditionalParameters(),
					this.oauth2.clock(), this.oauth2.lifetimes());
		}
		OAuth2TokenClient client = this.oauth2.client(registration, "jwt-bearer");
		return new JwtBearerTokenSource(client, subjectTokens, signer(registration, client), registration.getScopes(),
				settings.audiences(), settings.resources(), registration.getAdditionalParameters(), this.oauth2.clock(),
				this.oauth2.lifetimes());
	}

	/**
	 * Return what signs the assertions of a JWT-bearer registration with a client key,
	 * {@code aud} as a client assertion's: the configured one, else the issuer, else the
	 * token endpoint.
	 */
	private @Nullable Supplier<String> signer(RegistrationDefinition registration, OAuth2TokenClient client) {
		if (registration.getClientKey().equals(ClientKeySettings.NONE)) {
			return null;
		}
		String audience = registration.getAssertionAudience();
		if (!StringUtils.hasText(audience)) {
			URI tokenUri = client.getTokenUri();
			audience = StringUtils.hasText(registration.getIssuerUri()) ? registration.getIssuerUri().strip()
					: String.valueOf(tokenUri);
		}
		return JwtBearerTokenSource.signedBy(client.getClientId(),
				ClientKeys.key(registration, this.oauth2.sslBundles(), "for grant-type jwt-bearer"), audience,
				registration.getAssertionLifetime(), this.oauth2.clock());
	}

	private static String orAccessToken(@Nullable String tokenType) {
		return (tokenType != null) ? tokenType : TokenExchangeTokenSource.ACCESS_TOKEN_TYPE;
	}

}
