package io.tokenkit.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.token.TokenAuthorizer;
import io.tokenkit.token.TokenKeyResolver;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.util.StringUtils;

/**
 * The registrations of Spring Security's OAuth 2.0 client, read from the keys Spring Boot
 * documents ({@code spring.security.oauth2.client.registration.<id>.*} and
 * {@code spring.security.oauth2.client.provider.<id>.*}) with a {@link Binder}, so that
 * TokenKit needs neither Spring Security's client module nor Boot's, and mapped to
 * {@link RegistrationDefinition registration definitions} of the same id:
 * <ul>
 * <li>{@code client_credentials}: application tokens of grant type
 * {@code client_credentials} from the provider's {@code token-uri}, with the
 * registration's scopes;</li>
 * <li>{@code authorization_code}: per-user tokens of grant type {@code refresh_token}
 * that the application saves and TokenKit refreshes at the provider's {@code token-uri},
 * asking for no scope so that the granted ones are kept, as Spring Security's refresh
 * does;</li>
 * <li>{@code urn:ietf:params:oauth:grant-type:token-exchange} and
 * {@code urn:ietf:params:oauth:grant-type:jwt-bearer}: tokens made from the incoming
 * request's bearer token (its subject token, or its JWT as the assertion, as Spring
 * Security's {@code JwtBearerOAuth2AuthorizedClientProvider} does), with the
 * registration's scopes.</li>
 * </ul>
 * As in Spring Security, a registration's provider is its {@code provider}, else its id;
 * a provider that is not configured may be one of Spring Security's common providers
 * (google, github, facebook, x, okta), whose token URI, client authentication method and
 * grant type ({@code authorization_code}) apply unless configured. A provider known only
 * by its {@code issuer-uri} is served from the {@code token_endpoint} of the issuer's
 * metadata, which TokenKit fetches when the first token call needs it, not at start-up as
 * Spring Security does; the provider's {@code token-uri} wins when both are set, as in
 * Spring Boot. Whatever TokenKit cannot do (another grant type, a client authentication
 * method other than {@code client_secret_basic} and {@code client_secret_post}) stops
 * start-up with a failure analysis naming the property.
 */
final class SpringSecurityRegistrations {

	/** The prefix of Spring Boot's OAuth 2.0 client properties. */
	static final String PREFIX = "spring.security.oauth2.client.";

	private static final String REGISTRATION = PREFIX + "registration.";

	private static final String PROVIDER = PREFIX + "provider.";

	private static final String AUTHORIZATION_CODE = "authorization_code";

	private static final String CLIENT_SECRET_BASIC = "client_secret_basic";

	private static final String CLIENT_SECRET_POST = "client_secret_post";

	/**
	 * What Spring Security's {@code CommonOAuth2Provider} sets that TokenKit uses.
	 */
	private static final Map<String, CommonProvider> COMMON_PROVIDERS = Map.of("google",
			new CommonProvider("https://www.googleapis.com/oauth2/v4/token", CLIENT_SECRET_BASIC), "github",
			new CommonProvider("https://github.com/login/oauth/access_token", CLIENT_SECRET_BASIC), "facebook",
			new CommonProvider("https://graph.facebook.com/v2.8/oauth/access_token", CLIENT_SECRET_POST), "x",
			new CommonProvider("https://api.x.com/2/oauth2/token", CLIENT_SECRET_POST), "okta",
			new CommonProvider(null, CLIENT_SECRET_BASIC));

	/** No registrations. */
	static final SpringSecurityRegistrations NONE = new SpringSecurityRegistrations(Map.of(), Map.of());

	private final Map<String, Registration> registrations;

	private final Map<String, Provider> providers;

	private SpringSecurityRegistrations(Map<String, Registration> registrations, Map<String, Provider> providers) {
		this.registrations = registrations;
		this.providers = providers;
	}

