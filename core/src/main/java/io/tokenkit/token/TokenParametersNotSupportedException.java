package io.tokenkit.token;

/**
 * A request asked for a token with {@link TokenParameters} (a scope, audience or resource
 * of its own) from a registration whose grant cannot serve them, such as a
 * {@code refresh_token} or vendor registration: one refresh token cannot serve two
 * parameter sets. A slip in code: drop the parameters from the request, or send it
 * through a registration whose grant takes them ({@code client_credentials}, token
 * exchange, JWT bearer). TokenKit made no token call.
 */
public class TokenParametersNotSupportedException extends TokenKitException {

	private final String registrationId;

	/**
	 * Create an exception.
	 * @param registrationId the registration
	 */
	public TokenParametersNotSupportedException(String registrationId) {
		super("Registration '" + registrationId
				+ "' cannot serve a token with per-call parameters (scope, audience, resource): its grant"
				+ " keeps one token per subject. Remove TokenRequestAttributes.parameters(...) from the request"
				+ " (or the parameters of the TokenKey), or use a client_credentials, token-exchange or"
				+ " jwt-bearer registration");
		this.registrationId = registrationId;
	}

	/**
	 * Return the registration that was asked for parameters.
	 * @return the registration id
	 */
	public String getRegistrationId() {
		return this.registrationId;
	}

}
