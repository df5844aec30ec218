package io.tokenkit.propagation;

import java.io.IOException;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * A {@code RestClient} interceptor that forwards the incoming request's bearer token as
 * it is ({@code tokenkit.clients.<name>.propagation: forward}), read on the caller's
 * thread: no token manager, no token call. A request made where there is no incoming
 * token fails with a {@link NoIncomingTokenException} and is not sent.
 */
public final class ForwardingBearerTokenInterceptor implements ClientHttpRequestInterceptor {

	private final String clientName;

	private final IncomingBearerToken incoming;

	/**
	 * Create an interceptor.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 */
	public ForwardingBearerTokenInterceptor(String clientName, IncomingBearerToken incoming) {
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(incoming, "incoming must not be null");
		this.clientName = clientName;
		this.incoming = incoming;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		String token = this.incoming.read();
		if (token == null) {
			throw new NoIncomingTokenException(this.clientName, "Client");
		}
		request.getHeaders().setBearerAuth(token);
		return execution.execute(request, body);
	}

	@Override
	public String toString() {
		return "ForwardingBearerTokenInterceptor[client=" + this.clientName + "]";
	}

}
