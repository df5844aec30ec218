package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.tokenkit.discovery.DiscoveredEndpoint;
import io.tokenkit.discovery.ServerMetadata;
import io.tokenkit.discovery.ServerMetadataRegistry;
import io.tokenkit.oauth2.ClientAuthentication;
import io.tokenkit.oauth2.ClientCredentialsTokenSource;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.oauth2.OAuth2TokenClient;
import io.tokenkit.oauth2.OAuth2TokenRevoker;
import io.tokenkit.oauth2.RefreshTokenTokenSource;
import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RevocationSettings;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.TokenLifetimes;
import io.tokenkit.token.TokenSource;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.StringUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Creates the sources of TokenKit's own grant types: {@value #CLIENT_CREDENTIALS},
 * {@value #REFRESH_TOKEN} and {@value #STATIC}. A registration's token endpoint is its
 * {@code token-uri}, else the {@code token_endpoint} of its {@code issuer-uri}'s
 * metadata, fetched when its first token call needs it. A {@value #REFRESH_TOKEN}
 * registration revokes the per-user tokens removed from the manager at its
 * {@code revocation-uri} or its issuer's {@code revocation_endpoint}, unless
 * {@code revoke-on-remove} is false.
 */
final class OAuth2RegistrationTokenSourceFactory implements DpopRegistrationTokenSourceFactory {

	/**
	 * OAuth 2.0 {@code client_credentials}: application tokens from {@code token-uri}.
	 */
	static final String CLIENT_CREDENTIALS = "client_credentials";

	/**
	 * OAuth 2.0 {@code refresh_token}: per-user tokens, or an application token from
	 * {@code refresh-token}.
	 */
	static final String REFRESH_TOKEN = "refresh_token";

	/** A fixed {@code token} that never expires. */
	static final String STATIC = "static";

	private static final Set<String> GRANT_TYPES = Collections
		.unmodifiableSet(new LinkedHashSet<>(List.of(CLIENT_CREDENTIALS, REFRESH_TOKEN, STATIC)));

	private final Supplier<WebClient> webClient;

	private final Function<SslBundle, WebClient> mutualTlsWebClient;

	private final Supplier<@Nullable SslBundles> sslBundles;

	private final TokenCallPolicy policy;

	private final TokenRequestObserver observer;

	private final Clock clock;

	private final boolean allowInsecureHttp;

	private final TokenLifetimes lifetimes;

	private final ServerMetadataRegistry metadata;

	private final DpopKeys dpopKeys;

	/**
	 * Create a factory.
	 * @param webClient supplies the web client of token calls, asked for only when a
	 * registration needs one
	 * @param mutualTlsWebClient gives the web client of token calls that present the
	 * client certificate of an SSL bundle
	 * @param sslBundles supplies Spring Boot's SSL bundles, {@code null} when there are
	 * none
	 * @param policy the timeouts, retries and largest answer of token calls
	 * @param observer the observer of token calls
	 * @param clock the clock
	 * @param allowInsecureHttp whether a token endpoint may be called over plain http on
	 * a host that is not a loopback address
	 * @param lifetimes the lifetime of a token whose answer has no {@code expires_in},
	 * and the longest one believed, if any
	 * @param metadata the metadata of the issuers that registrations name
	 */
	OAuth2RegistrationTokenSourceFactory(Supplier<WebClient> webClient,
			Function<SslBundle, WebClient> mutualTlsWebClient, Supplier<@Nullable SslBundles> sslBundles,
			TokenCallPolicy policy, TokenRequestObserver observer, Clock clock, boolean allowInsecureHttp,
			TokenLifetimes lifetimes, ServerMetadataRegistry metadata) {
		this.webClient = SingletonSupplier.of(webClient);
		this.mutualTlsWebClient = mutualTlsWebClient;
		this.sslBundles = sslBundles;
		this.policy = policy;
		this.observer = observer;
		this.clock = clock;
		this.allowInsecureHttp = allowInsecureHttp;
		this.lifetimes = lifetimes;
		this.metadata = metadata;
		this.dpopKeys = new DpopKeys(sslBundles, clock);
	}

	@Override
	public Set<String> grantTypes() {
		return GRANT_TYPES;
	}

	@Override
	public TokenSource create(RegistrationDefinition registration) {
		String grantType = registration.getGrantType();
		if (!RegistrationDefinition.sameGrantType(grantType, REFRESH_TOKEN)) {
			requireNoRevocation(registration);
		}
		if (RegistrationDefinition.sameGrantType(grantType, CLIENT_CREDENTIALS)) {
			return new ClientCredentialsTokenSource(client(registration, CLIENT_CREDENTIALS), registration.getScopes(),
					registration.getAdditionalParameters(), this.clock, this.lifetimes);
		}
		if (RegistrationDefinition.sameGrantType(grantType, REFRESH_TOKEN)) {
			OAuth2TokenClient client = client(registration, REFRESH_TOKEN);
			return new RefreshTokenTokenSource(client, registration.getScopes(), registration.getRefreshToken(),
					this.clock, this.lifetimes, revoker(registration, client));
		}
		return new StaticTokenSource(registration.require("token", registration.getToken(), "for grant-type static"));
	}

	/**
	 * Return the token endpoint client of a registration: its endpoint, client
	 * authentication and web client (one presenting its client certificate for mutual
	 * TLS).
	 * @param registration the registration
	 * @param grantType the grant type, named in errors
	 * @return the client
	 */
	OAuth2TokenClient client(RegistrationDefinition registration, String grantType) {
		String when = "for grant-type " + grantType;
		TokenEndpointResolver endpoint = tokenEndpoint(registration);
		String clientId = registration.require("client-id", registration.getClientId(), when);
		SslBundles bundles = this.sslBundles.get();
		// the configured issuer is the assertion's default aud, whether or not it gives
		// the endpoint
		String issuer = StringUtils.hasText(registration.getIssuerUri()) ? registration.getIssuerUri().strip() : null;
		ClientAuthentication authentication = RegistrationClientAuthentication.of(registration, clientId, issuer,
				endpoint.getFixedUri(), bundles, this.clock, when);
		SslBundle bundle = ClientKeys.bundle(registration, bundles);
		WebClient webClient = (bundle != null) ? this.mutualTlsWebClient.apply(bundle) : this.webClient.get();
		OAuth2TokenClient client = new OAuth2TokenClient(webClient, endpoint, authentication, registration.getId(),
				"oauth2", this.observer)
			.withPolicy(this.policy);
		return registration.isDpop() ? client.withDpop(this.dpopKeys.proofs(registration)) : client;
	}

	/**
	 * Return the DPoP proofs of a registration with {@code dpop: true} whose source this
	 * factory created, shared with its token calls.
	 * @param registration the registration
	 * @return the proofs, or {@code null} for a static token, which never gets a proof
	 */
	@Override
	public @Nullable DpopProofs dpop(RegistrationDefinition registration) {
		return (registration.isDpop() && !RegistrationDefinition.sameGrantType(registration.getGrantType(), STATIC))
				? this.dpopKeys.proofs(registration) : null;
	}

	/**
	 * Return the clock of token calls.
	 * @return the clock
	 */
	Clock clock() {
		return this.clock;
	}

	/**
	 * Return the lifetime of a token whose answer has no {@code expires_in}, and the
	 * longest one believed.
	 * @return the lifetimes
	 */
	TokenLifetimes lifetimes() {
		return this.lifetimes;
	}

	/**
	 * Return Spring Boot's SSL bundles.
	 * @return the bundles, or {@code null} when there are none
	 */
	@Nullable SslBundles sslBundles() {
		return this.sslBundles.get();
	}

	/**
	 * Return the registration's token endpoint: {@code token-uri} when set, else the one
	 * its {@code issuer-uri}'s metadata lists, both held to the transport rule.
	 */
	private TokenEndpointResolver tokenEndpoint(RegistrationDefinition registration) {
		String tokenUriProperty = registration.property("token-uri");
		String issuerUri = registration.getIssuerUri();
		if ((registration.getTokenUri() == null || registration.getTokenUri().isBlank()) && issuerUri != null
				&& !issuerUri.isBlank()) {
			String issuerProperty = registration.property("issuer-uri");
			URI issuer = InvalidTokenKitPropertyException.requireHttpUrl(issuerProperty, issuerUri, false,
					"Set it to the issuer identifier of the authorization server, for example "
							+ "https://auth.example.com/realms/shop, or set " + tokenUriProperty + " instead.");
			TransportSecurity.requireHttps(issuerProperty, issuer, this.allowInsecureHttp);
			return new DiscoveredEndpoint(registration.getId(), this.metadata.forIssuer(issuerUri.strip()),
					mutualTls(registration), ServerMetadata::tokenEndpoint);
		}
		URI tokenUri = InvalidTokenKitPropertyException.requireHttpUrl(tokenUriProperty, registration.getTokenUri(),
				true,
				"Set " + tokenUriProperty + " to the full URL of the token endpoint, for example "
						+ "https://auth.example.com/oauth2/token, or set " + registration.property("issuer-uri")
						+ " to the issuer identifier of the authorization server.");
		TransportSecurity.requireHttps(tokenUriProperty, tokenUri, this.allowInsecureHttp);
		return TokenEndpointResolver.fixed(tokenUri);
	}

	/**
	 * Return the revoker of the per-user tokens removed from the manager (RFC 7009): at
	 * {@code revocation-uri}, else at the {@code revocation_endpoint} of
	 * {@code issuer-uri}'s metadata, with the token calls' web client and client
	 * authentication; {@code null} when {@code revoke-on-remove} is false or no endpoint
	 * can be known.
	 */
	private @Nullable OAuth2TokenRevoker revoker(RegistrationDefinition registration, OAuth2TokenClient client) {
		RevocationSettings revocation = registration.getRevocation();
		if (Boolean.FALSE.equals(revocation.onRemove())) {
			if (revocation.accessToken()) {
				throw new InvalidTokenKitPropertyException(registration.property("revoke-access-token"), "true",
						"it revokes the access token on remove, and " + registration.property("revoke-on-remove")
								+ " is false: nothing is revoked on remove",
						"Remove " + registration.property("revoke-access-token") + ", or set "
								+ registration.property("revoke-on-remove") + " to true.");
			}
			return null;
		}
		String uriProperty = registration.property("revocation-uri");
		if (StringUtils.hasText(revocation.uri())) {
			URI uri = InvalidTokenKitPropertyException.requireHttpUrl(uriProperty, revocation.uri(), true,
					"Set it to the full URL of the revocation endpoint, for example "
							+ "https://auth.example.com/oauth2/revoke, or remove it to use the revocation_endpoint "
							+ "of the issuer-uri's metadata.");
			TransportSecurity.requireHttps(uriProperty, uri, this.allowInsecureHttp);
			return client.revoker(TokenEndpointResolver.fixed(uri), revocation.accessToken(), this.clock);
		}
		String issuerUri = registration.getIssuerUri();
		if (StringUtils.hasText(issuerUri)) {
			return client.revoker(
					new DiscoveredEndpoint(registration.getId(), this.metadata.forIssuer(issuerUri.strip()),
							mutualTls(registration), ServerMetadata::revocationEndpoint),
					revocation.accessToken(), this.clock);
		}
		if (Boolean.TRUE.equals(revocation.onRemove()) || revocation.accessToken()) {
			String key = revocation.accessToken() ? "revoke-access-token" : "revoke-on-remove";
			throw new InvalidTokenKitPropertyException(registration.property(key), "true",
					"no revocation endpoint is known: neither " + uriProperty + " nor "
							+ registration.property("issuer-uri") + " is set",
					"Set " + uriProperty + " to the authorization server's revocation endpoint, or remove " + key
							+ ".");
		}
		return null;
	}

	/**
	 * Refuse revocation settings on a grant whose tokens are not revoked.
	 */
	private static void requireNoRevocation(RegistrationDefinition registration) {
		RevocationSettings revocation = registration.getRevocation();
		String key = StringUtils.hasText(revocation.uri()) ? "revocation-uri"
				: Boolean.TRUE.equals(revocation.onRemove()) ? "revoke-on-remove"
						: revocation.accessToken() ? "revoke-access-token" : null;
		if (key != null) {
			throw new InvalidTokenKitPropertyException(registration.property(key),
					"revocation-uri".equals(key) ? revocation.uri() : "true",
					"only the per-user tokens of grant-type refresh_token are revoked on remove, and this "
							+ "registration's grant-type is " + registration.getGrantType(),
					"Remove it, or use grant-type refresh_token for per-user tokens.");
		}
	}

	/**
	 * Return whether the registration authenticates with a client certificate (RFC 8705),
	 * so that its token calls go to the mutual TLS alias of the token endpoint when the
	 * issuer's metadata lists one.
	 */
	private static boolean mutualTls(RegistrationDefinition registration) {
		return registration.getClientAuthentication().isMutualTls();
	}

}
