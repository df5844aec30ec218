package io.tokenkit.docs;

// tag::per-call[]
import java.util.List;

import io.tokenkit.token.TokenParameters;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.client.RestClient;

@Service
class ScopedOrders {

	// built once: a request that carries it costs no more than one without
	private static final TokenParameters WRITE = TokenParameters.builder()
		.scopes(List.of("orders.write"))
		.resources(List.of("https://orders.example.com/"))
		.build();

	private final RestClient orders;

	ScopedOrders(@Qualifier("orders") RestClient orders) {
		this.orders = orders;
	}

	String place(String order) {
		return this.orders.post()
			.uri("/orders")
			// a token asked for orders.write at that resource, cached apart from the
			// default one
			.attributes(TokenRequestAttributes.parameters(WRITE))
			.body(order)
			.retrieve()
			.body(String.class);
	}

}
// end::per-call[]
