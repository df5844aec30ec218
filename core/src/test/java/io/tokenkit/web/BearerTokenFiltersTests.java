package io.tokenkit.web;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

import static org.assertj.core.api.Assertions.assertThat;

class BearerTokenFiltersTests {

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", new StaticTokenSource("orders-token")),
					TokenRegistration.of("billing", new StaticTokenSource("billing-token"))),
			new InMemoryTokenStore(), Clock.systemUTC(), TokenEventListener.NONE, Duration.ofSeconds(5));

	private final BearerTokenFilters filters = new BearerTokenFilters(this.manager, TokenEventListener.NONE);

	private final ConcurrentLinkedQueue<ClientRequest> sent = new ConcurrentLinkedQueue<>();

	private final ExchangeFunction exchange = (request) -> {
		this.sent.add(request);
		return Mono.just(ClientResponse.create(HttpStatus.OK).build());
	};

	@Test
	void byRegistrationAttributeWhenAttributeThenThatRegistrationsToken() {
		ExchangeFilterFunction filter = this.filters.byRegistrationAttribute();
		filter.filter(request("billing"), this.exchange).block();
		filter.filter(request("orders"), this.exchange).block();
		assertThat(this.sent).extracting((request) -> request.headers().getFirst("Authorization"))
			.containsExactly("Bearer billing-token", "Bearer orders-token");
	}

	@Test
	void byRegistrationAttributeWhenNoAttributeThenRequestUntouched() {
		this.filters.byRegistrationAttribute().filter(request(null), this.exchange).block();
		assertThat(this.sent).singleElement()
			.satisfies((request) -> assertThat(request.headers().containsHeader("Authorization")).isFalse());
	}

	private static ClientRequest request(String registrationId) {
		ClientRequest.Builder builder = ClientRequest.create(HttpMethod.GET, URI.create("https://api.example.com"));
		if (registrationId != null) {
			builder.attributes(TokenRequestAttributes.registration(registrationId));
		}
		return builder.build();
	}

}
