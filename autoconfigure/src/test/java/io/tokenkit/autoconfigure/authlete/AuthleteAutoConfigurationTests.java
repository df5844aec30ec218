package io.tokenkit.autoconfigure.authlete;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

import io.tokenkit.authlete.AuthleteClient;
import io.tokenkit.authlete.BlockingAuthleteClient;
import io.tokenkit.authlete.TokenRevokeRequest;
import io.tokenkit.authlete.TokenRevokeResponse;
import io.tokenkit.autoconfigure.TokenKitAutoConfiguration;
import io.tokenkit.registration.InvalidTokenKitPropertyException;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AuthleteAutoConfiguration}.
 */
class AuthleteAutoConfigurationTests {

	private static final String TOKEN = "svc-secret-9f3";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(WebClientAutoConfiguration.class, TokenKitAutoConfiguration.class,
				AuthleteAutoConfiguration.class));

	@Test
	void clientWhenNotConfiguredThenAbsent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(AuthleteClient.class);
		});
	}

	@Test
	void clientWhenOnlyBaseUrlSetThenAbsent() {
		this.contextRunner.withPropertyValues("tokenkit.authlete.base-url=https://jp.authlete.com")
			.run((context) -> assertThat(context).doesNotHaveBean(AuthleteClient.class));
	}

	@Test
	void clientWhenConfiguredThenUsesDefaultUsCluster() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> {
				assertThat(context).hasSingleBean(AuthleteClient.class);
				AuthleteClient client = context.getBean(AuthleteClient.class);
				assertThat(client.getBaseUrl()).isEqualTo(URI.create("https://us.authlete.com"));
				assertThat(client.getServiceId()).isEqualTo("715948317");
			});
	}

	@Test
	void clientWhenConfiguredThenCallsConfiguredBaseUrlWithServiceIdAndBearerToken() throws IOException {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().code(204).build());
			this.contextRunner
				.withPropertyValues("tokenkit.authlete.base-url=" + server.url("/"),
						"tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
				.run((context) -> {
					context.getBean(AuthleteClient.class).deleteAccessToken("ath-1").block(Duration.ofSeconds(10));
					RecordedRequest request = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
					assertThat(request.getMethod()).isEqualTo("DELETE");
					assertThat(request.getTarget()).isEqualTo("/api/715948317/auth/token/delete/ath-1");
					assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
				});
		}
	}

	@Test
	void clientWhenUserDefinesOneThenUsersWins() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> {
				assertThat(context).hasSingleBean(AuthleteClient.class);
				assertThat(context.getBean(AuthleteClient.class).getServiceId()).isEqualTo("42");
			});
	}

	@Test
	void clientWhenAccessTokenMissingThenFailsNamingIt() {
		this.contextRunner.withPropertyValues("tokenkit.authlete.service-id=715948317")
			.run((context) -> assertInvalid(context, "tokenkit.authlete.access-token", null));
	}

	@Test
	void clientWhenServiceIdIsAnEmptyPlaceholderThenNoAuthleteBean() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AuthleteClient.class)
				.doesNotHaveBean(AuthleteProperties.class));
	}

	@Test
	void clientWhenAccessTokenIsAnEmptyPlaceholderThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=")
			.run((context) -> assertInvalid(context, "tokenkit.authlete.access-token", null));
	}

	@Test
	void clientWhenConfiguredThenBeanIsNamedAuthleteClient() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertThat(context).hasBean("authleteClient"));
	}

	@Test
	void clientWhenServiceIdNotNumericThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=my-service", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertInvalid(context, "tokenkit.authlete.service-id", "my-service"));
	}

	@Test
	void clientWhenBaseUrlNotHttpThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.base-url=ftp://us.authlete.com",
					"tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertInvalid(context, "tokenkit.authlete.base-url", "ftp://us.authlete.com"));
	}

	@Test
	void clientWhenBaseUrlNotAUrlThenFailsNamingIt() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.base-url=us authlete com", "tokenkit.authlete.service-id=715948317",
					"tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertInvalid(context, "tokenkit.authlete.base-url", "us authlete com"));
	}

	@Test
	void clientWhenBaseUrlHasCredentialsThenFailsWithoutShowingThem() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.base-url=https://user:pw@us.authlete.com",
					"tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> {
				assertInvalid(context, "tokenkit.authlete.base-url", null);
				assertThat(context.getStartupFailure()).rootCause().message().doesNotContain("pw");
			});
	}

	@Test
	void blockingClientWhenConfiguredThenCallsThroughTheConfiguredClient() throws IOException {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().code(200)
				.setHeader("Content-Type", "application/json")
				.body("{\"resultCode\":\"A312001\",\"count\":2}")
				.build());
			this.contextRunner
				.withPropertyValues("tokenkit.authlete.base-url=" + server.url("/"),
						"tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
				.run((context) -> {
					assertThat(context).hasSingleBean(BlockingAuthleteClient.class);
					BlockingAuthleteClient blocking = context.getBean(BlockingAuthleteClient.class);
					assertThat(blocking.getTimeout()).isEqualTo(Duration.ofMillis(47_600));
					TokenRevokeResponse response = blocking.revokeTokens(TokenRevokeRequest.client("my-client"));
					assertThat(response.count()).isEqualTo(2);
					RecordedRequest request = server.takeRequest(5, java.util.concurrent.TimeUnit.SECONDS);
					assertThat(request.getTarget()).isEqualTo("/api/715948317/auth/token/revoke");
					assertThat(request.getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
				});
		}
	}

	@Test
	void blockingClientWhenTokenCallsSetThenTimeLimitFollowsThem() {
		this.contextRunner
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN,
					"tokenkit.token-calls.connect-timeout=1s", "tokenkit.token-calls.response-timeout=2s",
					"tokenkit.token-calls.max-retries=1", "tokenkit.token-calls.retry-backoff=100ms")
			// 2 attempts of 3 s, 1 backoff of 200 ms, 1 s
			.run((context) -> assertThat(context.getBean(BlockingAuthleteClient.class).getTimeout())
				.isEqualTo(Duration.ofMillis(7_200)));
	}

	@Test
	void blockingClientWhenNotConfiguredThenAbsent() {
		this.contextRunner
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(BlockingAuthleteClient.class));
	}

	@Test
	void blockingClientWhenUserDefinesOneThenUserBeanWins() {
		this.contextRunner.withUserConfiguration(UserBlockingClientConfiguration.class)
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertThat(context).getBean(BlockingAuthleteClient.class)
				.isSameAs(UserBlockingClientConfiguration.CLIENT));
	}

	@Test
	void blockingClientWhenUserDefinesTheClientThenFrontsIt() {
		this.contextRunner.withUserConfiguration(UserClientConfiguration.class)
			.withPropertyValues("tokenkit.authlete.service-id=715948317", "tokenkit.authlete.access-token=" + TOKEN)
			.run((context) -> assertThat(context.getBean(BlockingAuthleteClient.class).getServiceId()).isEqualTo("42"));
	}

	private static void assertInvalid(AssertableApplicationContext context, String property, String value) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOfSatisfying(InvalidTokenKitPropertyException.class, (ex) -> {
				assertThat(ex.getProperty()).isEqualTo(property);
				assertThat(ex.getValue()).isEqualTo(value);
				assertThat(ex.getMessage()).doesNotContain(TOKEN);
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBlockingClientConfiguration {

		static final BlockingAuthleteClient CLIENT = new BlockingAuthleteClient(
				new AuthleteClient(WebClient.builder(), URI.create("https://jp.authlete.com"), "7", "user-token"));

		@Bean
		BlockingAuthleteClient userBlockingAuthleteClient() {
			return CLIENT;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		@Bean
		AuthleteClient myAuthleteClient() {
			return new AuthleteClient(WebClient.builder(), URI.create("https://jp.authlete.com"), "42", "user-token");
		}

	}

}
