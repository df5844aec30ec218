package io.tokenkit.test;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One call that a {@link MockTokenServer} received on a registration's token endpoint:
 * what was asked (grant, scope, client, every form parameter, the request's headers) and
 * how it was answered. It holds secrets (a client secret, a refresh token) for the test
 * to check; {@link #toString()} shows none of them.
 */
public final class TokenRequest {

	private static final Set<String> SECRET_PARAMETERS = Set.of("client_secret", "refresh_token", "client_assertion",
			"assertion", "code", "code_verifier", "password", "subject_token", "actor_token");

	private final String registrationId;

	private final String grantType;

	private final String clientId;

	private final String clientSecret;

	private final Map<String, String> parameters;

	private final Map<String, String> headers;

	private final int status;

	private final String error;

	private final Instant receivedAt;

	TokenRequest(String registrationId, String grantType, String clientId, String clientSecret,
			Map<String, String> parameters, Map<String, String> headers, int status, String error, Instant receivedAt) {
		this.registrationId = registrationId;
		this.grantType = grantType;
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
		this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
		this.status = status;
		this.error = error;
		this.receivedAt = receivedAt;
	}

	/**
	 * Return the id of the registration whose token endpoint was called.
	 * @return the registration id
	 */
	public String registrationId() {
		return this.registrationId;
	}

	/**
	 * Return the {@code grant_type} parameter, or {@code null} when there was none.
	 * @return the grant type
	 */
	public String grantType() {
		return this.grantType;
	}

	/**
	 * Return the scopes of the {@code scope} parameter, in order; empty when there was
	 * none.
	 * @return the scopes asked for
	 */
	public List<String> scopes() {
		String scope = this.parameters.get("scope");
		return (scope == null || scope.isBlank()) ? List.of() : Arrays.asList(scope.trim().split("\\s+"));
	}

	/**
	 * Return the client id, from HTTP Basic authentication or the {@code client_id}
	 * parameter; {@code null} when the client did not say.
	 * @return the client id
	 */
	public String clientId() {
		return this.clientId;
	}

	/**
	 * Return the client secret, from HTTP Basic authentication or the
	 * {@code client_secret} parameter; {@code null} when none was sent.
	 * @return the client secret
	 */
	public String clientSecret() {
		return this.clientSecret;
	}

	/**
	 * Return the refresh token presented, or {@code null}.
	 * @return the {@code refresh_token} parameter
	 */
	public String refreshToken() {
		return this.parameters.get("refresh_token");
	}

	/**
	 * Return one form parameter, or {@code null}.
	 * @param name the parameter's name
	 * @return its value
	 */
	public String parameter(String name) {
		return this.parameters.get(name);
	}

	/**
	 * Return every form parameter (the first value of a repeated one), in order.
	 * @return the parameters
	 */
	public Map<String, String> parameters() {
		return this.parameters;
	}

	/**
	 * Return one request header (its first value), or {@code null}; names are compared
	 * ignoring case.
	 * @param name the header's name
	 * @return its value
	 */
	public String header(String name) {
		return this.headers.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().equalsIgnoreCase(name))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

	/**
	 * Return the status the server answered with.
	 * @return the status
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Return the OAuth 2.0 {@code error} of the answer ({@code invalid_grant}, …), or
	 * {@code null} for a success or a failure scripted without one.
	 * @return the error code
	 */
	public String error() {
		return this.error;
	}

	/**
	 * Return when the call arrived.
	 * @return the arrival time, by the server's clock
	 */
	public Instant receivedAt() {
		return this.receivedAt;
	}

	@Override
	public String toString() {
		String parameters = this.parameters.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "="
					+ (SECRET_PARAMETERS.contains(entry.getKey()) ? "[hidden]" : entry.getValue()))
			.collect(Collectors.joining(", ", "{", "}"));
		return "TokenRequest[registration=" + this.registrationId + ", grant=" + this.grantType + ", clientId="
				+ this.clientId + ", parameters=" + parameters + ", status=" + this.status
				+ ((this.error != null) ? ", error=" + this.error : "") + "]";
	}

}
