package io.tokenkit.autoconfigure;

import java.util.concurrent.TimeUnit;

import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.HttpClientAutoConfiguration;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that the token of a {@code tokenkit.clients} WebClient never follows a redirect
 * to another host, whatever Boot's {@code spring.http.clients.redirects} says. The API is
 * reached as {@code localhost} and redirects to {@code 127.0.0.1}: the same machine, a
 * different host.
 */
class RedirectTokenLeakTests {

	private static final String TOKEN = "sweep-secret-redirected-token";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, HttpClientAutoConfiguration.class,
				ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class,
				TokenKitObservationAutoConfiguration.class, TokenKitAutoConfiguration.class));

	private final MockWebServer api = new MockWebServer();

	private final MockWebServer other = new MockWebServer();

	@BeforeEach
	void start() throws Exception {
		this.api.start();
		this.other.start();
	}

	@AfterEach
	void stop() {
		this.api.close();
		this.other.close();
	}

	@ParameterizedTest(name = "redirects={0}, header={1}")
	@CsvSource({ "'', Authorization", "'', x-access-token", "follow, Authorization", "follow, x-access-token",
			"follow-when-possible, Authorization", "follow-when-possible, x-access-token" })
	void redirectWhenToAnotherHostThenTokenNeverReachesIt(String redirects, String headerName) throws Exception {
		this.api.enqueue(new MockResponse.Builder().code(302)
			.setHeader("Location", "http://127.0.0.1:" + this.other.getPort() + "/x")
			.build());
		this.other.enqueue(new MockResponse.Builder().code(200).body("elsewhere").build());
		ApplicationContextRunner runner = this.contextRunner.withPropertyValues(
				"tokenkit.registrations.api.grant-type=static", "tokenkit.registrations.api.token=" + TOKEN,
				"tokenkit.registrations.api.header-name=" + headerName,
				"tokenkit.registrations.api.header-format="
						+ ("Authorization".equals(headerName) ? "Bearer {token}" : "{token}"),
				"tokenkit.clients.api.base-url=http://localhost:" + this.api.getPort(),
				"tokenkit.clients.api.registration=api");
		if (!redirects.isEmpty()) {
			runner = runner.withPropertyValues("spring.http.clients.redirects=" + redirects);
		}
		runner.run((context) -> {
			assertThat(context).hasNotFailed();
			WebClient client = context.getBean("apiWebClient", WebClient.class);
			Integer status = client.get()
				.uri("/start")
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.block();
			RecordedRequest first = this.api.takeRequest(5, TimeUnit.SECONDS);
			assertThat(first).isNotNull();
			assertThat(first.getHeaders().get(headerName)).contains(TOKEN);
			RecordedRequest redirected = this.other.takeRequest(500, TimeUnit.MILLISECONDS);
			if (redirected != null) {
				assertThat(redirected.getHeaders().toString()).doesNotContain(TOKEN);
			}
			assertThat(status).as("the redirect is handed to the caller, not followed").isEqualTo(302);
			assertThat(redirected).isNull();
		});
	}

}
