package io.tokenkit.autoconfigure.saasus;

import java.net.URI;
import java.time.Clock;

import io.tokenkit.autoconfigure.OnPropertyTextCondition;
import io.tokenkit.autoconfigure.TokenCallClients;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.autoconfigure.TokenLifetimeSettings;
import io.tokenkit.autoconfigure.TransportSecurity;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.registration.RegistrationTokenSourceFactory;
import io.tokenkit.saasus.BlockingSaasusClient;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusRequestSigner;
import io.tokenkit.saasus.SaasusRuntimeHints;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.saasus.SaasusTokenSource;
import io.tokenkit.support.BlockingCalls;
import io.tokenkit.support.TokenCallPolicy;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the SaaSus Auth client: a {@link SaasusClient}, its blocking face
 * {@link BlockingSaasusClient}, a {@link SaasusTokenConverter}, and the
 * {@link RegistrationTokenSourceFactory} of {@code grant-type: saasus} registrations. On
 * when {@code tokenkit.saasus.saas-id} has text; {@code api-key} and {@code secret-key}
 * are then required.
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class, after = TokenKitObservationAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@Conditional(SaasusAutoConfiguration.OnSaasusConfiguredCondition.class)
@EnableConfigurationProperties({ SaasusProperties.class, TokenKitProperties.class })
@ImportRuntimeHints(SaasusRuntimeHints.class)
public final class SaasusAutoConfiguration {

	/** The grant type of registrations that hold per-user SaaSus tokens. */
	static final String GRANT_TYPE = "saasus";

	private static final String PREFIX = "tokenkit.saasus.";

	@Bean
	@ConditionalOnMissingBean
	SaasusClient saasusClient(SaasusProperties properties, TokenKitProperties tokenKitProperties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory,
			ObjectProvider<TokenRequestObserver> observer, ObjectProvider<Clock> clock) {
		TokenCallPolicy policy = TokenCallClients.policy(tokenKitProperties.getTokenCalls());
		URI baseUrl = InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "base-url", properties.getBaseUrl(),
				false, "Set it to the SaaSus Auth API base URL, " + SaasusClient.DEFAULT_BASE_URL + ", or remove it.");
		TransportSecurity.requireHttps(PREFIX + "base-url", baseUrl, tokenKitProperties.isAllowInsecureHttp());
		String when = "when tokenkit.saasus.saas-id is set";
		SaasusRequestSigner signer = new SaasusRequestSigner(
				InvalidTokenKitPropertyException.require(PREFIX + "saas-id", properties.getSaasId(), when),
				InvalidTokenKitPropertyException.require(PREFIX + "api-key", properties.getApiKey(), when),
				InvalidTokenKitPropertyException.require(PREFIX + "secret-key", properties.getSecretKey(), when),
				clock.getIfUnique(Clock::systemUTC));
		return new SaasusClient(TokenCallClients.builder(webClientBuilder, beanFactory, policy, PREFIX + "saas-id"),
				baseUrl, signer, observer.getIfUnique(() -> TokenRequestObserver.NOOP), policy);
	}

	@Bean
	@ConditionalOnMissingBean
	BlockingSaasusClient blockingSaasusClient(SaasusClient client, TokenKitProperties tokenKitProperties) {
		return new BlockingSaasusClient(client,
				BlockingCalls.timeout(TokenCallClients.policy(tokenKitProperties.getTokenCalls())));
	}

	@Bean
	@ConditionalOnMissingBean
	SaasusTokenConverter saasusTokenConverter(SaasusProperties properties, TokenKitProperties tokenKitProperties,
			ObjectProvider<Clock> clock) {
		return new SaasusTokenConverter(clock.getIfUnique(Clock::systemUTC),
				TokenLifetimeSettings.withDefault(tokenKitProperties.getTokenLifetime(),
						PREFIX + "default-token-lifetime", properties.getDefaultTokenLifetime()),
				properties.getBearerToken());
	}

	@Bean
	@ConditionalOnMissingBean(name = "saasusRegistrationTokenSourceFactory")
	RegistrationTokenSourceFactory saasusRegistrationTokenSourceFactory(SaasusClient client,
			SaasusTokenConverter converter) {
		return RegistrationTokenSourceFactory.of(GRANT_TYPE,
				(registration) -> new SaasusTokenSource(client, converter));
	}

	/**
	 * Matches when {@code tokenkit.saasus.saas-id} has text.
	 */
	static final class OnSaasusConfiguredCondition extends OnPropertyTextCondition {

		OnSaasusConfiguredCondition() {
			super("SaaSus client", PREFIX + "saas-id");
		}

	}

}
