package io.tokenkit.observation;

import java.net.URI;

import io.micrometer.common.KeyValue;

import org.springframework.web.reactive.function.client.ClientHttpObservationDocumentation;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.ClientRequestObservationContext;
import org.springframework.web.reactive.function.client.DefaultClientRequestObservationConvention;

/**
 * The {@code http.client.requests} convention of TokenKit's vendor clients: Spring's
 * default, except that neither {@code http.url} nor {@code uri} carries a query string or
 * an expanded path variable, because token APIs put secrets and personal data there
 * (SaaSus: {@code GET /credentials?refresh-token=…}; Authlete: {@code DELETE
 * …/auth/token/delete/{accessTokenIdentifier}} and {@code …/get/list?subject=…}).
 * {@code http.url} becomes scheme, host, port and the path, with the URI template's path
 * in place of the request's when the request was built from a template; {@code uri}
 * becomes that path. A request built without a template is tagged with no path at all
 * ({@code uri} is {@code none}), since its path may carry such values.
 */
public class RedactingClientRequestObservationConvention extends DefaultClientRequestObservationConvention {

	private final boolean pathsCarryNoSecrets;

	/**
	 * Create a convention with Spring's default observation name,
	 * {@code http.client.requests}.
	 */
	public RedactingClientRequestObservationConvention() {
		this(false);
	}

	/**
	 * Create a convention for a client whose request paths never carry a secret or a
	 * personal value, so that a request built without a URI template may still be tagged
	 * with its path (its query never is).
	 * @param pathsCarryNoSecrets whether the client's paths are safe to tag
	 */
	public RedactingClientRequestObservationConvention(boolean pathsCarryNoSecrets) {
		this.pathsCarryNoSecrets = pathsCarryNoSecrets;
	}

	/**
	 * Create a convention with a custom observation name.
	 * @param name the observation name
	 */
	public RedactingClientRequestObservationConvention(String name) {
		super(name);
		this.pathsCarryNoSecrets = false;
	}

	@Override
	protected KeyValue uri(ClientRequestObservationContext context) {
		String template = context.getUriTemplate();
		if (template != null) {
			return KeyValue.of(ClientHttpObservationDocumentation.LowCardinalityKeyNames.URI, pathOf(template));
		}
		ClientRequest request = context.getRequest();
		if (this.pathsCarryNoSecrets && request != null && request.url().getRawPath() != null
				&& !request.url().getRawPath().isEmpty()) {
			return KeyValue.of(ClientHttpObservationDocumentation.LowCardinalityKeyNames.URI,
					request.url().getRawPath());
		}
		// Without a template the path may carry values (an access token in a delete
		// path): like Spring for a
		// request with no template, say "none" rather than the path.
		return KeyValue.of(ClientHttpObservationDocumentation.LowCardinalityKeyNames.URI, KeyValue.NONE_VALUE);
	}

	@Override
	protected KeyValue httpUrl(ClientRequestObservationContext context) {
		ClientRequest request = context.getRequest();
		if (request == null) {
			return super.httpUrl(context);
		}
		URI url = request.url();
		StringBuilder value = new StringBuilder();
		if (url.getScheme() != null) {
			value.append(url.getScheme()).append("://");
		}
		if (url.getHost() != null) {
			value.append(url.getHost());
			if (url.getPort() != -1) {
				value.append(':').append(url.getPort());
			}
		}
		String template = context.getUriTemplate();
		if (template != null) {
			value.append(pathOf(template));
		}
		else if (this.pathsCarryNoSecrets && url.getRawPath() != null) {
			value.append(url.getRawPath());
		}
		return KeyValue.of(ClientHttpObservationDocumentation.HighCardinalityKeyNames.HTTP_URL, value.toString());
	}

	private static String pathOf(String template) {
		int query = template.indexOf('?');
		String path = (query >= 0) ? template.substring(0, query) : template;
		int scheme = path.indexOf("://");
		if (scheme >= 0) {
			int slash = path.indexOf('/', scheme + 3);
			path = (slash >= 0) ? path.substring(slash) : "/";
		}
		return path.isEmpty() ? "/" : path;
	}

}
