package io.tokenkit.sample;

import java.util.Map;

import reactor.core.publisher.Mono;

import org.springframework.http.ResponseEntity;
import org.springframework.web.service.annotation.GetExchange;

/**
 * The orders API as a declarative HTTP interface, imported into the service group
 * {@code orders} by {@link OrdersHttpServiceConfiguration}. Boot gives the group its base
 * URL ({@code spring.http.serviceclient.orders.base-url}) and TokenKit its token
 * ({@code tokenkit.service-groups.orders.registration: orders}); the interface itself
 * names neither.
 */
interface OrdersApiClient {

	/**
	 * {@code GET /api/orders}.
	 * @return the orders API's answer
	 */
	@GetExchange("/api/orders")
	Mono<ResponseEntity<Map<String, Object>>> orders();

}
