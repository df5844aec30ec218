package io.tokenkit.propagation;

import java.net.URI;

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
 * {@link NoIncomingTokenException}, and one to another origin than the client's base URL
 * with a {@link ForwardingRefusedException}; neither is sent.
 */
public final class ForwardingBearerTokenFilter implements ExchangeFilterFunction {

	private final String clientName;

	private final IncomingBearerToken incoming;

	private final URI baseUrl;

	/**
	 * Create a filter.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 * @param baseUrl the client's base URL: the token goes to its origin only
	 */
	public ForwardingBearerTokenFilter(String clientName, IncomingBearerToken incoming, URI baseUrl) {
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(incoming, "incoming must not be null");
		Assert.isTrue(baseUrl != null && baseUrl.isAbsolute(), "baseUrl must be an absolute URI");
		this.clientName = clientName;
		this.incoming = incoming;
		this.baseUrl = baseUrl;
	}

	@Override
	public Mono<ClientResponse> filter(ClientRequest request, ExchangeFunction next) {
		try {
			ForwardingRefusedException.check(this.clientName, this.baseUrl, request.url());
		}
		catch (ForwardingRefusedException ex) {
			return Mono.error(ex);
		}
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
