package io.tokenkit.oauth2;

/**
 * How a client authenticates to a token endpoint (RFC 6749 §2.3.1), as properties name
 * it; {@link #toClientAuthentication} gives the {@link ClientAuthentication} that does
 * it.
 */
public enum ClientAuthenticationMethod {

	/**
	 * {@code client_secret_basic}:
	 * {@code Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))};
	 * no credentials in the form body.
	 */
	BASIC,

	/**
	 * {@code client_secret_post}: {@code client_id} and {@code client_secret} as form
	 * fields; no {@code Authorization} header.
	 */
	POST;

	/**
	 * Return the client authentication of this method.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return {@link ClientAuthentication#clientSecretBasic} for {@link #BASIC},
	 * {@link ClientAuthentication#clientSecretPost} for {@link #POST}
	 */
	public ClientAuthentication toClientAuthentication(String clientId, String clientSecret) {
		return switch (this) {
			case BASIC -> ClientAuthentication.clientSecretBasic(clientId, clientSecret);
			case POST -> ClientAuthentication.clientSecretPost(clientId, clientSecret);
		};
	}

}
