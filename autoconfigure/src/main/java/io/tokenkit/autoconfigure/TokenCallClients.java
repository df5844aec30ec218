package io.tokenkit.autoconfigure;

import java.time.Clock;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.DpopProofs;
import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.support.TokenCallPolicy;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Maps {@code tokenkit.token-calls.*} to the {@link TokenCallPolicy} of TokenKit's own
 * clients, and gives their {@link WebClient.Builder} a connector with TokenKit's timeouts
 * and no redirects, built by Spring Boot's {@link ClientHttpConnectorBuilder} from its
 * {@link HttpClientSettings}, so that Boot's choice of connector and its SSL bundle still
 * apply.
 */
public final class TokenCallClients {

	private static final String PREFIX = "tokenkit.token-calls.";

	private TokenCallClients() {
	}

	/**
	 * Return the policy of token and vendor API calls, checked.
	 * @param calls the properties
	 * @return the policy
	 */
	public static TokenCallPolicy policy(TokenKitProperties.TokenCalls calls) {
		Duration connectTimeout = InvalidTokenKitPropertyException.requirePositive(PREFIX + "connect-timeout",
				calls.getConnectTimeout());
		Duration responseTimeout = InvalidTokenKitPropertyException.requirePositive(PREFIX + "response-timeout",
				calls.getResponseTimeout());
		Duration retryBackoff = InvalidTokenKitPropertyException.requirePositive(PREFIX + "retry-backoff",
				calls.getRetryBackoff());
		if (calls.getMaxRetries() < 0) {
			throw new InvalidTokenKitPropertyException(PREFIX + "max-retries", String.valueOf(calls.getMaxRetries()),
					"it must not be negative", "Set it to 0 for no retries, or remove it to use the default (2).");
		}
		DataSize maxAnswerSize = calls.getMaxAnswerSize();
		if (maxAnswerSize == null || maxAnswerSize.toBytes() <= 0 || maxAnswerSize.toBytes() > Integer.MAX_VALUE) {
			throw new InvalidTokenKitPropertyException(PREFIX + "max-answer-size", String.valueOf(maxAnswerSize),
					"it must be positive and below 2GB", "Set it to a size such as 256KB, or remove it.");
		}
		return new TokenCallPolicy(connectTimeout, responseTimeout, calls.getMaxRetries(), retryBackoff, maxAnswerSize);
	}

	/**
	 * Return the DPoP proofs of a vendor's one token client, when the registration of its
	 * grant type has {@code dpop: true}: signed with the registration's
	 * {@code client-key}, or without one with a key made for this instance. Called once,
	 * for the vendor's token client bean, whose tokens any registration of that grant
	 * type may hold, so a registration with {@code dpop: true} must be the only one of
	 * its grant type.
	 * @param properties the properties
	 * @param grantType the vendor's grant type
	 * @param bundles Spring Boot's SSL bundles, asked for only when a
	 * {@code client-key.ssl-bundle} is configured
	 * @param clock the clock of the proofs' {@code iat}
	 * @return the proofs, or {@code null} when no registration of the grant type has
	 * {@code dpop: true}
	 * @throws InvalidTokenKitPropertyException if another registration has the grant type
	 * too, or the client key cannot sign proofs
	 */
	public static @Nullable DpopProofs dpopProofs(TokenKitProperties properties, String grantType,
			ObjectProvider<SslBundles> bundles, Clock clock) {
		return new DpopKeys(bundles::getIfAvailable, clock).proofsOfGrantType(properties, grantType);
	}

	/**
	 * Return Spring Boot's {@code WebClient.Builder} with a connector bounded by the
	 * policy's timeouts that follows no redirects.
	 * @param builder the builder provider
	 * @param beanFactory where to find Boot's {@link ClientHttpConnectorBuilder} and
	 * {@link HttpClientSettings}
	 * @param policy the policy
	 * @param property the property that configured what needs the builder
	 * @return a builder
	 */
	public static WebClient.Builder builder(ObjectProvider<WebClient.Builder> builder, BeanFactory beanFactory,
			TokenCallPolicy policy, String property) {
		return builder(builder, beanFactory, policy, property, null);
	}

	/**
	 * Return Spring Boot's {@code WebClient.Builder} with a connector bounded by the
	 * policy's timeouts that follows no redirects and, when given, uses an SSL bundle:
	 * its key store gives the client certificate of mutual TLS, its trust store the
	 * servers trusted.
	 * @param builder the builder provider
	 * @param beanFactory where to find Boot's {@link ClientHttpConnectorBuilder} and
	 * {@link HttpClientSettings}
	 * @param policy the policy
	 * @param property the property that configured what needs the builder
	 * @param sslBundle the SSL bundle of the connections, or {@code null} for Boot's
	 * settings
	 * @return a builder
	 */
	static WebClient.Builder builder(ObjectProvider<WebClient.Builder> builder, BeanFactory beanFactory,
			TokenCallPolicy policy, String property, @Nullable SslBundle sslBundle) {
		WebClient.Builder result = TokenKitAutoConfiguration.requireBuilder(builder, property);
		// Looked up here, not in bean method signatures: spring-boot-http-client comes
		// with spring-boot-webclient, whose builder was just found.
		ClientHttpConnectorBuilder<?> connectorBuilder = beanFactory.getBeanProvider(ClientHttpConnectorBuilder.class)
			.getIfAvailable(ClientHttpConnectorBuilder::detect);
		HttpClientSettings settings = beanFactory.getBeanProvider(HttpClientSettings.class)
			.getIfAvailable(HttpClientSettings::defaults)
			.withTimeouts(policy.connectTimeout(), policy.responseTimeout())
			.withRedirects(HttpRedirects.DONT_FOLLOW);
		if (sslBundle != null) {
			settings = settings.withSslBundle(sslBundle);
		}
		ClientHttpConnector connector = connectorBuilder.build(settings);
		return result.clientConnector(connector);
	}

}
