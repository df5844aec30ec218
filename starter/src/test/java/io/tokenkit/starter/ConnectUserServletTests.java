package io.tokenkit.starter;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.NoTokenForSubjectException;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "send the user to connect" of {@code docs/per-user-tokens.md} in a servlet
 * application: a request for a user who never connected reaches the application's
 * {@code @ExceptionHandler} for {@link NoTokenForSubjectException}, which redirects to
 * the connect page, with no token call and no API call; once the user's token is saved,
 * the same request is served.
 */
class ConnectUserServletTests {

	private final MockWebServer server = new MockWebServer();

	private final List<String> targets = new CopyOnWriteArrayList<>();

	@BeforeEach
	void start() throws IOException {
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				ConnectUserServletTests.this.targets.add(request.getTarget());
				return new MockResponse.Builder().code(200)
					.body("accounts of the bearer of " + request.getHeaders().get("Authorization"))
					.build();
			}
		});
		this.server.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void requestWhenTheUserNeverConnectedThenTheExceptionHandlerSendsThemToConnectWithNoTokenCall() throws Exception {
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BankApplication.class)
			.web(WebApplicationType.SERVLET)
			.properties("server.port=0", "spring.main.banner-mode=off",
					"tokenkit.registrations.bank.grant-type=refresh_token",
					"tokenkit.registrations.bank.token-uri=" + this.server.url("/oauth2/token"),
					"tokenkit.registrations.bank.client-id=bank-app",
					"tokenkit.registrations.bank.client-secret=bank-secret",
					"tokenkit.clients.bank.base-url=" + this.server.url("/api"),
					"tokenkit.clients.bank.registration=bank", "tokenkit.clients.bank.type=rest-client")
			.run()) {
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			HttpResponse<String> first = get(port, "/accounts?user=dave");
			assertThat(first.statusCode()).isEqualTo(302);
			assertThat(first.headers().firstValue("Location"))
				.hasValueSatisfying((location) -> assertThat(location).endsWith("/bank/connect"));
			assertThat(this.targets).as("token calls and API calls").isEmpty();
			// dave connects: the application saves his first token
			context.getBean(TokenManager.class)
				.save(TokenKey.of("bank", "dave"), AccessToken.withValue("dave-token").build())
				.block();
			HttpResponse<String> second = get(port, "/accounts?user=dave");
			assertThat(second.statusCode()).isEqualTo(200);
			assertThat(second.body()).isEqualTo("accounts of the bearer of Bearer dave-token");
			assertThat(this.targets).containsExactly("/api/accounts");
		}
	}

	private static HttpResponse<String> get(int port, String path) throws Exception {
		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
		return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import({ AccountsController.class, ConnectBank.class })
	static class BankApplication {

	}

	@RestController
	static class AccountsController {

		private final RestClient bank;

		AccountsController(@Qualifier("bank") RestClient bank) {
			this.bank = bank;
		}

		@GetMapping("/accounts")
		String accounts(@RequestParam String user) {
			return this.bank.get()
				.uri("/accounts")
				.attributes(TokenRequestAttributes.subject(user))
				.retrieve()
				.body(String.class);
		}

	}

	/**
	 * As in {@code docs/per-user-tokens.md}: a user without a token is sent to connect.
	 */
	@ControllerAdvice
	static class ConnectBank {

		@ExceptionHandler(NoTokenForSubjectException.class)
		ResponseEntity<Void> connect() {
			return ResponseEntity.status(HttpStatus.FOUND).location(URI.create("/bank/connect")).build();
		}

	}

}
