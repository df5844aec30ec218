package io.tokenkit.authlete;

import java.net.URI;

/**
 * The Authlete API v3 clusters. An Authlete service lives in exactly one of them, and its
 * API must be called on that cluster's base URL.
 */
public enum AuthleteCluster {

	/** The United States cluster, {@code https://us.authlete.com}. */
	US("https://us.authlete.com"),

	/** The Japan cluster, {@code https://jp.authlete.com}. */
	JP("https://jp.authlete.com"),

	/** The Europe cluster, {@code https://eu.authlete.com}. */
	EU("https://eu.authlete.com"),

	/** The Brazil cluster, {@code https://br.authlete.com}. */
	BR("https://br.authlete.com");

	private final URI baseUrl;

	AuthleteCluster(String baseUrl) {
		this.baseUrl = URI.create(baseUrl);
	}

	/**
	 * Return the base URL of the cluster's API.
	 * @return the base URL, without a trailing slash
	 */
	public URI getBaseUrl() {
		return this.baseUrl;
	}

}
