package io.tokenkit.oauth2;

/**
 * How a client authenticates to a token endpoint (RFC 6749 §2.3.1, RFC 7523 §2.2, RFC
 * 8705 §2), as properties name it; {@link #toClientAuthentication} gives the
 * {@link ClientAuthentication} of the two methods that need a client secret only.
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
	POST,

	/**
	 * {@code private_key_jwt}: a JWT client assertion signed with the client's key.
	 */
	PRIVATE_KEY_JWT,

	/**
	 * {@code client_secret_jwt}: a JWT client assertion signed with HS256 and the client
	 * secret.
	 */
	CLIENT_SECRET_JWT,

	/**
	 * {@code tls_client_auth}: the client's CA-issued certificate on the TLS connection,
	 * {@code client_id} in the form.
	 */
	TLS_CLIENT_AUTH,

	/**
	 * {@code self_signed_tls_client_auth}: the client's self-signed certificate on the
	 * TLS connection, {@code client_id} in the form.
	 */
	SELF_SIGNED_TLS_CLIENT_AUTH;

	/**
	 * Return the method's name as RFC 7591 registers it, for example
	 * {@code client_secret_basic}.
	 * @return the name
	 */
	public String registeredName() {
		return switch (this) {
			case BASIC -> "client_secret_basic";
			case POST -> "client_secret_post";
			default -> name().toLowerCase(java.util.Locale.ROOT);
		};
	}

	/**
	 * Return whether the method sends or signs with the client secret.
	 * @return whether it needs a client secret
	 */
	public boolean usesClientSecret() {
		return this == BASIC || this == POST || this == CLIENT_SECRET_JWT;
	}

	/**
	 * Return whether the method authenticates the client by its certificate on the TLS
	 * connection.
	 * @return whether it is mutual TLS
	 */
	public boolean isMutualTls() {
		return this == TLS_CLIENT_AUTH || this == SELF_SIGNED_TLS_CLIENT_AUTH;
	}

	/**
	 * Return the client authentication of this method.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return {@link ClientAuthentication#clientSecretBasic} for {@link #BASIC},
	 * {@link ClientAuthentication#clientSecretPost} for {@link #POST}
	 * @throws IllegalStateException for the other methods, which need a key, an audience
	 * or a clock: use {@link ClientAuthentication}'s factory methods
	 */
	public ClientAuthentication toClientAuthentication(String clientId, String clientSecret) {
		return switch (this) {
			case BASIC -> ClientAuthentication.clientSecretBasic(clientId, clientSecret);
			case POST -> ClientAuthentication.clientSecretPost(clientId, clientSecret);
			default -> throw new IllegalStateException(registeredName()
					+ " needs more than a client id and secret; create it with ClientAuthentication's factory methods");
		};
	}

}
