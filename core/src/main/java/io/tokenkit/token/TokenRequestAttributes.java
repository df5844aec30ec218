package io.tokenkit.token;

import java.util.Map;
import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * The request attributes every TokenKit client reads, whatever the HTTP client: the
 * {@code WebClient} filter and the {@code RestClient} interceptor both take the subject
 * of a per-user token from {@link #SUBJECT}. Set it with {@link #subject(String)}:
 * <pre class="code">
 * restClient.get().uri("/accounts").attributes(TokenRequestAttributes.subject(customerId))...
 * webClient.get().uri("/accounts").attributes(TokenRequestAttributes.subject(customerId))...
 * </pre> A request without the attribute uses the registration's application token; for a
 * registration of per-user tokens, which has none, it fails with a
 * {@link SubjectRequiredException} naming the attribute, and a user with no token fails
 * with a {@link NoTokenForSubjectException}.
 * <p>
 * A client shared by several registrations, such as the client of an HTTP service group,
 * takes the registration of each request from {@link #REGISTRATION}. A request that asks
 * for another scope, audience or resource than its registration's defaults carries them
 * in {@link #PARAMETERS} ({@link #parameters(TokenParameters)}): its token is kept apart
 * from the others.
 */
public final class TokenRequestAttributes {

	/** The name of the request attribute that holds the subject of a per-user token. */
	public static final String SUBJECT = TokenRequestAttributes.class.getName() + ".subject";

	/**
	 * The name of the request attribute that holds the id of the registration whose token
	 * a request carries, on a client that serves more than one registration.
	 */
	public static final String REGISTRATION = TokenRequestAttributes.class.getName() + ".registration";

	/**
	 * The name of the request attribute that holds the {@link TokenParameters} of a
	 * request's token: what it asks for beyond its registration's defaults.
	 */
	public static final String PARAMETERS = TokenRequestAttributes.class.getName() + ".parameters";

	private TokenRequestAttributes() {
	}

	/**
	 * Return a consumer of request attributes that selects the tokens of the registration
	 * {@code registrationId}, on a client that serves more than one registration.
	 * @param registrationId the registration id
	 * @return the attributes consumer
	 */
	public static Consumer<Map<String, Object>> registration(String registrationId) {
		Assert.hasText(registrationId, "registrationId must not be empty");
		return (attributes) -> attributes.put(REGISTRATION, registrationId);
	}

	/**
	 * Return a consumer of request attributes that selects the per-user token of
	 * {@code subject}.
	 * @param subject the subject, for example a customer id
	 * @return the attributes consumer
	 */
	public static Consumer<Map<String, Object>> subject(String subject) {
		Assert.hasText(subject, "subject must not be empty");
		return (attributes) -> attributes.put(SUBJECT, subject);
	}

	/**
	 * Return a consumer of request attributes that asks for a token with these parameters
	 * instead of the registration's defaults. Make the value once (a field) and set it on
	 * each request: a request then costs no more than one without it.
	 * {@link TokenParameters#NONE} asks for the defaults.
	 * @param parameters the parameters
	 * @return the attributes consumer
	 */
	public static Consumer<Map<String, Object>> parameters(TokenParameters parameters) {
		Assert.notNull(parameters, "parameters must not be null");
		return (attributes) -> attributes.put(PARAMETERS, parameters);
	}

	/**
	 * Return the key of the token a request with these attributes uses: the per-user key
	 * of the {@link #SUBJECT} attribute, or {@code applicationKey} without it, with the
	 * {@link #PARAMETERS} attribute's parameters, if any.
	 * @param attributes the request attributes
	 * @param applicationKey the key of the registration's application token
	 * @return the key
	 * @throws IllegalArgumentException if the {@link #SUBJECT} attribute is empty or
	 * blank (never taken for no subject: the request would get the application token), or
	 * the {@link #PARAMETERS} attribute holds something else than {@link TokenParameters}
	 */
	public static TokenKey keyOf(Map<String, Object> attributes, TokenKey applicationKey) {
		Object subject = attributes.get(SUBJECT);
		if (subject != null && subject.toString().isBlank()) {
			throw new IllegalArgumentException("The request attribute " + SUBJECT + " of registration '"
					+ applicationKey.registrationId() + "' is empty or blank: set the user's id with "
					+ "TokenRequestAttributes.subject(id), or leave the attribute out for the application token");
		}
		Object parameters = attributes.get(PARAMETERS);
		if (parameters == null) {
			return (subject != null) ? TokenKey.of(applicationKey.registrationId(), subject.toString())
					: applicationKey;
		}
		if (!(parameters instanceof TokenParameters tokenParameters)) {
			throw new IllegalArgumentException(
					"The request attribute " + PARAMETERS + " holds a " + parameters.getClass().getName()
							+ ", not TokenParameters: set it with TokenRequestAttributes.parameters(TokenParameters)");
		}
		return (subject != null) ? new TokenKey(applicationKey.registrationId(), subject.toString(), tokenParameters)
				: tokenParameters.applicationKey(applicationKey);
	}

}
