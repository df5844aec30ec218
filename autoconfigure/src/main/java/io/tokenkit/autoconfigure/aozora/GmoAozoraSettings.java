package io.tokenkit.autoconfigure.aozora;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.registration.InvalidTokenKitPropertyException;
import io.tokenkit.support.BaseUrls;

/**
 * The checked values of {@link GmoAozoraProperties}: every problem becomes an
 * {@link InvalidTokenKitPropertyException} naming the property, never showing a secret.
 *
 * @param authorizationUri {@code {AUTH}/authorization}
 * @param tokenUri {@code {AUTH}/token}
 * @param clientId the client id
 * @param clientSecret the client secret
 * @param redirectUri the redirect URI
 * @param stateSalt the salt of the state
 * @param issuer the expected ID-token issuer
 */
record GmoAozoraSettings(URI authorizationUri, URI tokenUri, String clientId, String clientSecret, String redirectUri,
		String stateSalt, String issuer) {

	private static final String PREFIX = "tokenkit.gmo-aozora.";

	private static final String WHEN = "when tokenkit.gmo-aozora.client-id is set";

	static GmoAozoraSettings of(GmoAozoraProperties properties) {
		URI baseUrl = InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "base-url", properties.getBaseUrl(),
				false, "Set it to " + GmoAozoraProperties.PRODUCTION_BASE_URL + " (production) or "
						+ GmoAozoraProperties.STAGING_BASE_URL + " (staging).");
		String base = BaseUrls.withoutTrailingSlash(baseUrl);
		String clientId = InvalidTokenKitPropertyException.require(PREFIX + "client-id", properties.getClientId(),
				WHEN);
		String clientSecret = InvalidTokenKitPropertyException.require(PREFIX + "client-secret",
				properties.getClientSecret(), WHEN);
		String redirectUri = InvalidTokenKitPropertyException.require(PREFIX + "redirect-uri",
				properties.getRedirectUri(), WHEN);
		InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "redirect-uri", redirectUri, true,
				"Set it to the redirect URI registered with the bank, for example https://app.example.com/callback.");
		String stateSalt = InvalidTokenKitPropertyException.require(PREFIX + "state-salt", properties.getStateSalt(),
				WHEN);
		String issuer = properties.getIssuer();
		if (issuer == null || issuer.isBlank()) {
			issuer = baseUrl.getScheme() + "://" + baseUrl.getRawAuthority() + "/";
		}
		positive(PREFIX + "id-token-leeway", properties.getIdTokenLeeway(), true);
		return new GmoAozoraSettings(URI.create(base + "/authorization"), URI.create(base + "/token"), clientId,
				clientSecret, redirectUri, stateSalt, issuer);
	}

	/**
	 * Return the configured pushed authorization request endpoint.
	 * @param properties the properties
	 * @return the endpoint, or {@code null} when par is off or the endpoint is found in
	 * the issuer's metadata
	 */
	static @Nullable URI parUri(GmoAozoraProperties properties) {
		String value = properties.getParUri();
		if (value == null || value.isBlank()) {
			return null;
		}
		URI uri = InvalidTokenKitPropertyException.requireHttpUrl(PREFIX + "par-uri", value, false,
				"Set it to the bank's pushed authorization request endpoint, or leave it out to find it in the "
						+ "issuer's metadata.");
		if (!properties.isPar()) {
			throw new InvalidTokenKitPropertyException(PREFIX + "par-uri", value,
					"it is set while tokenkit.gmo-aozora.par is false",
					"Set tokenkit.gmo-aozora.par=true to push authorization requests, or remove par-uri.");
		}
		return uri;
	}

	/**
	 * Return the issuer a callback's {@code iss} is checked against, when
	 * {@code check-iss} is on: {@code issuer} as set, or the issuer whose metadata PAR
	 * reads (which is then found only if the metadata names that same issuer).
	 * @param properties the properties
	 * @param settings the checked settings
	 * @return the issuer, or {@code null} when {@code check-iss} is off
	 * @throws InvalidTokenKitPropertyException when {@code check-iss} is on and the
	 * issuer would be the guess made from {@code base-url}, with no metadata to confirm
	 * it
	 */
	static @Nullable String callbackIssuer(GmoAozoraProperties properties, GmoAozoraSettings settings) {
		if (!properties.isCheckIss()) {
			return null;
		}
		boolean set = properties.getIssuer() != null && !properties.getIssuer().isBlank();
		boolean discovered = properties.isPar() && parUri(properties) == null;
		if (!set && !discovered) {
			throw new InvalidTokenKitPropertyException(PREFIX + "issuer", null,
					"tokenkit.gmo-aozora.check-iss is on but no issuer is set, so the iss of callbacks would be "
							+ "compared with a guess made from base-url (" + settings.issuer() + ")",
					"Set tokenkit.gmo-aozora.issuer to the bank's issuer identifier, exactly as its callbacks "
							+ "carry it in iss (a trailing slash matters); or set tokenkit.gmo-aozora.par=true "
							+ "without par-uri, so that the issuer is confirmed by the bank's metadata; or switch "
							+ "tokenkit.gmo-aozora.check-iss off.");
		}
		return settings.issuer();
	}

	static Duration nonceTimeToLive(GmoAozoraProperties properties) {
		positive(PREFIX + "nonce-time-to-live", properties.getNonceTimeToLive(), false);
		return properties.getNonceTimeToLive();
	}

	private static void positive(String property, Duration value, boolean zeroAllowed) {
		if (value == null || value.isNegative() || (!zeroAllowed && value.isZero())) {
			throw new InvalidTokenKitPropertyException(property, String.valueOf(value),
					"it must be " + (zeroAllowed ? "zero or positive" : "positive"), "Set a duration such as 60s.");
		}
	}

	@Override
	public String toString() {
		return "GmoAozoraSettings[tokenUri=" + this.tokenUri + ", clientId=" + this.clientId + "]";
	}

}