	/**
	 * Bind Spring Security's registrations and providers.
	 * @param binder the binder of the application's environment
	 * @return the registrations
	 */
	static SpringSecurityRegistrations bind(Binder binder) {
		return new SpringSecurityRegistrations(
				binder.bind(PREFIX + "registration", Bindable.mapOf(String.class, Registration.class)).orElse(Map.of()),
				binder.bind(PREFIX + "provider", Bindable.mapOf(String.class, Provider.class)).orElse(Map.of()));
	}

	/**
	 * Return the ids of the registrations, in the order configured.
	 * @return the ids
	 */
	Set<String> ids() {
		return this.registrations.keySet();
	}

	/**
	 * Return whether a registration of this id is configured.
	 * @param id the registration id
	 * @return whether it is
	 */
	boolean contains(String id) {
		return this.registrations.containsKey(id);
	}

	/**
	 * Return the definition of the registration of this id, which must be configured.
	 * @param id the registration id
	 * @param reusedBy the property that makes TokenKit serve it, for the advice of a
	 * failure analysis
	 * @param refreshSkew how long before expiry a token is refreshed
	 * @param refreshSkewProperty the property that configured the refresh skew
	 * @param authorizer what sets the registration's token on each request
	 * @param userKeyResolver finds the key of each request's token for an
	 * {@code authorization_code} registration (the logged-in user's)
	 * @param tokenKitSettings adds the settings TokenKit's properties beside the
	 * registration give (client key, client assertions, FAPI, and the audiences,
	 * resources and token exchange settings of a subject grant), given the grant type
	 * TokenKit serves the registration with
	 * @return the definition
	 * @throws InvalidTokenKitPropertyException if TokenKit cannot serve it
	 */
	RegistrationDefinition definition(String id, String reusedBy, Duration refreshSkew, String refreshSkewProperty,
			TokenAuthorizer authorizer, TokenKeyResolver userKeyResolver,
			BiFunction<RegistrationDefinition.Builder, String, RegistrationDefinition.Builder> tokenKitSettings) {
		Registration registration = this.registrations.get(id);
		String prefix = REGISTRATION + id + ".";
		String providerId = StringUtils.hasText(registration.provider()) ? registration.provider() : id;
		Provider provider = this.providers.get(providerId);
		CommonProvider common = COMMON_PROVIDERS.get(providerId.toLowerCase(Locale.ROOT));
		if (provider == null && common == null) {
			throw unknownProvider(id, registration, providerId);
		}
		String grantType = grantType(prefix, registration, common, reusedBy);
		// every grant but authorization_code asks for the registration's scopes itself
		boolean clientCredentials = !grantType.equals(OAuth2RegistrationTokenSourceFactory.REFRESH_TOKEN);
		boolean subjectGrant = clientCredentials
				&& !grantType.equals(OAuth2RegistrationTokenSourceFactory.CLIENT_CREDENTIALS);
		String tokenUriProperty = PROVIDER + providerId + ".token-uri";
		String issuerUri = (provider != null && StringUtils.hasText(provider.issuerUri())) ? provider.issuerUri()
				: null;
		// as in Spring Boot: the provider's token-uri, else its issuer's metadata, else a
		// common provider's
		String tokenUri = (provider != null && StringUtils.hasText(provider.tokenUri())) ? provider.tokenUri()
				: ((common != null && issuerUri == null) ? common.tokenUri() : null);
		if (!StringUtils.hasText(tokenUri) && issuerUri == null) {
			throw noTokenUri(tokenUriProperty);
		}
		RegistrationDefinition.Builder definition = RegistrationDefinition.withId(id, prefix)
			.property("grant-type", prefix + "authorization-grant-type")
			.property("token-uri", tokenUriProperty)
			.property("issuer-uri", PROVIDER + providerId + ".issuer-uri")
			.issuerUri(issuerUri)
			.property("client-authentication", prefix + "client-authentication-method")
			.property("scopes", prefix + "scope")
			.property("refresh-skew", refreshSkewProperty)
			.authorizer(authorizer)
			.keyResolver(clientCredentials ? TokenKeyResolver.attributes() : userKeyResolver)
			.grantType(grantType)
			.tokenUri(tokenUri)
			.clientId(registration.clientId())
			.clientSecret(registration.clientSecret())
			.clientAuthentication(clientAuthentication(prefix, registration, common, clientCredentials, reusedBy))
			.scopes((clientCredentials && registration.scope() != null) ? new ArrayList<>(registration.scope())
					: List.of())
			.refreshSkew(refreshSkew);
		if (subjectGrant) {
			// token exchange of the incoming token, or a JWT bearer asserting with the
			// incoming JWT, as Spring Security's JwtBearerOAuth2AuthorizedClientProvider
			definition.keyResolver(SubjectGrantProperties.keyResolver(true));
		}
		return tokenKitSettings.apply(definition, grantType).build();
	}

