package io.tokenkit.oauth2;

import java.util.Collection;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * How an {@link OAuth2TokenClient} authenticates the client to a token endpoint: adds
 * what it needs to each token request's headers and form.
 * <p>
 * The built-ins send a client secret ({@link #clientSecretBasic client_secret_basic},
 * {@link #clientSecretPost client_secret_post}); other methods plug in the same way, for
 * example {@code private_key_jwt} (a {@code client_assertion} form parameter) or mutual
 * TLS ({@code client_id} in the form, the certificate in the connector). Implementations
 * must never show a secret in {@code toString()}.
 */
public interface ClientAuthentication {

	/**
	 * Add the client's credentials to a token request.
	 * @param headers the request headers, for example to set {@code Authorization}
	 * @param form the form parameters of the request, {@code grant_type} included
	 */
	void authenticate(HttpHeaders headers, MultiValueMap<String, String> form);

	/**
	 * Return the client id.
	 * @return the client id
	 */
	String getClientId();

	/**
	 * Return the secret values this authentication sends, which a server may echo in an
	 * error answer and which are then redacted from exceptions.
	 * @return the secret values, empty when there are none
	 */
	Collection<String> getSecrets();

	/**
	 * Return {@code client_secret_basic} as RFC 6749 §2.3.1 specifies it:
	 * {@code Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))},
	 * with id and secret form-encoded before Base64; no credentials in the form.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the authentication
	 */
	static ClientAuthentication clientSecretBasic(String clientId, String clientSecret) {
		return new ClientSecretBasicAuthentication(clientId, clientSecret, true);
	}

	/**
	 * Return {@code client_secret_basic} without form-encoding:
	 * {@code Authorization: Basic base64(client_id ":" client_secret)}, as some servers
	 * document it (for example GMO Aozora Net Bank); no credentials in the form. It
	 * differs from {@link #clientSecretBasic} only when the id or secret has characters
	 * that form-encoding changes.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the authentication
	 */
	static ClientAuthentication clientSecretBasicWithoutFormEncoding(String clientId, String clientSecret) {
		return new ClientSecretBasicAuthentication(clientId, clientSecret, false);
	}

	/**
	 * Return {@code client_secret_post}: {@code client_id} and {@code client_secret} as
	 * form parameters; no {@code Authorization} header.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the authentication
	 */
	static ClientAuthentication clientSecretPost(String clientId, String clientSecret) {
		return new ClientSecretPostAuthentication(clientId, clientSecret);
	}

}
