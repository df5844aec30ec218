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
	 * Return whether this authorizer may send a token: a DPoP authorizer refuses a token
	 * bound to another key, which the bearer filter and interceptor then replace before
	 * the request is sent. The default answers {@code true}.
	 * @param token the token about to be sent
	 * @return whether the token may be sent with this authorizer's headers
	 */
	default boolean fits(AccessToken token) {
		return true;
	}

	/**
	 * Return whether this authorizer reads the answers to the requests it authorized
	 * ({@link #answered}). The bearer filter and interceptor ask once, when they are
	 * created: an authorizer that answers {@code false}, as the default does, costs the
	 * usual path nothing.
	 * @return whether {@link #answered} is called with each answer
	 */
	default boolean readsAnswers() {
		return false;
	}

	/**
	 * Tell the authorizer of the answer to a request it authorized, and return whether
	 * the answer is a challenge that the request meets by being sent again with new
	 * headers from this authorizer and the same token, such as a DPoP nonce challenge
	 * (RFC 9449 §9). A challenge is not a rejection of the token: the bearer filter and
	 * interceptor send the request again once, neither replacing the token nor telling
	 * the {@link TokenManager}, and hand a second challenge to the caller. Called only
	 * when {@link #readsAnswers()} answers {@code true}; the default answers
	 * {@code false}.
	 * @param uri the request's URI
	 * @param status the answer's status code
	 * @param headers the answer's headers
	 * @return whether the answer is a challenge
	 */
	default boolean answered(URI uri, int status, HttpHeaders headers) {
		return false;
	}

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
