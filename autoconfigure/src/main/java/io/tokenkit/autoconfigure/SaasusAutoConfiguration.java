package io.tokenkit.autoconfigure;

import java.net.URI;
import java.time.Clock;

import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.saasus.SaasusClient;
import io.tokenkit.saasus.SaasusRequestSigner;
import io.tokenkit.saasus.SaasusTokenConverter;
import io.tokenkit.saasus.SaasusTokenSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the SaaSus Auth client: a {@link SaasusClient} when any of
 * {@code tokenkit.saasus.saas-id}, {@code api-key} or {@code secret-key} has text (and
 * then all three must), a {@link SaasusTokenConverter}, and the
 * {@link RegistrationTokenSourceFactory} of {@code grant-type: saasus} registrations.
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class, after = TokenKitObservationAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@EnableConfigurationProperties(SaasusProperties.class)
public final class SaasusAutoConfiguration {

	private static final String PREFIX = "tokenkit.saasus.";

	@Bean
	@ConditionalOnMissingBean
	@Conditional(OnSaasusConfiguredCondition.class)
	SaasusClient saasusClient(SaasusProperties properties, ObjectProvider<WebClient.Builder> webClientBuilder,
			ObjectProvider<TokenRequestObserver> observer, ObjectProvider<Clock> clock) {
		URI baseUrl = baseUrl(properties.getBaseUrl());
		String when = "when the SaaSus client is configured (any of saas-id, api-key, secret-key is set)";
		SaasusRequestSigner signer = new SaasusRequestSigner(
				InvalidTokenKitPropertyException.require(PREFIX + "saas-id", properties.getSaasId(), when),
				InvalidTokenKitPropertyException.require(PREFIX + "api-key", properties.getApiKey(), when),
				InvalidTokenKitPropertyException.require(PREFIX + "secret-key", properties.getSecretKey(), when),
				clock.getIfUnique(Clock::systemUTC));
		return new SaasusClient(webClientBuilder.getObject(), baseUrl, signer,
				observer.getIfUnique(() -> TokenRequestObserver.NOOP));
	}

	@Bean
	@ConditionalOnMissingBean
	SaasusTokenConverter saasusTokenConverter(SaasusProperties properties, ObjectProvider<Clock> clock) {
		if (properties.getDefaultTokenLifetime().isNegative() || properties.getDefaultTokenLifetime().isZero()) {
			throw new InvalidTokenKitPropertyException(PREFIX + "default-token-lifetime",
					properties.getDefaultTokenLifetime().toString(), "it must be positive",
					"Set it to a positive duration such as 1h, or remove it.");
		}
		return new SaasusTokenConverter(clock.getIfUnique(Clock::systemUTC), properties.getDefaultTokenLifetime(),
				properties.getBearerToken());
	}

	@Bean
	@ConditionalOnMissingBean(name = "saasusRegistrationTokenSourceFactory")
	RegistrationTokenSourceFactory saasusRegistrationTokenSourceFactory(ObjectProvider<SaasusClient> client,
			ObjectProvider<SaasusTokenConverter> converter) {
		return (registrationId, registration) -> {
			if (registration.getGrantType() != GrantType.SAASUS) {
				return null;
			}
			SaasusClient saasusClient = client.getIfUnique();
			return (saasusClient != null) ? new SaasusTokenSource(saasusClient, converter.getObject()) : null;
		};
	}

	private static URI baseUrl(String value) {
		return InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "base-url", value, false,
				"Set it to the SaaSus Auth API base URL, " + SaasusClient.DEFAULT_BASE_URL + ", or remove it.");
	}

	/**
	 * Matches when any of {@code saas-id}, {@code api-key}, {@code secret-key} has text,
	 * so that empty placeholders such as {@code ${SAASUS_API_KEY:}} leave the client off.
	 */
	static final class OnSaasusConfiguredCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("SaaSus client");
			for (String name : new String[] { "saas-id", "api-key", "secret-key" }) {
				if (StringUtils.hasText(context.getEnvironment().getProperty(PREFIX + name))) {
					return ConditionOutcome.match(message.found("property").items(PREFIX + name));
				}
			}
			return ConditionOutcome.noMatch(message.didNotFind("property")
				.items(PREFIX + "saas-id", PREFIX + "api-key", PREFIX + "secret-key"));
		}

	}

}
