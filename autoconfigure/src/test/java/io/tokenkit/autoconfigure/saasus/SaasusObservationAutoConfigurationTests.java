package io.tokenkit.autoconfigure.saasus;

import java.time.Duration;

import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.autoconfigure.TokenKitObservationAutoConfiguration;
import io.tokenkit.saasus.SaasusClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webclient.autoconfigure.WebClientObservationAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The auto-configured {@link SaasusClient} with Boot's {@code http.client.requests}
 * observation: the query, which carries the refresh token, reaches no key value.
 */
class SaasusObservationAutoConfigurationTests {

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void start() throws Exception {
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void refreshWhenBootObservesWebClientThenUrlHasNoQuery() {
		TestObservationRegistry registry = TestObservationRegistry.create();
		new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(ObservationAutoConfiguration.class, WebClientAutoConfiguration.class,
							WebClientObservationAutoConfiguration.class, TokenKitObservationAutoConfiguration.class,
							SaasusAutoConfiguration.class, TokenKitAutoConfiguration.class))
			.withBean(TestObservationRegistry.class, () -> registry)
			.withPropertyValues("tokenkit.saasus.saas-id=saas-1", "tokenkit.saasus.api-key=ak-1",
					"tokenkit.saasus.secret-key=sk-1", "tokenkit.saasus.base-url=" + this.server.url("/v1/auth"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				this.server.enqueue(new MockResponse.Builder().code(200)
					.setHeader("Content-Type", "application/json")
					.body("{\"id_token\":\"i\",\"access_token\":\"a\"}")
					.build());
				context.getBean(SaasusClient.class).refreshCredentials("rt-observed").block(Duration.ofSeconds(10));
				// Spring's client observation may stop on another thread just after the
				// call completes
				Awaitility.await()
					.atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
						.hasObservationWithNameEqualTo("http.client.requests")
						.that()
						.hasBeenStopped()
						.hasHighCardinalityKeyValue("http.url", this.server.url("/v1/auth/credentials").toString()));
				TestObservationRegistryAssert.assertThat(registry)
					.hasObservationWithNameEqualTo("tokenkit.token.requests")
					.that()
					.hasLowCardinalityKeyValue("client", "saasus")
					.hasLowCardinalityKeyValue("operation", "refresh");
			});
	}

}
