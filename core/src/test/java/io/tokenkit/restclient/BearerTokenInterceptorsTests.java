package io.tokenkit.restclient;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.tokenkit.oauth2.StaticTokenSource;
import io.tokenkit.token.InMemoryTokenStore;
import io.tokenkit.token.TokenEventListener;
import io.tokenkit.token.TokenManager;
import io.tokenkit.token.TokenRegistration;
import io.tokenkit.token.TokenRequestAttributes;

import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.mock.http.client.MockClientHttpRequest;
import org.springframework.mock.http.client.MockClientHttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BearerTokenInterceptorsTests {

	private final TokenManager manager = new TokenManager(
			List.of(TokenRegistration.of("orders", new StaticTokenSource("orders-token")),
					TokenRegistration.of("billing", new StaticTokenSource("billing-token"))),
			new InMemoryTokenStore(), Clock.systemUTC(), TokenEventListener.NONE, Duration.ofSeconds(5));

	private final BearerTokenInterceptors interceptors = new BearerTokenInterceptors(this.manager,
			TokenEventListener.NONE);

	private final List<HttpRequest> sent = new ArrayList<>();

	private final ClientHttpRequestExecution execution = (request, body) -> {
		this.sent.add(request);
		return new MockClientHttpResponse(new byte[0], HttpStatus.OK);
	};

	@Test
	void byRegistrationAttributeWhenAttributeThenThatRegistrationsToken() throws Exception {
		ClientHttpRequestInterceptor interceptor = this.interceptors.byRegistrationAttribute();
		interceptor.intercept(request("billing"), new byte[0], this.execution).close();
		interceptor.intercept(request("orders"), new byte[0], this.execution).close();
		assertThat(this.sent).extracting((request) -> request.getHeaders().getFirst("Authorization"))
			.containsExactly("Bearer billing-token", "Bearer orders-token");
	}

	@Test
	void byRegistrationAttributeWhenNoAttributeThenRequestUntouched() throws Exception {
		this.interceptors.byRegistrationAttribute().intercept(request(null), new byte[0], this.execution).close();
		assertThat(this.sent).singleElement()
			.satisfies((request) -> assertThat(request.getHeaders().containsHeader("Authorization")).isFalse());
	}

	@Test
	void byRegistrationAttributeWhenUnknownRegistrationThenFails() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.interceptors.byRegistrationAttribute()
				.intercept(request("shipping"), new byte[0], this.execution))
			.withMessageContaining("shipping");
	}

	private static HttpRequest request(String registrationId) {
		MockClientHttpRequest request = new MockClientHttpRequest(HttpMethod.GET,
				URI.create("https://api.example.com/orders"));
		if (registrationId != null) {
			TokenRequestAttributes.registration(registrationId).accept(request.getAttributes());
		}
		return request;
	}

}