	/**
	 * Return the property of a registration's grant type.
	 * @param id the registration id
	 * @return the property,
	 * {@code spring.security.oauth2.client.registration.<id>.authorization-grant-type}
	 */
	static String grantTypeProperty(String id) {
		return REGISTRATION + id + ".authorization-grant-type";
	}

	/**
	 * Return the TokenKit grant type that serves a registration: client_credentials,
	 * refresh_token for authorization_code, or token exchange and JWT bearer as they are.
	 */
	private static String grantType(String prefix, Registration registration, @Nullable CommonProvider common,
			String reusedBy) {
		String configured = registration.authorizationGrantType();
		String grantType = StringUtils.hasText(configured) ? configured
				: ((common != null) ? AUTHORIZATION_CODE : null);
		if (grantType == null) {
			throw new InvalidTokenKitPropertyException(prefix + "authorization-grant-type", null,
					"it is not set, and TokenKit reuses client_credentials and authorization_code registrations",
					"Set it to client_credentials (application tokens) or authorization_code (per-user tokens).");
		}
		if (RegistrationDefinition.sameGrantType(grantType, OAuth2RegistrationTokenSourceFactory.CLIENT_CREDENTIALS)) {
			return OAuth2RegistrationTokenSourceFactory.CLIENT_CREDENTIALS;
		}
		if (RegistrationDefinition.sameGrantType(grantType, AUTHORIZATION_CODE)) {
			return OAuth2RegistrationTokenSourceFactory.REFRESH_TOKEN;
		}
		if (SubjectGrantRegistrationTokenSourceFactory.isTokenExchange(grantType)) {
			return SubjectGrantRegistrationTokenSourceFactory.TOKEN_EXCHANGE;
		}
		if (SubjectGrantRegistrationTokenSourceFactory.isJwtBearer(grantType)) {
			return SubjectGrantRegistrationTokenSourceFactory.JWT_BEARER;
		}
		throw new InvalidTokenKitPropertyException(prefix + "authorization-grant-type", grantType,
				"TokenKit serves Spring Security registrations of grant types client_credentials, "
						+ "authorization_code, urn:ietf:params:oauth:grant-type:token-exchange and "
						+ "urn:ietf:params:oauth:grant-type:jwt-bearer only",
				leaveToSpringSecurity(prefix, reusedBy));
	}

	private static ClientAuthenticationMethod clientAuthentication(String prefix, Registration registration,
			@Nullable CommonProvider common, boolean clientCredentials, String reusedBy) {
		String configured = registration.clientAuthenticationMethod();
		String method;
		if (StringUtils.hasText(configured)) {
			method = configured.strip().toLowerCase(Locale.ROOT);
		}
		else if (common != null) {
			method = common.clientAuthenticationMethod();
		}
		else if (!clientCredentials && !StringUtils.hasText(registration.clientSecret())) {
			// Spring Security deduces a public client, authentication method none
			throw new InvalidTokenKitPropertyException(prefix + "client-secret", null,
					"it is not set, so Spring Security treats the authorization_code registration as a public client "
							+ "(client-authentication-method none), and TokenKit refreshes tokens with a client "
							+ "secret only",
					"Set " + prefix + "client-secret, or " + uncapitalize(leaveToSpringSecurity(prefix, reusedBy)));
		}
		else {
			method = CLIENT_SECRET_BASIC;
		}
		for (ClientAuthenticationMethod candidate : ClientAuthenticationMethod.values()) {
			if (candidate.registeredName().equals(method)) {
				return candidate;
			}
		}
		throw new InvalidTokenKitPropertyException(prefix + "client-authentication-method", configured,
				"TokenKit authenticates at the token endpoint with client_secret_basic, client_secret_post, "
						+ "client_secret_jwt, private_key_jwt, tls_client_auth or self_signed_tls_client_auth",
				"Set it to one of them if the provider accepts it, or "
						+ uncapitalize(leaveToSpringSecurity(prefix, reusedBy)));
	}

