package io.tokenkit.propagation;

import java.net.URI;
import java.util.Locale;

import io.tokenkit.token.TokenKitException;

/**
 * A request of a forwarding client ({@code propagation: forward}) to another origin than
 * its base URL: the incoming request's token goes only to the client's own server, so the
 * request was not sent.
 */
public class ForwardingRefusedException extends TokenKitException {

	private final String clientName;

	/**
	 * Create an exception.
	 * @param clientName the client
	 * @param baseUrl the client's base URL
	 */
	public ForwardingRefusedException(String clientName, URI baseUrl) {
		super("Client '" + clientName + "' forwards the incoming bearer token only to the origin of its base URL ("
				+ origin(baseUrl) + "), and this request goes elsewhere; it was not sent. Call another server "
				+ "with a client of its own, or change tokenkit.clients." + clientName + ".base-url.");
		this.clientName = clientName;
	}

	/**
	 * Return the client that refused the request.
	 * @return its name
	 */
	public String getClientName() {
		return this.clientName;
	}

	/**
	 * Refuse a request to another origin (scheme, host, port) than the base URL's.
	 * @param clientName the client
	 * @param baseUrl the client's base URL
	 * @param target the request's URI
	 * @throws ForwardingRefusedException when the origins differ
	 */
	static void check(String clientName, URI baseUrl, URI target) {
		if (!origin(baseUrl).equals(origin(target))) {
			throw new ForwardingRefusedException(clientName, baseUrl);
		}
	}

	private static String origin(URI uri) {
		String scheme = (uri.getScheme() != null) ? uri.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = (uri.getHost() != null) ? uri.getHost().toLowerCase(Locale.ROOT) : "";
		int port = uri.getPort();
		if (port == -1) {
			port = "https".equals(scheme) ? 443 : ("http".equals(scheme) ? 80 : -1);
		}
		return scheme + "://" + host + ":" + port;
	}

}
