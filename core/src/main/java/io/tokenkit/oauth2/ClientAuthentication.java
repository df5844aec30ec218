package io.tokenkit.oauth2;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * How an {@link OAuth2TokenClient} authenticates the client to a token endpoint: adds
 * what it needs to each token request's headers and form.
 * <p>
 * The built-ins send a client secret ({@link #clientSecretBasic client_secret_basic},
 * {@link #clientSecretPost client_secret_post}), a JWT client assertion signed afresh for
 * each attempt ({@link #privateKeyJwt private_key_jwt}, {@link #clientSecretJwt
 * client_secret_jwt}), or the client id only, the certificate being presented by the
 * connector ({@link #tlsClientAuth tls_client_auth}, {@link #selfSignedTlsClientAuth
 * self_signed_tls_client_auth}). Implementations must never show a secret in
 * {@code toString()}.
 */
public interface ClientAuthentication {

	/**
	 * The shortest {@code client_secret_jwt} secret, in UTF-8 bytes: 256 bits for HS256
	 * (RFC 7518 §3.2).
	 */
	int CLIENT_SECRET_JWT_MIN_BYTES = 32;

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

	/**
	 * Return {@code private_key_jwt} (RFC 7523 §2.2): a JWT client assertion signed with
	 * the client's key for each attempt, with {@code iss} and {@code sub} the client id,
	 * {@code aud} the audience, a unique {@code jti}, {@code iat} and {@code exp} from
	 * the clock; sent as {@code client_assertion} with {@code client_assertion_type} and
	 * {@code client_id}.
	 * @param clientId the client id
	 * @param key the client's key
	 * @param audience the {@code aud} claim, see {@link #assertionAudience}
	 * @param lifetime the time from {@code iat} to {@code exp}
	 * @param clock the clock of {@code iat} and {@code exp}
	 * @return the authentication
	 */
	static ClientAuthentication privateKeyJwt(String clientId, ClientKey key, String audience, Duration lifetime,
			Clock clock) {
		return JwtClientAssertionAuthentication.privateKeyJwt(clientId, key, audience, lifetime, clock);
	}

	/**
	 * Return {@code client_secret_jwt} (RFC 7523 §2.2, OpenID Connect Core §9): as
	 * {@link #privateKeyJwt}, the assertion signed with HS256 and the client secret.
	 * @param clientId the client id
	 * @param clientSecret the client secret, of at least 32 bytes in UTF-8 (RFC 7518
	 * §3.2)
	 * @param audience the {@code aud} claim, see {@link #assertionAudience}
	 * @param lifetime the time from {@code iat} to {@code exp}
	 * @param clock the clock of {@code iat} and {@code exp}
	 * @return the authentication
	 */
	static ClientAuthentication clientSecretJwt(String clientId, String clientSecret, String audience,
			Duration lifetime, Clock clock) {
		return JwtClientAssertionAuthentication.clientSecretJwt(clientId, clientSecret, audience, lifetime, clock);
	}

	/**
	 * Return {@code tls_client_auth} (RFC 8705 §2.1): {@code client_id} in the form; the
	 * token client's connector must present the client's CA-issued certificate.
	 * @param clientId the client id
	 * @return the authentication
	 */
	static ClientAuthentication tlsClientAuth(String clientId) {
		return new TlsClientAuthentication("tls_client_auth", clientId);
	}

	/**
	 * Return {@code self_signed_tls_client_auth} (RFC 8705 §2.2): {@code client_id} in
	 * the form; the token client's connector must present the client's self-signed
	 * certificate.
	 * @param clientId the client id
	 * @return the authentication
	 */
	static ClientAuthentication selfSignedTlsClientAuth(String clientId) {
		return new TlsClientAuthentication("self_signed_tls_client_auth", clientId);
	}

	/**
	 * Return the {@code aud} of a client assertion: the configured audience, else the
	 * issuer identifier as a string (as FAPI 2.0 asks), else the token endpoint (RFC 7523
	 * §3).
	 * @param configured the configured audience, or {@code null}
	 * @param issuer the authorization server's issuer identifier, or {@code null} when it
	 * is not known
	 * @param tokenEndpoint the token endpoint, or {@code null} when it is discovered (the
	 * issuer is then known)
	 * @return the audience
	 */
	static String assertionAudience(@Nullable String configured, @Nullable String issuer, @Nullable URI tokenEndpoint) {
		if (configured != null && !configured.isBlank()) {
			return configured;
		}
		if (issuer != null && !issuer.isBlank()) {
			return issuer;
		}
		Assert.state(tokenEndpoint != null, "A discovered token endpoint comes with a known issuer");
		return tokenEndpoint.toString();
	}

}
