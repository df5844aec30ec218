package io.tokenkit.propagation;

import java.net.URI;

import reactor.core.publisher.Mono;

import org.springframework.util.Assert;

/**
 * The incoming request's bearer token as a forwarding client
 * ({@code tokenkit.clients.<name>.propagation: forward}) sends it: only to the origin of
 * the client's base URL, else a {@link ForwardingRefusedException}; and only where there
 * is one, else a {@link NoIncomingTokenException}. What the {@code WebClient} filter and
 * the {@code RestClient} interceptor share.
 *
 * @param clientName the client's name, for errors
 * @param incoming reads the incoming request's bearer token
 * @param baseUrl the client's base URL: the token goes to its origin only
 */
record ForwardedBearerToken(String clientName, IncomingBearerToken incoming, URI baseUrl) {

	ForwardedBearerToken {
		Assert.hasText(clientName, "clientName must not be empty");
		Assert.notNull(incoming, "incoming must not be null");
		Assert.isTrue(baseUrl != null && baseUrl.isAbsolute(), "baseUrl must be an absolute URI");
	}

	/**
	 * Return the token to send to a URI, read on the caller's thread.
	 * @param target the request's URI
	 * @return the token
	 * @throws ForwardingRefusedException when the URI is of another origin
	 * @throws NoIncomingTokenException when there is no incoming token
	 */
	String read(URI target) {
		ForwardingRefusedException.check(this.clientName, this.baseUrl, target);
		String token = this.incoming.read();
		if (token == null) {
			throw noIncomingToken();
		}
		return token;
	}

	/**
	 * Return the token to send to a URI, read in the subscribing chain.
	 * @param target the request's URI
	 * @return the token, or a {@link ForwardingRefusedException} or
	 * {@link NoIncomingTokenException}
	 */
	Mono<String> readReactive(URI target) {
		try {
			ForwardingRefusedException.check(this.clientName, this.baseUrl, target);
		}
		catch (ForwardingRefusedException ex) {
			return Mono.error(ex);
		}
		return this.incoming.readReactive().switchIfEmpty(Mono.error(this::noIncomingToken));
	}

	private NoIncomingTokenException noIncomingToken() {
		return new NoIncomingTokenException(this.clientName, "Client");
	}

}
