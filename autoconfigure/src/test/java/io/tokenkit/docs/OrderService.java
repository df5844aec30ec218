package io.tokenkit.docs;

// tag::order-service[]
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;
import org.springframework.web.reactive.function.client.WebClient;

@Service
class OrderService {

	private final WebClient orders;

	OrderService(@Qualifier("orders") WebClient orders) {
		this.orders = orders;
	}

	Mono<String> list() {
		return this.orders.get().uri("/orders").retrieve().bodyToMono(String.class);
	}

}
// end::order-service[]
