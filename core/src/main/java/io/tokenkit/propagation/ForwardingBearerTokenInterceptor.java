package io.tokenkit.propagation;

import java.io.IOException;
import java.net.URI;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;

/**
 * A {@code RestClient} interceptor that forwards the incoming request's bearer token as
 * it is ({@code tokenkit.clients.<name>.propagation: forward}), read on the caller's
 * thread: no token manager, no token call. A request made where there is no incoming
 * token fails with a {@link NoIncomingTokenException}, and one to another origin than the
 * client's base URL with a {@link ForwardingRefusedException}; neither is sent.
 */
public final class ForwardingBearerTokenInterceptor implements ClientHttpRequestInterceptor {

	private final ForwardedBearerToken forwarded;

	/**
	 * Create an interceptor.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 * @param baseUrl the client's base URL: the token goes to its origin only
	 */
	public ForwardingBearerTokenInterceptor(String clientName, IncomingBearerToken incoming, URI baseUrl) {
		this.forwarded = new ForwardedBearerToken(clientName, incoming, baseUrl);
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		request.getHeaders().setBearerAuth(this.forwarded.read(request.getURI()));
		return execution.execute(request, body);
	}

	@Override
	public String toString() {
		return "ForwardingBearerTokenInterceptor[client=" + this.forwarded.clientName() + "]";
	}

}
