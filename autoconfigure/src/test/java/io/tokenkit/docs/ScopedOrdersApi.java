package io.tokenkit.docs;

// tag::service-group[]
import io.tokenkit.token.TokenKitRegistration;

import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.annotation.PostExchange;

@TokenKitRegistration(value = "orders", scopes = "orders.read")
interface ScopedOrdersApi {

	@GetExchange("/orders")
	String list();

	@TokenKitRegistration(value = "orders", scopes = "orders.write", audiences = "https://orders.example.com")
	@PostExchange("/orders")
	String place(@RequestBody String order);

}
// end::service-group[]
