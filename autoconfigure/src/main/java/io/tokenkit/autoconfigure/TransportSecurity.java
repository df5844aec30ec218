package io.tokenkit.autoconfigure;

import java.net.URI;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.support.PlainHttp;

import org.springframework.util.Assert;

/**
 * The transport rule of TokenKit's URLs: a token endpoint or a vendor API is called over
 * {@code https}, or over plain {@code http} only on a loopback host ({@code localhost},
 * an IPv4 literal in {@code 127.0.0.0/8}, {@code ::1}) or when
 * {@value #ALLOW_INSECURE_HTTP} is {@code true}. A host is judged by its literal text,
 * never by a DNS lookup.
 */
public final class TransportSecurity {

	/** The property that allows plain http to any host. */
	static final String ALLOW_INSECURE_HTTP = "tokenkit.allow-insecure-http";

	private TransportSecurity() {
	}

	/**
	 * Throw an {@link InvalidTokenKitPropertyException} when {@code url} uses plain http
	 * to a host that is not a loopback address and {@code allowInsecureHttp} is off.
	 * @param property the full name of the property the URL came from
	 * @param url the URL, already checked to be an absolute http or https URL
	 * @param allowInsecureHttp the value of {@value #ALLOW_INSECURE_HTTP}
	 * @return the URL
	 */
	public static URI requireHttps(String property, URI url, boolean allowInsecureHttp) {
		Assert.notNull(property, "property must not be null");
		Assert.notNull(url, "url must not be null");
		if (!allowInsecureHttp && isInsecure(url)) {
			throw new InvalidTokenKitPropertyException(property, origin(url),
					"it uses plain http to '" + url.getHost()
							+ "', which is not a loopback address: tokens and secrets would cross the network in clear",
					"Use an https URL. Only in tests against a server on another host, set " + ALLOW_INSECURE_HTTP
							+ "=true.");
		}
		return url;
	}

	/**
	 * Log one warning when a {@code tokenkit.clients} base URL uses plain http to a host
	 * that is not a loopback address. The message shows the scheme, host and port, never
	 * a path, query or user info.
	 * @param logger the logger
	 * @param clientName the client's name
	 * @param property the full name of the base-url property
	 * @param url the base URL
	 */
	static void warnIfInsecure(Log logger, String clientName, String property, URI url) {
		if (isInsecure(url)) {
			logger.warn("TokenKit client '" + clientName + "' (" + property + ") calls " + origin(url)
					+ " over plain http: the token of its registration crosses the network in clear. Use https.");
		}
	}

	/**
	 * Return whether {@code url} uses plain http to a host that is not a loopback
	 * address.
	 * @param url the URL
	 * @return whether it is insecure
	 */
	static boolean isInsecure(URI url) {
		return PlainHttp.isInsecure(url);
	}

	/**
	 * Return whether {@code host} is a loopback host, judged by its literal text.
	 * @param host the host, as in a URL
	 * @return whether it is a loopback host
	 * @see PlainHttp#isLoopback(String)
	 */
	static boolean isLoopback(@Nullable String host) {
		return PlainHttp.isLoopback(host);
	}

	private static String origin(URI url) {
		return PlainHttp.origin(url);
	}

}
