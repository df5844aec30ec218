package io.tokenkit.autoconfigure.saasus;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.saasus.SaasusBearerToken;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of the SaaSus Auth client ({@code tokenkit.saasus.*}). The
 * client is created when any of {@code saas-id}, {@code api-key} or {@code secret-key} is
 * set, and then needs all three; the SaaSus SDKs read them from {@code SAASUS_SAAS_ID},
 * {@code SAASUS_API_KEY} and {@code SAASUS_SECRET_KEY}, which can be referenced as
 * {@code ${SAASUS_API_KEY}}.
 */
@ConfigurationProperties("tokenkit.saasus")
public class SaasusProperties {

	/**
	 * Base URL of the SaaSus Auth API; /credentials is appended.
	 */
	private String baseUrl = "https://api.saasus.io/v1/auth";

	/**
	 * SaaS ID, sent in the SaaSID field of each request's signature header.
	 */
	private @Nullable String saasId;

	/**
	 * API key, signed and sent in the APIKey field of each request's signature header.
	 */
	private @Nullable String apiKey;

	/**
	 * Secret key that signs each request (HMAC-SHA256); never sent.
	 */
	private @Nullable String secretKey;

	/**
	 * Which SaaSus token per-user registrations send as bearer token.
	 */
	private SaasusBearerToken bearerToken = SaasusBearerToken.ACCESS_TOKEN;

	/**
	 * Lifetime assumed for a SaaSus token whose expiry cannot be read from its JWT exp
	 * claim.
	 */
	private Duration defaultTokenLifetime = Duration.ofHours(1);

	public String getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	public @Nullable String getSaasId() {
		return this.saasId;
	}

	public void setSaasId(@Nullable String saasId) {
		this.saasId = saasId;
	}

	public @Nullable String getApiKey() {
		return this.apiKey;
	}

	public void setApiKey(@Nullable String apiKey) {
		this.apiKey = apiKey;
	}

	public @Nullable String getSecretKey() {
		return this.secretKey;
	}

	public void setSecretKey(@Nullable String secretKey) {
		this.secretKey = secretKey;
	}

	public SaasusBearerToken getBearerToken() {
		return this.bearerToken;
	}

	public void setBearerToken(SaasusBearerToken bearerToken) {
		this.bearerToken = bearerToken;
	}

	public Duration getDefaultTokenLifetime() {
		return this.defaultTokenLifetime;
	}

	public void setDefaultTokenLifetime(Duration defaultTokenLifetime) {
		this.defaultTokenLifetime = defaultTokenLifetime;
	}

}
