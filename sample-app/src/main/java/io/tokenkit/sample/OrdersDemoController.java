package io.tokenkit.sample;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import reactor.core.publisher.Mono;

import io.tokenkit.token.AccessToken;
import io.tokenkit.token.TokenKey;
import io.tokenkit.token.TokenManager;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Calls the orders API through the {@code orders} {@link WebClient} that TokenKit builds
 * from {@code tokenkit.clients.orders} ({@code client_credentials} tokens of registration
 * {@code orders}), and shows that the call worked and which token it used, masked.
 */
@RestController
class OrdersDemoController {

	private final WebClient orders;

	private final TokenManager tokenManager;

	private final Clock clock = Clock.systemUTC();

	OrdersDemoController(@Qualifier("orders") WebClient orders, TokenManager tokenManager) {
		this.orders = orders;
		this.tokenManager = tokenManager;
	}

	/**
	 * {@code GET /demo/orders}: the orders API's answer, its status, and the token it was
	 * called with.
	 * @return the demo result
	 */
	@GetMapping("/demo/orders")
	Mono<Map<String, Object>> orders() {
		return this.orders.get()
			.uri("/api/orders")
			.exchangeToMono((response) -> response.bodyToMono(Map.class).map((body) -> {
				Map<String, Object> result = new LinkedHashMap<>();
				result.put("registration", "orders");
				result.put("status", response.statusCode().value());
				result.put("response", body);
				AccessToken token = this.tokenManager.getCachedToken(TokenKey.of("orders"));
				if (token != null) {
					result.put("token", TokenView.of(token, this.clock));
				}
				return result;
			}));
	}

}
