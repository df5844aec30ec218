package io.tokenkit.support;

import java.net.URI;

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

}
