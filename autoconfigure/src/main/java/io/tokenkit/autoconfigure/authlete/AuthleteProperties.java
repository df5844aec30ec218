package io.tokenkit.autoconfigure.authlete;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the Authlete client ({@code tokenkit.authlete.*}).
 */
@ConfigurationProperties("tokenkit.authlete")
public class AuthleteProperties {

	/** The default base URL: the United States cluster. */
	public static final String DEFAULT_BASE_URL = "https://us.authlete.com";

	/**
	 * Base URL of the Authlete API v3 cluster the service lives in:
	 * https://us.authlete.com, https://jp.authlete.com, https://eu.authlete.com or
	 * https://br.authlete.com.
	 */
	private String baseUrl = DEFAULT_BASE_URL;

	/**
	 * Numeric ID of the Authlete service whose tokens to manage. Setting it enables the
	 * Authlete client.
	 */
	private @Nullable String serviceId;

	/**
	 * Service access token (or organization token) issued in the Authlete console, sent
	 * as a bearer token.
	 */
	private @Nullable String accessToken;

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public @Nullable String getServiceId() {
		return this.serviceId;
	}

	public void setServiceId(@Nullable String serviceId) {
		this.serviceId = serviceId;
	}

	public @Nullable String getAccessToken() {
		return this.accessToken;
	}

	public void setAccessToken(@Nullable String accessToken) {
		this.accessToken = accessToken;
	}

	@Override
	public String toString() {
		return "AuthleteProperties[baseUrl=" + this.baseUrl + ", serviceId=" + this.serviceId + ", accessToken="
				+ ((this.accessToken != null) ? "(redacted)" : null) + "]";
	}

}