	private InvalidTokenKitPropertyException unknownProvider(String id, Registration registration, String providerId) {
		String commonProviders = "Spring Security's common providers (" + String.join(", ", commonProviderIds()) + ")";
		if (StringUtils.hasText(registration.provider())) {
			return new InvalidTokenKitPropertyException(REGISTRATION + id + ".provider", providerId,
					"there is no " + PROVIDER + providerId + " and it is not one of " + commonProviders,
					"Configure " + PROVIDER + providerId + ".token-uri, or name a configured provider (configured: "
							+ this.providers.keySet() + ").");
		}
		return new InvalidTokenKitPropertyException(REGISTRATION + id + ".provider", null,
				"it is not set, and the registration's id is neither a provider under " + PREFIX
						+ "provider nor one of " + commonProviders,
				"Set it to a provider configured under " + PREFIX + "provider (configured: " + this.providers.keySet()
						+ "), or configure " + PROVIDER + id + ".token-uri.");
	}

	private static InvalidTokenKitPropertyException noTokenUri(String property) {
		return new InvalidTokenKitPropertyException(property, null,
				"it is not set, nor is the provider's issuer-uri, and TokenKit needs the provider's token endpoint",
				"Set it to the token endpoint of the provider, for example https://auth.example.com/oauth2/token, "
						+ "or set the provider's issuer-uri to find it in the issuer's metadata.");
	}

	private static String leaveToSpringSecurity(String prefix, String reusedBy) {
		if (reusedBy.startsWith("tokenkit.registrations.")) {
			return "Leave this registration to Spring Security's client: remove " + reusedBy + ".";
		}
		return "Leave this registration to Spring Security's client: remove " + reusedBy
				+ " and reuse the registrations TokenKit can serve one by one with "
				+ "tokenkit.registrations.<id>.from-spring-security=true.";
	}

	private static String uncapitalize(String text) {
		return Character.toLowerCase(text.charAt(0)) + text.substring(1);
	}

	private static List<String> commonProviderIds() {
		return List.of("google", "github", "facebook", "x", "okta");
	}

	/**
	 * The settings of a {@code spring.security.oauth2.client.registration.<id>} that
	 * TokenKit uses.
	 *
	 * @param provider the provider id, or {@code null} for the registration's id
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @param clientAuthenticationMethod the client authentication method
	 * @param authorizationGrantType the grant type
	 * @param scope the scopes
	 */
	record Registration(@Nullable String provider, @Nullable String clientId, @Nullable String clientSecret,
			@Nullable String clientAuthenticationMethod, @Nullable String authorizationGrantType,
			@Nullable Set<String> scope) {

		@Override
		public String toString() {
			return "Registration[provider=" + this.provider + ", clientId=" + this.clientId + ", clientSecret="
					+ ((this.clientSecret != null) ? "[REDACTED]" : "none") + "]";
		}

	}

	/**
	 * The settings of a {@code spring.security.oauth2.client.provider.<id>} that TokenKit
	 * uses.
	 *
	 * @param tokenUri the token endpoint
	 * @param issuerUri the issuer, whose metadata gives the token endpoint when no token
	 * URI is set
	 */
	record Provider(@Nullable String tokenUri, @Nullable String issuerUri) {

	}

	private record CommonProvider(@Nullable String tokenUri, String clientAuthenticationMethod) {

	}

}
