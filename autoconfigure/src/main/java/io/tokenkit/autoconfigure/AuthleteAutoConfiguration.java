package io.tokenkit.autoconfigure;

import java.net.URI;

import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.observation.TokenRequestObserver;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Auto-configuration of the {@link AuthleteClient}: one client for the service configured
 * under {@code tokenkit.authlete.*}, created when {@code service-id} or
 * {@code access-token} is set, and checked at start-up.
 */
@AutoConfiguration(after = TokenKitAutoConfiguration.class,
		afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(WebClient.class)
@Conditional(AuthleteAutoConfiguration.AuthleteConfiguredCondition.class)
@EnableConfigurationProperties(AuthleteProperties.class)
public final class AuthleteAutoConfiguration {

	private static final String PREFIX = "tokenkit.authlete.";

	@Bean
	@ConditionalOnMissingBean
	AuthleteClient tokenKitAuthleteClient(AuthleteProperties properties,
			ObjectProvider<WebClient.Builder> webClientBuilder, ObjectProvider<TokenRequestObserver> observer) {
		String serviceId = InvalidTokenKitPropertyException.require(PREFIX + "service-id", properties.getServiceId(),
				"for the Authlete client");
		if (!serviceId.chars().allMatch((c) -> c >= '0' && c <= '9')) {
			throw new InvalidTokenKitPropertyException(PREFIX + "service-id", serviceId,
					"it is not a numeric Authlete service ID",
					"Set it to the service ID shown in the Authlete console, for example 715948317.");
		}
		String accessToken = InvalidTokenKitPropertyException.require(PREFIX + "access-token",
				properties.getAccessToken(), "when tokenkit.authlete.service-id is set");
		return new AuthleteClient(webClientBuilder.getObject(), baseUrl(properties.getBaseUrl()), serviceId,
				accessToken.strip(), observer.getIfAvailable(() -> TokenRequestObserver.NOOP));
	}

	private static URI baseUrl(String value) {
		return InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "base-url", value, false,
				"Set it to the base URL of your service's cluster, for example https://us.authlete.com, "
						+ "https://jp.authlete.com, https://eu.authlete.com or https://br.authlete.com.");
	}

	/**
	 * Matches when {@code tokenkit.authlete.service-id} or
	 * {@code tokenkit.authlete.access-token} is set, so that setting only one of them
	 * fails with a clear message instead of silently doing nothing.
	 */
	static final class AuthleteConfiguredCondition extends AnyNestedCondition {

		AuthleteConfiguredCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(prefix = "tokenkit.authlete", name = "service-id")
		static final class ServiceIdSet {

		}

		@ConditionalOnProperty(prefix = "tokenkit.authlete", name = "access-token")
		static final class AccessTokenSet {

		}

	}

}
