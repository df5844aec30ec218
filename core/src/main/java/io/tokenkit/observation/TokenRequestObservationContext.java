package io.tokenkit.observation;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The {@link Observation.Context} of one call to a token or credential endpoint.
 */
public class TokenRequestObservationContext extends Observation.Context {

	private final String client;

	private final @Nullable String registrationId;

	private final String operation;

	private @Nullable String grantType;

	private int status;

	/**
	 * Create a context.
	 * @param client the client making the call: {@code oauth2}, {@code saasus},
	 * {@code gmo-aozora}, {@code authlete}
	 * @param registrationId the registration the call is for, or {@code null}
	 * @param operation the operation, for example {@code acquire} or {@code refresh}
	 */
	public TokenRequestObservationContext(String client, @Nullable String registrationId, String operation) {
		Assert.hasText(client, "client must not be empty");
		Assert.hasText(operation, "operation must not be empty");
		this.client = client;
		this.registrationId = registrationId;
		this.operation = operation;
	}

	/**
	 * Return the client that made the call.
	 * @return the client name
	 */
	public String getClient() {
		return this.client;
	}

	/**
	 * Return the registration the call was made for, if any.
	 * @return the registration id or {@code null}
	 */
	public @Nullable String getRegistrationId() {
		return this.registrationId;
	}

	/**
	 * Return the operation.
	 * @return the operation
	 */
	public String getOperation() {
		return this.operation;
	}

	/**
	 * Return the OAuth 2.0 grant type the call sends.
	 * @return the {@code grant_type}, or {@code null} for a call that sends none
	 */
	public @Nullable String getGrantType() {
		return this.grantType;
	}

	/**
	 * Record the OAuth 2.0 grant type the call sends.
	 * @param grantType the {@code grant_type}, for example {@code client_credentials}, or
	 * {@code null} for a call that sends none (a revocation, a vendor's own API)
	 */
	public void setGrantType(@Nullable String grantType) {
		this.grantType = grantType;
	}

	/**
	 * Return the HTTP status of the response, {@code 0} when none arrived.
	 * @return the status code
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Record the HTTP status of the response.
	 * @param status the status code
	 */
	public void setStatus(int status) {
		this.status = status;
	}

}
