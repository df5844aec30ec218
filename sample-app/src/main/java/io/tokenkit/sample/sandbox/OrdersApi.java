package io.tokenkit.sample.sandbox;

import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * A small orders API protected by the local authorization server: {@code GET /api/orders}
 * answers only to a JWT access token with the {@code orders.read} scope (checked by
 * Spring Security's resource server).
 */
@Configuration(proxyBeanMethods = false)
class OrdersApi {

	@Bean
	RouterFunction<ServerResponse> ordersRoutes() {
		return RouterFunctions.route().GET("/api/orders", (request) -> {
			JwtAuthenticationToken authentication = (JwtAuthenticationToken) request.principal().orElseThrow();
			return ServerResponse.ok()
				.body(Map.of("client", authentication.getToken().getSubject(), "scopes",
						authentication.getToken().getClaimAsStringList("scope"), "orders",
						List.of(Map.of("id", "A-1001", "item", "Coffee beans", "quantity", 2),
								Map.of("id", "A-1002", "item", "Paper filters", "quantity", 1))));
		}).build();
	}

}
