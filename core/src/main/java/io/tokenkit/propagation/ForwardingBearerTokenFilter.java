package io.tokenkit.propagation;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * A {@code WebClient} filter that forwards the incoming request's bearer token as it is
 * ({@code tokenkit.clients.<name>.propagation: forward}): no token manager, no token
 * call. A request made where there is no incoming token fails with a
 * {@link NoIncomingTokenException} and is not sent.
 */
public final class ForwardingBearerTokenFilter implements ExchangeFilterFunction {

	private final String clientName;

	private final IncomingBearerToken incoming;

	/**
	 * Create a filter.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 */
	public ForwardingBearerTokenFilter(String clientName, IncomingBearerToken incoming) {
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(incoming, "incoming must not be null");
		this.clientName = clientName;
		this.incoming = incoming;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return this.incoming.readReactive()
			.switchIfEmpty(Mono.error(() -> new NoIncomingTokenException(this.clientName, "Client")))
			.flatMap((token) -> next
				.exchange(ClientRequest.from(request).headers((headers) -> headers.setBearerAuth(token)).build()));
	}

	@Override
	public String toString() {
		return "ForwardingBearerTokenFilter[client=" + this.clientName + "]";
	}

}
