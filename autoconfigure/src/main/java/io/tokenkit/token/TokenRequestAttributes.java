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
 * </pre> A request without the attribute uses the registration's application token.
 */
public final class TokenRequestAttributes {

	/** The name of the request attribute that holds the subject of a per-user token. */
	public static final String SUBJECT = TokenRequestAttributes.class.getName() + ".subject";

	private TokenRequestAttributes() {
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
	 * Return the key of the token a request with these attributes uses: the per-user key
	 * of the {@link #SUBJECT} attribute, or {@code applicationKey} without it.
	 * @param attributes the request attributes
	 * @param applicationKey the key of the registration's application token
	 * @return the key
	 */
	public static TokenKey keyOf(Map<String, Object> attributes, TokenKey applicationKey) {
		Object subject = attributes.get(SUBJECT);
		return (subject != null) ? TokenKey.of(applicationKey.registrationId(), subject.toString()) : applicationKey;
	}

}
