package io.tokenkit.registration;

import org.jspecify.annotations.Nullable;

import io.tokenkit.oauth2.ClientKeyAlgorithm;

/**
 * Where a registration's client key comes from, as configured: an SSL bundle (with the
 * alias of its key entry) or a key file, and the key id and algorithm of the JWS headers
 * it signs. Holds names and locations only, never key material.
 *
 * @param sslBundle the name of the SSL bundle, or {@code null}
 * @param alias the alias of the key entry in the bundle, or {@code null}
 * @param file the location of a PEM or JWK key file, or {@code null}
 * @param keyId the key id, or {@code null} for the JWK's {@code kid}, else the alias
 * @param algorithm the JWS algorithm, or {@code null} for the one the key fits
 */
public record ClientKeySettings(@Nullable String sslBundle, @Nullable String alias, @Nullable String file,
		@Nullable String keyId, @Nullable ClientKeyAlgorithm algorithm) {

	/** No client key. */
	public static final ClientKeySettings NONE = new ClientKeySettings(null, null, null, null, null);

	/**
	 * Return whether a key source (a bundle or a file) is configured.
	 * @return whether there is a client key
	 */
	public boolean isConfigured() {
		return hasText(this.sslBundle) || hasText(this.file);
	}

	private static boolean hasText(@Nullable String value) {
		return value != null && !value.isBlank();
	}

}
