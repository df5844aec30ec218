package io.tokenkit.docs;

// tag::gateway-orders[]
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

@RestController
class GatewayOrders {

	private final RestClient orders;

	GatewayOrders(@Qualifier("orders") RestClient orders) {
		this.orders = orders;
	}

	// runs while serving a request authenticated with a bearer token: the orders API
	// gets that token exchanged for one meant for it
	@GetMapping("/my-orders")
	String myOrders() {
		return this.orders.get().uri("/orders").retrieve().body(String.class);
	}

}
// end::gateway-orders[]
