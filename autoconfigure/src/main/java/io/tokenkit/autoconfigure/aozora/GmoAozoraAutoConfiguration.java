package io.tokenkit.autoconfigure.aozora;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.aozora.BlockingGmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraClient;
import io.tokenkit.aozora.GmoAozoraIdTokenVerifier;
import io.tokenkit.aozora.GmoAozoraPushedAuthorizationClient;
import io.tokenkit.aozora.GmoAozoraState;
import io.tokenkit.aozora.GmoAozoraTokenClient;
import io.tokenkit.aozora.GmoAozoraTokenSource;
import io.tokenkit.aozora.InMemoryNonceStore;
import io.tokenkit.aozora.NimbusGmoAozoraIdTokenVerifier;
import io.tokenkit.aozora.NonceStore;
import io.tokenkit.aozora.OneTimeValueNonceStore;
import io.tokenkit.autoconfigure.DpopRegistrationTokenSourceFactory;
import io.tokenkit.autoconfigure.OnPropertyTextCondition;
import io.tokenkit.autoconfigure.TokenCallClients;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.autoconfigure.TokenLifetimeSettings;
import io.tokenkit.autoconfigure.TransportSecurity;
import io.tokenkit.discovery.IssuerMetadata;
import io.tokenkit.discovery.ServerMetadataClient;
import io.tokenkit.discovery.ServerMetadataRegistry;
import io.tokenkit.oauth2.ClientAuthenticationMethod;
import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.oauth2.TokenEndpointResolver;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationDefinition;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.support.BlockingCalls;
import io.tokenkit.support.TokenCallPolicy;
import io.tokenkit.token.InMemoryOneTimeValueStore;
import io.tokenkit.token.OneTimeValueStore;
import io.tokenkit.token.TokenLifetimes;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the GMO Aozora Net Bank authorization client
 * ({@link GmoAozoraClient}) and its blocking face ({@link BlockingGmoAozoraClient}), its
 * {@link NonceStore}, its ID-token verifier (when nimbus-jose-jwt is present) and the
 * token source of {@code grant-type: gmo-aozora} registrations. Active when
 * {@code tokenkit.gmo-aozora.client-id} is set. Nonces go to the
 * {@link OneTimeValueStore} bean when there is one (Redis with
 * {@code tokenkit.store.type=redis}), so that any instance accepts a callback, and stay
 * in memory otherwise; so do the pending requests of {@code pkce}. With {@code par} the
 * requests are pushed to {@code par-uri}, or to the endpoint the issuer's metadata names,
 * the client authenticated as at the token endpoint; {@code check-iss} checks the
 * {@code iss} of callbacks against {@code issuer} (which must then be set, unless PAR
 * reads the issuer's metadata), and without it a callback must carry the {@code iss} the
 * issuer's metadata (read for PAR) says it sends. With {@code dpop: true} on the
 * {@code gmo-aozora} registration (then the only one of that grant type), the token
 * client sends DPoP proofs of the registration's {@code client-key} (or of a key made for
 * this instance) with the code exchange and the refresh, and the registration's requests
 * present the tokens with proofs of that key.
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class, after = TokenKitObservationAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@Conditional(GmoAozoraAutoConfiguration.OnGmoAozoraConfiguredCondition.class)
@EnableConfigurationProperties({ GmoAozoraProperties.class, TokenKitProperties.class })
public final class GmoAozoraAutoConfiguration {

	/** The grant type of registrations that hold per-customer bank tokens. */
	static final String GRANT_TYPE = "gmo-aozora";

	private static final String PREFIX = "tokenkit.gmo-aozora.";

	@Bean
	@ConditionalOnMissingBean
	NonceStore gmoAozoraNonceStore(GmoAozoraProperties properties, ObjectProvider<OneTimeValueStore> oneTimeValues,
			ObjectProvider<Clock> clock) {
		Duration timeToLive = GmoAozoraSettings.nonceTimeToLive(properties);
		OneTimeValueStore shared = oneTimeValues.getIfUnique();
		if (shared != null) {
			return new OneTimeValueNonceStore(shared, OneTimeValueNonceStore.DEFAULT_NAMESPACE, timeToLive);
		}
		return new InMemoryNonceStore(timeToLive, InMemoryNonceStore.DEFAULT_MAX_ENTRIES,
				clock.getIfUnique(Clock::systemUTC));
	}

