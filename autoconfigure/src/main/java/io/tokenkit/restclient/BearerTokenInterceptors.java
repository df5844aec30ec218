package io.tokenkit.restclient;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.web.BearerTokenFilters.HeaderSettings;

import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.util.Assert;

/**
 * Hands out the {@link BearerTokenClientHttpRequestInterceptor} of each registration,
 * with the header each registration is configured to use. Inject it to add a
 * registration's token to a {@code RestClient} or {@code RestTemplate} you build
 * yourself: <pre class="code">
 * RestClient orders = builder.baseUrl("https://orders.example.com").requestInterceptor(interceptors.interceptor("orders")).build();
 * </pre>
 */
public final class BearerTokenInterceptors {

	private final TokenManager manager;

	private final Map<String, HeaderSettings> headers;

	private final TokenEventListener listener;

	private final Map<String, BearerTokenClientHttpRequestInterceptor> interceptors = new ConcurrentHashMap<>();

	/**
	 * Create the interceptors.
	 * @param manager the token manager
	 * @param headers the header settings by registration id; a registration not listed
	 * uses {@code Authorization: Bearer <token>}
	 * @param listener told of each replay
	 */
	public BearerTokenInterceptors(TokenManager manager, Map<String, HeaderSettings> headers,
			TokenEventListener listener) {
		Assert.notNull(manager, "manager must not be null");
		Assert.notNull(headers, "headers must not be null");
		Assert.notNull(listener, "listener must not be null");
		this.manager = manager;
		this.headers = Map.copyOf(headers);
		this.listener = listener;
	}

	/**
	 * Return the interceptor of a registration.
	 * @param registrationId the registration id
	 * @return the interceptor
	 * @throws IllegalArgumentException if there is no such registration
	 */
	public ClientHttpRequestInterceptor interceptor(String registrationId) {
		return this.interceptors.computeIfAbsent(registrationId, (id) -> {
			HeaderSettings settings = this.headers.getOrDefault(id, HeaderSettings.DEFAULT);
			return new BearerTokenClientHttpRequestInterceptor(this.manager, id, settings.name(), settings.format(),
					this.listener);
		});
	}

}
