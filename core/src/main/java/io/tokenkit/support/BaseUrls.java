package io.tokenkit.support;

import java.net.URI;
import java.net.URISyntaxException;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Normalizes the base {@link URI}s of the APIs TokenKit calls, so that paths can be
 * appended with a leading slash. Internal to TokenKit.
 */
public final class BaseUrls {

	private BaseUrls() {
	}

	/**
	 * Remove the trailing slashes of a base URL.
	 * @param baseUrl the base URL, for example {@code https://api.example.com/v1/}
	 * @return the URL without trailing slashes, for example
	 * {@code https://api.example.com/v1}
	 */
	public static String withoutTrailingSlash(URI baseUrl) {
		Assert.notNull(baseUrl, "baseUrl must not be null");
		String result = baseUrl.toString();
		int end = result.length();
		while (end > 0 && result.charAt(end - 1) == '/') {
			end--;
		}
		return result.substring(0, end);
	}

	/**
	 * Describe a URL for messages and {@code toString()}: scheme, host, port and path,
	 * never its user info, query or fragment, which may hold credentials.
	 * @param url the URL, possibly {@code null} or not a URL at all
	 * @return the description
	 */
	public static String describe(@Nullable String url) {
		if (url == null) {
			return "none";
		}
		try {
			URI uri = new URI(url.strip());
			StringBuilder result = new StringBuilder();
			if (uri.getScheme() != null) {
				result.append(uri.getScheme()).append("://");
			}
			if (uri.getHost() != null) {
				result.append(uri.getHost());
				if (uri.getPort() != -1) {
					result.append(':').append(uri.getPort());
				}
			}
			if (uri.getRawPath() != null) {
				result.append(uri.getRawPath());
			}
			return result.toString();
		}
		catch (URISyntaxException ex) {
			return "[not a URL]";
		}
	}

}