	@Bean
	@ConditionalOnMissingBean
	GmoAozoraTokenClient gmoAozoraTokenClient(GmoAozoraProperties properties, TokenKitProperties tokenKitProperties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory,
			ObjectProvider<TokenRequestObserver> observer, ObjectProvider<SslBundles> sslBundles,
			ObjectProvider<Clock> clock) {
		GmoAozoraSettings settings = GmoAozoraSettings.of(properties);
		TransportSecurity.requireHttps(PREFIX + "base-url", settings.tokenUri(),
				tokenKitProperties.isAllowInsecureHttp());
		TokenCallPolicy policy = TokenCallClients.policy(tokenKitProperties.getTokenCalls());
		if (properties.getAuthMethod() != ClientAuthenticationMethod.BASIC
				&& properties.getAuthMethod() != ClientAuthenticationMethod.POST) {
			throw new InvalidTokenKitPropertyException(PREFIX + "auth-method",
					properties.getAuthMethod().registeredName(),
					"GMO Aozora Net Bank authenticates clients with client_secret_basic or client_secret_post only",
					"Set it to basic or post, as registered with the bank.");
		}
		GmoAozoraTokenClient client = new GmoAozoraTokenClient(
				TokenCallClients.builder(webClientBuilder, beanFactory, policy, PREFIX + "client-id").build(),
				settings.tokenUri(), settings.clientId(), settings.clientSecret(), properties.getAuthMethod(),
				observer.getIfUnique(() -> TokenRequestObserver.NOOP), policy);
		DpopProofs dpop = TokenCallClients.dpopProofs(tokenKitProperties, GRANT_TYPE, sslBundles,
				clock.getIfUnique(Clock::systemUTC));
		return (dpop != null) ? client.withDpop(dpop) : client;
	}

	@Bean
	@ConditionalOnMissingBean
	GmoAozoraClient gmoAozoraClient(GmoAozoraProperties properties, TokenKitProperties tokenKitProperties,
			GmoAozoraTokenClient tokenClient, NonceStore nonceStore,
			ObjectProvider<GmoAozoraIdTokenVerifier> idTokenVerifier, ObjectProvider<Clock> clock,
			ObjectProvider<OneTimeValueStore> oneTimeValues, ObjectProvider<WebClient.Builder> webClientBuilder,
			BeanFactory beanFactory, ObjectProvider<TokenRequestObserver> observer,
			ObjectProvider<ServerMetadataRegistry> metadata) {
		GmoAozoraSettings settings = GmoAozoraSettings.of(properties);
		Clock effectiveClock = clock.getIfUnique(Clock::systemUTC);
		URI parUri = GmoAozoraSettings.parUri(properties);
		GmoAozoraClient client = new GmoAozoraClient(settings.authorizationUri(), settings.redirectUri(),
				properties.getScopes(), new GmoAozoraState(settings.stateSalt()), tokenClient, nonceStore,
				idTokenVerifier.getIfAvailable(), effectiveClock,
				TokenLifetimeSettings.of(tokenKitProperties.getTokenLifetime()));
		if (properties.isPkce()) {
			client = client.withPkce(oneTimeValues.getIfUnique(() -> new InMemoryOneTimeValueStore(effectiveClock)),
					GmoAozoraSettings.nonceTimeToLive(properties));
		}
		IssuerMetadata discovered = null;
		if (properties.isPar()) {
			TokenCallPolicy policy = TokenCallClients.policy(tokenKitProperties.getTokenCalls());
			WebClient webClient = TokenCallClients.builder(webClientBuilder, beanFactory, policy, PREFIX + "par-uri")
				.build();
			TokenEndpointResolver endpoint;
			if (parUri != null) {
				endpoint = TokenEndpointResolver.fixed(TransportSecurity.requireHttps(PREFIX + "par-uri", parUri,
						tokenKitProperties.isAllowInsecureHttp()));
			}
			else {
				ServerMetadataRegistry registry = metadata.getIfAvailable(() -> ServerMetadataRegistry.withClient(
						() -> new ServerMetadataClient(webClient, policy, tokenKitProperties.isAllowInsecureHttp()),
						ServerMetadataRegistry.DEFAULT_COOL_DOWN, effectiveClock));
				discovered = registry.forIssuer(settings.issuer());
				endpoint = GmoAozoraPushedAuthorizationClient.endpointOf(discovered);
			}
			client = client.withPushedAuthorization(
					new GmoAozoraPushedAuthorizationClient(webClient, endpoint, tokenClient.getAuthentication(),
							observer.getIfUnique(() -> TokenRequestObserver.NOOP), policy, effectiveClock));
		}
		String callbackIssuer = GmoAozoraSettings.callbackIssuer(properties, settings);
		if (callbackIssuer != null) {
			client = client.withIssuerCheck(callbackIssuer);
		}
		else if (discovered != null) {
			client = client.withIssuerMetadata(discovered);
		}
		return client;
	}

