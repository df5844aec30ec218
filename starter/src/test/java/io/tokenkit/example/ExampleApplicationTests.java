// tag::testing-page[]
package io.tokenkit.example;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.tokenkit.test.AutoConfigureMockTokenServer;
import io.tokenkit.test.IssuedTokens;
import io.tokenkit.test.MockResourceServer;
import io.tokenkit.test.MockTokenServer;
import io.tokenkit.test.TokenRequest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;

import static io.tokenkit.test.TokenKitAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example of the docs' testing page: TokenKit in a tiny application, against the
 * kit's mock token server and resource-server stand-in, through the annotation and the
 * assertions only.
 */
@SpringBootTest(classes = ExampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("example")
@AutoConfigureMockTokenServer(clients = { "orders", "bank" })
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class ExampleApplicationTests {

	@Autowired
	private MockTokenServer tokenServer;

	@Autowired
	private MockResourceServer resourceServer;

	@Autowired
	private ExampleApplication.Orders orders;

	@Autowired
	private ExampleApplication.Bank bank;

	@Test
	void ordersWhen100ConcurrentRequestsThenOneTokenCall() throws Exception {
		// a slow token endpoint: every request arrives while the one token call runs
		this.tokenServer.registration("orders").delay(Duration.ofMillis(300));
		List<Callable<String>> requests = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			requests.add(this.orders::list);
		}
		ExecutorService threads = Executors.newFixedThreadPool(100);
		try {
			for (Future<String> answer : threads.invokeAll(requests)) {
				assertThat(answer.get()).contains("\"path\":\"/orders\"");
			}
		}
		finally {
			threads.shutdown();
		}
		assertThat(this.tokenServer).receivedTokenCalls("orders", 1)
			.lastRequest("orders")
			.hasGrantType("client_credentials")
			.hasClientId("example-app")
			.hasScope("orders.read");
		assertThat(this.resourceServer).receivedRequests(100).answered(200, 100);
	}

	@Test
	void ordersWhenTokenRejectedWith401ThenNewTokenAndRequestReplayedOnce() {
		this.orders.list();
		String rejected = this.resourceServer.lastToken();
		this.resourceServer.reject(rejected);
		assertThat(this.orders.list()).contains("\"path\":\"/orders\"");
		assertThat(this.tokenServer).receivedTokenCalls("orders", 2);
		assertThat(this.resourceServer).receivedRequests(3).answered(401, 1).lastToken().isNotEqualTo(rejected);
	}

	@Test
	void ordersWhenTokenEndpointAnswers429ThenRetryAfterHonoured() {
		// longer than the first backoff (1s at most), within the longest (4s): only an
		// honoured Retry-After waits that long
		this.tokenServer.registration("orders").throttleNext(1, Duration.ofSeconds(3));
		assertThat(this.orders.list()).contains("\"path\":\"/orders\"");
		assertThat(this.tokenServer).receivedTokenCalls("orders", 2).lastRequest("orders").wasAnsweredWithToken();
		List<TokenRequest> calls = this.tokenServer.requests("orders");
		assertThat(calls.get(0).status()).isEqualTo(429);
		assertThat(Duration.between(calls.get(0).receivedAt(), calls.get(1).receivedAt()))
			.isGreaterThanOrEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void bankWhenUsersTokenExpiresThenRotatedRefreshTokenUsed() {
		IssuedTokens first = this.tokenServer.registration("users").issueRefreshToken("alice");
		this.bank.connect("alice", first.accessToken(), first.refreshToken(), first.expiresAt());
		assertThat(this.bank.accounts("alice")).contains("\"subject\":\"alice\"");
		assertThat(this.tokenServer).receivedTokenCalls("users", 0);
		// the server ends alice's access token early: TokenKit refreshes it and replays
		this.tokenServer.expireAllTokens();
		assertThat(this.bank.accounts("alice")).contains("\"subject\":\"alice\"");
		this.tokenServer.expireAllTokens();
		assertThat(this.bank.accounts("alice")).contains("\"subject\":\"alice\"");
		// the second refresh presented the refresh token the first one rotated to: a
		// reused refresh token would have been refused with invalid_grant
		assertThat(this.tokenServer).receivedTokenCalls("users", "refresh_token", 2).answeredEveryTokenCall("users");
		assertThat(this.tokenServer.requests("users").get(0)).presentedRefreshToken(first.refreshToken());
		assertThat(this.tokenServer.lastRequest("users").refreshToken()).isNotEqualTo(first.refreshToken());
	}

}
// end::testing-page[]
