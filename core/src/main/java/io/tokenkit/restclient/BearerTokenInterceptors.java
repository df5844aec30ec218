package io.tokenkit.restclient;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;

/**
 * Hands out the {@link BearerTokenClientHttpRequestInterceptor} of each registration,
 * which sets its token with the registration's {@link io.tokenkit.token.TokenAuthorizer}.
 * Inject it to add a registration's token to a {@code RestClient} or {@code RestTemplate}
 * you build yourself: <pre class="code">
 * RestClient orders = builder.baseUrl("https://orders.example.com").requestInterceptor(interceptors.interceptor("orders")).build();
 * </pre> A client that serves several registrations, such as the client of an HTTP
 * service group, uses {@link #byRegistrationAttribute()} instead.
 */
public final class BearerTokenInterceptors {

	private final TokenManager manager;

	private final TokenEventListener listener;

	private final Map<String, BearerTokenClientHttpRequestInterceptor> interceptors = new ConcurrentHashMap<>();

	/**
	 * Create the interceptors.
	 * @param manager the token manager
	 * @param listener told of each replay
	 */
	public BearerTokenInterceptors(TokenManager manager, TokenEventListener listener) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.manager = manager;
		this.listener = listener;
	}

	/**
	 * Return an interceptor that sends the token of the registration named by each
	 * request's {@link TokenRequestAttributes#REGISTRATION} attribute, with that
	 * registration's interceptor, and leaves a request without the attribute untouched.
	 * @return the interceptor
	 */
	public ClientHttpRequestInterceptor byRegistrationAttribute() {
		return new RegistrationAttributeInterceptor(this);
	}

	/**
	 * Return the interceptor of a registration.
	 * @param registrationId the registration id
	 * @return the interceptor
	 * @throws IllegalArgumentException if there is no such registration
	 */
	public ClientHttpRequestInterceptor interceptor(String registrationId) {
		return this.interceptors.computeIfAbsent(registrationId,
				(id) -> new BearerTokenClientHttpRequestInterceptor(this.manager, id, this.listener));
	}

	/**
	 * Hands each request to the interceptor of the registration its attribute names.
	 */
	private static final class RegistrationAttributeInterceptor implements ClientHttpRequestInterceptor {

		private final BearerTokenInterceptors interceptors;

		RegistrationAttributeInterceptor(BearerTokenInterceptors interceptors) {
			this.interceptors = interceptors;
		}

		@Override
		public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
				throws IOException {
			Object registrationId = request.getAttributes().get(TokenRequestAttributes.REGISTRATION);
			if (registrationId == null) {
				return execution.execute(request, body);
			}
			return this.interceptors.interceptor(registrationId.toString()).intercept(request, body, execution);
		}

		@Override
		public String toString() {
			return "BearerTokenInterceptors[by request attribute " + TokenRequestAttributes.REGISTRATION + "]";
		}

	}

}
