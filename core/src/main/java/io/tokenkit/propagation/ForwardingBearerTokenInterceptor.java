package io.tokenkit.propagation;

import java.io.IOException;
import java.net.URI;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * A {@code RestClient} interceptor that forwards the incoming request's bearer token as
 * it is ({@code tokenkit.clients.<name>.propagation: forward}), read on the caller's
 * thread: no token manager, no token call. A request made where there is no incoming
 * token fails with a {@link NoIncomingTokenException}, and one to another origin than the
 * client's base URL with a {@link ForwardingRefusedException}; neither is sent.
 */
public final class ForwardingBearerTokenInterceptor implements ClientHttpRequestInterceptor {

	private final String clientName;

	private final IncomingBearerToken incoming;

	private final URI baseUrl;

	/**
	 * Create an interceptor.
	 * @param clientName the client's name, for errors
	 * @param incoming reads the incoming request's bearer token
	 * @param baseUrl the client's base URL: the token goes to its origin only
	 */
	public ForwardingBearerTokenInterceptor(String clientName, IncomingBearerToken incoming, URI baseUrl) {
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(incoming, "incoming must not be null");
		Assert.isTrue(baseUrl != null && baseUrl.isAbsolute(), "baseUrl must be an absolute URI");
		this.clientName = clientName;
		this.incoming = incoming;
		this.baseUrl = baseUrl;
	}

	@Override
	public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
			throws IOException {
		ForwardingRefusedException.check(this.clientName, this.baseUrl, request.getURI());
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
