package io.tokenkit.sample;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Calls the orders API through the {@code @HttpExchange} interface
 * {@link OrdersApiClient} of the HTTP service group {@code orders}, which TokenKit binds
 * to the {@code orders} registration, and shows that the call worked and which token it
 * used, masked.
 */
@RestController
class OrdersHttpServiceDemoController {

	private final OrdersApiClient orders;

	private final TokenManager tokenManager;

	private final Clock clock = Clock.systemUTC();

	OrdersHttpServiceDemoController(OrdersApiClient orders, TokenManager tokenManager) {
		this.orders = orders;
		this.tokenManager = tokenManager;
	}

	/**
	 * {@code GET /demo/orders/http-service}: the orders API's answer through the service
	 * group, its status, and the token it was called with.
	 * @return the demo result
	 */
	@GetMapping("/demo/orders/http-service")
	Mono<Map<String, Object>> orders() {
		return this.orders.orders().map((response) -> {
			Map<String, Object> result = new LinkedHashMap<>();
			result.put("group", "orders");
			result.put("registration", "orders");
			result.put("status", response.getStatusCode().value());
			result.put("response", response.getBody());
			AccessToken token = this.tokenManager.getCachedToken(TokenKey.of("orders"));
			if (token != null) {
				result.put("token", TokenView.of(token, this.clock));
			}
			return result;
		});
	}

}
