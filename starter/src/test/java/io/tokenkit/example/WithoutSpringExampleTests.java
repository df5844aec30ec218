// tag::testing-page[]
package io.tokenkit.example;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.tokenkit.test.MockResourceServer;
import io.tokenkit.test.MockTokenServer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static io.tokenkit.test.TokenKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The docs' example of the kit without Spring: the servers started and closed by the
 * test, a plain HTTP client as the code under test.
 */
class WithoutSpringExampleTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void ordersWhenCalledWithTokenOfServerThenAccepted() throws Exception {
		try (MockTokenServer tokenServer = MockTokenServer.start();
				MockResourceServer resourceServer = MockResourceServer.start(tokenServer)) {
			tokenServer.registration("orders").requireClient("example-app", "example-secret");
			// the code under test gets a token from tokenUri and calls the API at baseUrl
			String client = Base64.getEncoder()
				.encodeToString("example-app:example-secret".getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> tokenResponse = this.http
				.send(HttpRequest.newBuilder(URI.create(tokenServer.tokenUri("orders")))
					.header("Authorization", "Basic " + client)
					.header("Content-Type", "application/x-www-form-urlencoded")
					.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=orders.read"))
					.build(), HttpResponse.BodyHandlers.ofString());
			String token = JsonMapper.shared().readTree(tokenResponse.body()).get("access_token").asString();
			HttpResponse<String> orders = this.http
				.send(HttpRequest.newBuilder(URI.create(resourceServer.baseUrl() + "/orders"))
					.header("Authorization", "Bearer " + token)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(orders.statusCode()).isEqualTo(200);
			assertThat(tokenServer).receivedTokenCalls("orders", 1).lastRequest("orders").hasScope("orders.read");
			assertThat(resourceServer).receivedRequests(1).lastToken().isEqualTo(token);
		}
	}

}
// end::testing-page[]
