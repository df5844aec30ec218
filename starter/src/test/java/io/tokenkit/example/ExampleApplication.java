// tag::testing-page[]
package io.tokenkit.example;

import java.time.Instant;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

/**
 * A tiny application of the docs' testing page: an orders API called with the
 * application's token, a bank API called with each customer's own token.
 */
@SpringBootApplication
public class ExampleApplication {

	/** Calls the orders API with the application's token (registration orders). */
	@Service
	public static class Orders {

		private final RestClient orders;

		Orders(@Qualifier("orders") RestClient orders) {
			this.orders = orders;
		}

		public String list() {
			return this.orders.get().uri("/orders").retrieve().body(String.class);
		}

	}

	/** Calls the bank API with a customer's token (registration users). */
	@Service
	public static class Bank {

		private final RestClient bank;

		private final TokenManager tokenManager;

		Bank(@Qualifier("bank") RestClient bank, TokenManager tokenManager) {
			this.bank = bank;
			this.tokenManager = tokenManager;
		}

		/** Save a customer's first token, after the authorization-code exchange. */
		public void connect(String customerId, String accessToken, String refreshToken, Instant expiresAt) {
			AccessToken token = AccessToken.withValue(accessToken)
				.issuedAt(Instant.now())
				.expiresAt(expiresAt)
				.refreshToken(refreshToken)
				.build();
			this.tokenManager.save(TokenKey.of("users", customerId), token).block();
		}

		public String accounts(String customerId) {
			return this.bank.get()
				.uri("/accounts")
				.attributes(TokenRequestAttributes.subject(customerId))
				.retrieve()
				.body(String.class);
		}

	}

}
// end::testing-page[]
