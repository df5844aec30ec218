package io.tokenkit.docs;

// tag::rest-client[]
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
class CustomerOrders {

	private final RestClient orders;

	CustomerOrders(@Qualifier("orders") RestClient orders) {
		this.orders = orders;
	}

	String list(String customerId) {
		return this.orders.get()
			.uri("/orders")
			// per-user token: omit it for the application token
			.attributes(TokenRequestAttributes.subject(customerId))
			.retrieve()
			.body(String.class);
	}

}
// end::rest-client[]