	@Bean
	@ConditionalOnMissingBean
	BlockingGmoAozoraClient blockingGmoAozoraClient(GmoAozoraClient client, TokenKitProperties tokenKitProperties) {
		return new BlockingGmoAozoraClient(client,
				BlockingCalls.timeout(TokenCallClients.policy(tokenKitProperties.getTokenCalls())));
	}

	@Bean
	@ConditionalOnMissingBean(name = "gmoAozoraRegistrationTokenSourceFactory")
	RegistrationTokenSourceFactory gmoAozoraRegistrationTokenSourceFactory(GmoAozoraTokenClient tokenClient,
			TokenKitProperties tokenKitProperties, ObjectProvider<Clock> clock) {
		Clock effectiveClock = clock.getIfUnique(Clock::systemUTC);
		TokenLifetimes lifetimes = TokenLifetimeSettings.of(tokenKitProperties.getTokenLifetime());
		return DpopRegistrationTokenSourceFactory.of(GRANT_TYPE, (registration) -> {
			dpop(registration, tokenClient);
			return new GmoAozoraTokenSource(tokenClient.forRegistration(registration.getId()), effectiveClock,
					lifetimes);
		}, (registration) -> dpop(registration, tokenClient));
	}

	/**
	 * Return the DPoP proofs of a registration: those of the token client, which must
	 * send them exactly when the registration has {@code dpop: true}.
	 */
	private static @Nullable DpopProofs dpop(RegistrationDefinition registration, GmoAozoraTokenClient tokenClient) {
		DpopProofs proofs = tokenClient.getDpop();
		if (registration.isDpop() != (proofs != null)) {
			throw new InvalidTokenKitPropertyException(registration.property("dpop"),
					String.valueOf(registration.isDpop()),
					"the GmoAozoraTokenClient bean " + ((proofs != null) ? "sends" : "sends no")
							+ " DPoP proofs, and the registration's requests must present its tokens "
							+ ((proofs != null) ? "with proofs of its key" : "without"),
					"Set dpop to " + (proofs != null) + ", or give your GmoAozoraTokenClient bean "
							+ ((proofs != null) ? "no DPoP" : "DPoP (withDpop)") + ".");
		}
		return proofs;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "com.nimbusds.jose.crypto.MACVerifier")
	static class IdTokenVerifierConfiguration {

		@Bean
		@ConditionalOnMissingBean
		GmoAozoraIdTokenVerifier gmoAozoraIdTokenVerifier(GmoAozoraProperties properties, NonceStore nonceStore,
				ObjectProvider<Clock> clock) {
			GmoAozoraSettings settings = GmoAozoraSettings.of(properties);
			return new NimbusGmoAozoraIdTokenVerifier(settings.clientId(), settings.clientSecret(), settings.issuer(),
					properties.getIdTokenLeeway(), nonceStore, clock.getIfUnique(Clock::systemUTC));
		}

	}

	/**
	 * Matches when {@code tokenkit.gmo-aozora.client-id} has text.
	 */
	static final class OnGmoAozoraConfiguredCondition extends OnPropertyTextCondition {

		OnGmoAozoraConfiguredCondition() {
			super("GMO Aozora client", PREFIX + "client-id");
		}

	}

}
