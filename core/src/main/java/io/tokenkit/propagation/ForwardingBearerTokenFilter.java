package io.tokenkit.propagation;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.ExchangeFilterFunction;
import org.springframework.web.reactive.function.client.ExchangeFunction;

/**
 * A {@code WebClient} filter that forwards the incoming request's bearer token as it is
 * ({@code tokenkit.clients.<name>.propagation: forward}): no token manager, no token
 * call. A request made where there is no incoming token fails with a
 * {@link NoIncomingTokenException}, and one to another origin than the client's base URL
 * with a {@link ForwardingRefusedException}; neither is sent.
 */
public final class ForwardingBearerTokenFilter implements ExchangeFilterFunction {

	private final ForwardedBearerToken forwarded;

	/**
	 * Create a filter.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 * @param baseUrl the client's base URL: the token goes to its origin only
	 */
	public ForwardingBearerTokenFilter(String clientName, IncomingBearerToken incoming, URI baseUrl) {
		this.forwarded = new ForwardedBearerToken(clientName, incoming, baseUrl);
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		return this.forwarded.readReactive(request.url())
			.flatMap((token) -> next
				.exchange(ClientRequest.from(request).headers((headers) -> headers.setBearerAuth(token)).build()));
	}

	@Override
	public String toString() {
		return "ForwardingBearerTokenFilter[client=" + this.forwarded.clientName() + "]";
	}

}
