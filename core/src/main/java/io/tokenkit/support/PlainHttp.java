package io.tokenkit.support;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Tells a URL that would carry tokens and secrets over plain {@code http} to another host
 * than this one: TokenKit calls a URL over {@code https}, or over plain {@code http} only
 * on a loopback host ({@code localhost}, an IPv4 literal in {@code 127.0.0.0/8},
 * {@code ::1}) unless insecure http is allowed. A host is judged by its literal text,
 * never by a DNS lookup. Internal to TokenKit.
 */
public final class PlainHttp {

	private PlainHttp() {
	}

	/**
	 * Return whether {@code url} uses plain http to a host that is not a loopback
	 * address.
	 * @param url the URL
	 * @return whether it is insecure
	 */
	public static boolean isInsecure(URI url) {
		return "http".equalsIgnoreCase(url.getScheme()) && !isLoopback(url.getHost());
	}

	/**
	 * Return whether {@code host} is literally {@code localhost}, an IPv4 address in
	 * {@code 127.0.0.0/8} or the IPv6 loopback address, with or without brackets. Nothing
	 * is looked up: any other name, {@code localhost.example.com} included, is not a
	 * loopback host.
	 * @param host the host, as in a URL
	 * @return whether it is a loopback host
	 */
	public static boolean isLoopback(@Nullable String host) {
		if (host == null || host.isEmpty()) {
			return false;
		}
		if ("localhost".equals(host.toLowerCase(Locale.ROOT))) {
			return true;
		}
		if (host.indexOf(':') >= 0) {
			return isIpv6Loopback(host);
		}
		return isIpv4Loopback(host);
	}

	private static boolean isIpv4Loopback(String host) {
		String[] parts = host.split("\\.", -1);
		if (parts.length != 4) {
			return false;
		}
		for (String part : parts) {
			if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch((c) -> c >= '0' && c <= '9')
					|| Integer.parseInt(part) > 255) {
				return false;
			}
		}
		return Integer.parseInt(parts[0]) == 127;
	}

	private static boolean isIpv6Loopback(String host) {
		String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
		if (literal.isEmpty() || !literal.chars()
			.allMatch(
					(c) -> c == ':' || c == '.' || Character.digit(c, 16) >= 0 || c == '%' || Character.isLetter(c))) {
			return false;
		}
		try {
			// In brackets, InetAddress parses an IPv6 literal and never looks it up
			return InetAddress.getByName("[" + literal + "]").isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/**
	 * Describe where a URL goes for messages: scheme, host and port, never a path, query
	 * or user info.
	 * @param url the URL
	 * @return its origin
	 */
	public static String origin(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "");
	}

}
