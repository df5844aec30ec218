package io.tokenkit.token;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;

/**
 * Sets the headers that carry a registration's token on one request: given the token and
 * the request's method and URI, it sets the request's headers. The bearer filter and
 * interceptor call it exactly once per send, into headers of their own that they then put
 * on the request (replacing headers of the same name), and once more for a replay after a
 * 401, so an authorizer may make something new on each call, such as a DPoP proof. A
 * registration's authorizer is part of its {@link TokenRegistration}; {@link #bearer()}
 * sends {@code Authorization: Bearer <token>}, {@link #header(String, String)} another
 * header or format. An authorizer never logs the headers it sets.
 */
@FunctionalInterface
public interface TokenAuthorizer {

	/**
	 * Set the headers that carry the token on a request about to be sent; called once per
	 * send.
	 * @param token the token to send
	 * @param method the request's method
	 * @param uri the request's URI
	 * @param headers the headers to set, which the caller puts on the request
	 */
	void authorize(AccessToken token, HttpMethod method, URI uri, HttpHeaders headers);

	/**
	 * Return the authorizer that sends {@code Authorization: Bearer <token>}, always the
	 * same instance.
	 * @return the authorizer
	 */
	static TokenAuthorizer bearer() {
		return TokenHeader.BEARER;
	}

	/**
	 * Return an authorizer that sends the token in one header.
	 * @param name the header name, for example {@code Authorization} or
	 * {@code x-access-token}
	 * @param format the header value, with {@value TokenHeader#TOKEN_PLACEHOLDER} exactly
	 * once, for example {@code Bearer {token}} or {@code {token}}
	 * @return the authorizer
	 */
	static TokenAuthorizer header(String name, String format) {
		return TokenHeader.of(name, format);
	}

}
