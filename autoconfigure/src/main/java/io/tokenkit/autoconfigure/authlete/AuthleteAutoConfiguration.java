package io.tokenkit.autoconfigure.authlete;

import java.net.URI;

import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.authlete.AuthleteRuntimeHints;
import io.tokenkit.authlete.BlockingAuthleteClient;
import io.tokenkit.autoconfigure.OnPropertyTextCondition;
import io.tokenkit.autoconfigure.TokenCallClients;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitProperties;
import io.tokenkit.autoconfigure.TransportSecurity;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.observation.TokenRequestObserver;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
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
 * Auto-configuration of the {@link AuthleteClient}: one client for the service configured
 * under {@code tokenkit.authlete.*}, and its blocking face
 * {@link BlockingAuthleteClient}. On when {@code tokenkit.authlete.service-id} has text;
 * {@code access-token} is then required.
 */
@AutoConfiguration(before = TokenKitAutoConfiguration.class, after = TokenKitObservationAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@Conditional(AuthleteAutoConfiguration.OnAuthleteConfiguredCondition.class)
@EnableConfigurationProperties({ AuthleteProperties.class, TokenKitProperties.class })
@ImportRuntimeHints(AuthleteRuntimeHints.class)
public final class AuthleteAutoConfiguration {

	private static final String PREFIX = "tokenkit.authlete.";

	@Bean
	@ConditionalOnMissingBean
	AuthleteClient authleteClient(AuthleteProperties properties, TokenKitProperties tokenKitProperties,
			ObjectProvider<WebClient.Builder> webClientBuilder, BeanFactory beanFactory,
			ObjectProvider<TokenRequestObserver> observer) {
		String serviceId = InvalidTokenKitPropertyException
			.require(PREFIX + "service-id", properties.getServiceId(), "for the Authlete client")
			.strip();
		if (!serviceId.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new InvalidTokenKitPropertyException(PREFIX + "service-id", serviceId,
					"it is not a numeric Authlete service ID",
					"Set it to the service ID shown in the Authlete console, for example 715948317.");
		}
		String accessToken = InvalidTokenKitPropertyException.require(PREFIX + "access-token",
				properties.getAccessToken(), "when tokenkit.authlete.service-id is set");
		URI baseUrl = InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "base-url", properties.getBaseUrl(),
				false, "Set it to the base URL of your service's cluster, for example https://us.authlete.com, "
						+ "https://jp.authlete.com, https://eu.authlete.com or https://br.authlete.com.");
		TransportSecurity.requireHttps(PREFIX + "base-url", baseUrl, tokenKitProperties.isAllowInsecureHttp());
		TokenCallPolicy policy = TokenCallClients.policy(tokenKitProperties.getTokenCalls());
		return new AuthleteClient(
				TokenCallClients.builder(webClientBuilder, beanFactory, policy, PREFIX + "service-id"), baseUrl,
				serviceId, accessToken.strip(), observer.getIfUnique(() -> TokenRequestObserver.NOOP), policy);
	}

	@Bean
	@ConditionalOnMissingBean
	BlockingAuthleteClient blockingAuthleteClient(AuthleteClient client, TokenKitProperties tokenKitProperties) {
		return new BlockingAuthleteClient(client,
				BlockingCalls.timeout(TokenCallClients.policy(tokenKitProperties.getTokenCalls())));
	}

	/**
	 * Matches when {@code tokenkit.authlete.service-id} has text.
	 */
	static final class OnAuthleteConfiguredCondition extends OnPropertyTextCondition {

		OnAuthleteConfiguredCondition() {
			super("Authlete client", PREFIX + "service-id");
		}

	}

}
