package io.tokenkit.docs;

import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.AccessToken;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.web.BearerTokenExchangeFilterFunction;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the examples of docs/per-user-tokens.md: a user's first token, from Spring
 * Security's login or from a token response of one's own, saved with the
 * {@link TokenManager}, is what that user's requests then carry.
 */
class PerUserTokenExamplesTests {

	private final TokenManager tokenManager = new TokenManager(
			List.of(TokenRegistration.of("bank", new StaticTokenSource("never-used"))), new InMemoryTokenStore());

	private MockWebServer bankApi;

	@BeforeEach
	void startBankApi() throws Exception {
		this.bankApi = new MockWebServer();
		this.bankApi.start();
	}

	@AfterEach
	void stopBankApi() {
		this.bankApi.close();
	}

	@Test
	void tokenOfSpringSecuritysLoginIsSavedAndSentForThatUser() throws Exception {
		Instant now = Instant.now();
		OAuth2AuthorizedClient client = new OAuth2AuthorizedClient(
				bankRegistration(), "alice", new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER, "alice-access",
						now, now.plusSeconds(600), Set.of("private:account")),
				new OAuth2RefreshToken("alice-refresh", now));
		Principal alice = () -> "alice";

		String view = new BankConnectionController(this.tokenManager).connected(client, alice);

		assertThat(view).isEqualTo("redirect:/accounts");
		AccessToken held = this.tokenManager.getHeldToken(TokenKey.of("bank", "alice")).block();
		assertThat(held).isNotNull();
		assertThat(held.getTokenValue()).isEqualTo("alice-access");
		assertThat(held.getRefreshToken()).isEqualTo("alice-refresh");
		assertThat(held.getScopes()).containsExactly("private:account");
		assertThat(held.getExpiresAt()).isEqualTo(now.plusSeconds(600).truncatedTo(ChronoUnit.MILLIS));
		assertThat(sentToken("alice")).isEqualTo("Bearer alice-access");
	}

	@Test
	void tokenResponseOfOnesOwnExchangeIsSavedAndSentForThatUser() throws Exception {
		this.bankApi.enqueue(new MockResponse.Builder().addHeader("Content-Type", "application/json").body("""
				{"access_token":"bob-access","token_type":"Bearer","expires_in":600,
				 "refresh_token":"bob-refresh","scope":"private:account offline_access"}""").build());
		RestClient tokenEndpoint = RestClient.builder()
			.baseUrl(this.bankApi.url("/token").toString())
			.defaultHeaders((headers) -> headers.setBasicAuth("bank-app", "secret"))
			.build();
		Instant before = Instant.now();

		AccessToken token = new TokenResponseExample(tokenEndpoint).exchange("the-code", "the-verifier",
				"https://app.example.com/bank/connected");
		this.tokenManager.save(TokenKey.of("bank", "bob"), token).block();

		RecordedRequest exchange = this.bankApi.takeRequest(5, TimeUnit.SECONDS);
		assertThat(exchange).isNotNull();
		assertThat(exchange.getBody().utf8()).contains("grant_type=authorization_code", "code=the-code",
				"code_verifier=the-verifier");
		assertThat(token.getRefreshToken()).isEqualTo("bob-refresh");
		assertThat(token.getScopes()).containsExactlyInAnyOrder("private:account", "offline_access");
		assertThat(token.getExpiresAt()).isBetween(before.plusSeconds(600).truncatedTo(ChronoUnit.MILLIS),
				Instant.now().plusSeconds(600));
		assertThat(sentToken("bob")).isEqualTo("Bearer bob-access");
	}

	/** Return the Authorization header that BankAccounts sends for the customer. */
	private String sentToken(String customerId) throws InterruptedException {
		this.bankApi.enqueue(new MockResponse.Builder().body("[]").build());
		WebClient bank = WebClient.builder()
			.baseUrl(this.bankApi.url("/").toString())
			.filter(new BearerTokenExchangeFilterFunction(this.tokenManager, "bank"))
			.build();
		assertThat(new BankAccounts(bank).accounts(customerId).block()).isEqualTo("[]");
		RecordedRequest request = this.bankApi.takeRequest(5, TimeUnit.SECONDS);
		assertThat(request).isNotNull();
		return request.getHeaders().get("Authorization");
	}

	private static ClientRegistration bankRegistration() {
		return ClientRegistration.withRegistrationId("bank")
			.clientId("bank-app")
			.clientSecret("secret")
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri("https://app.example.com/login/oauth2/code/bank")
			.authorizationUri("https://bank.example.com/authorize")
			.tokenUri("https://bank.example.com/token")
			.build();
	}

}
