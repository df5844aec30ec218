package io.tokenkit.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;

import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Hands out the {@link BearerTokenExchangeFilterFunction} of each registration, which
 * sets its token with the registration's {@link io.tokenkit.token.TokenAuthorizer}.
 * Inject it to add a registration's token to a {@link WebClient} you build yourself:
 * <pre class="code">
 * WebClient orders = builder.baseUrl("https://orders.example.com").filter(filters.filter("orders")).build();
 * </pre> A client that serves several registrations, such as the client of an HTTP
 * service group, uses {@link #byRegistrationAttribute()} instead.
 */
public final class BearerTokenFilters {

	private final TokenManager manager;

	private final TokenEventListener listener;

	private final Map<String, BearerTokenExchangeFilterFunction> filters = new ConcurrentHashMap<>();

	/**
	 * Create the filters.
	 * @param manager the token manager
	 * @param listener told of each retry
	 */
	public BearerTokenFilters(TokenManager manager, TokenEventListener listener) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.manager = manager;
		this.listener = listener;
	}

	/**
	 * Return the filter of a registration.
	 * @param registrationId the registration id
	 * @return the filter
	 * @throws IllegalArgumentException if there is no such registration
	 */
	public ExchangeFilterFunction filter(String registrationId) {
		return this.filters.computeIfAbsent(registrationId,
				(id) -> new BearerTokenExchangeFilterFunction(this.manager, id, this.listener));
	}

	/**
	 * Return a filter that sends the token of the registration named by each request's
	 * {@link TokenRequestAttributes#REGISTRATION} attribute, with that registration's
	 * filter, and leaves a request without the attribute untouched.
	 * @return the filter
	 */
	public ExchangeFilterFunction byRegistrationAttribute() {
		return new RegistrationAttributeFilter(this);
	}

	/**
	 * Hands each request to the filter of the registration its attribute names.
	 */
	private static final class RegistrationAttributeFilter implements ExchangeFilterFunction {

		private final BearerTokenFilters filters;

		RegistrationAttributeFilter(BearerTokenFilters filters) {
			this.filters = filters;
		}

		@Override
		public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
			return request.attribute(TokenRequestAttributes.REGISTRATION)
				.map((registrationId) -> this.filters.filter(registrationId.toString()).filter(request, next))
				.orElseGet(() -> next.exchange(request));
		}

		@Override
		public String toString() {
			return "BearerTokenFilters[by request attribute " + TokenRequestAttributes.REGISTRATION + "]";
		}

	}

}
