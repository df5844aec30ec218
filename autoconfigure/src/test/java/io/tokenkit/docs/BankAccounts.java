package io.tokenkit.docs;

// tag::request[]
import io.tokenkit.token.TokenRequestAttributes;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Reads a customer's accounts with the customer's own token.
 */
@Service
class BankAccounts {

	private final WebClient bank;

	BankAccounts(@Qualifier("bank") WebClient bank) {
		this.bank = bank;
	}

	Mono<String> accounts(String customerId) {
		return this.bank.get()
			.uri("/accounts")
			// whose token: omit it for the application token
			.attributes(TokenRequestAttributes.subject(customerId))
			.retrieve()
			.bodyToMono(String.class);
	}

}
// end::request[]
